import Foundation
import MLflowLogging
import Testing

@Suite struct MLflowLogBatchTests {
    static let endedAt = Date(timeIntervalSince1970: 1_700_000_000.25)

    static func facts(epochs: Int = 2, energyJoules: Double? = 120.5, flops: Double? = 3.2e12) -> MLflowRunFacts {
        MLflowRunFacts(
            runUUID: "5F0C-RUN", provenance: "measured (RAPL package-0)", meterNames: ["rapl", "nvml"], energyJoules: energyJoules,
            trainingEnergyJoules: 100.25, gramsCO2e: 0.011, flops: flops, seconds: 7.5,
            epochs: (0..<epochs).map { MLflowRunFacts.EpochEnergy(index: $0, joules: Double($0) + 0.5) }, endedAt: endedAt)
    }

    private static func json(_ batch: MLflowLogBatch) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: batch.body()) as? [String: Any])
    }

    @Test func bodyHasRunIDMetricsWithMillisecondTimestampsAndStepsAndTags() throws {
        let facts = Self.facts()
        let batches = MLflowLogBatch.batches(
            runID: "abc123", metrics: MLflowLogBatch.metrics(of: facts), tags: MLflowLogBatch.tags(of: facts))
        #expect(batches.count == 1)
        let body = try Self.json(try #require(batches.first))
        #expect(Set(body.keys) == ["run_id", "metrics", "tags"])
        #expect(body["run_id"] as? String == "abc123")
        let metrics = try #require(body["metrics"] as? [[String: Any]])
        #expect(metrics.allSatisfy { Set($0.keys) == ["key", "value", "timestamp", "step"] })
        let byKeyAndStep = Dictionary(
            uniqueKeysWithValues: metrics.map { ("\($0["key"] as? String ?? "?")@\($0["step"] as? Int ?? -1)", $0["value"] as? Double) })
        #expect(
            byKeyAndStep == [
                "footprint_energy_joules@0": 120.5, "footprint_training_energy_joules@0": 100.25, "footprint_co2e_grams@0": 0.011,
                "footprint_flops@0": 3.2e12, "footprint_seconds@0": 7.5,
                "footprint_epoch_energy_joules@0": 0.5, "footprint_epoch_energy_joules@1": 1.5,
            ])
        #expect(metrics.allSatisfy { ($0["timestamp"] as? Int64) == 1_700_000_000_250 })
        let tags = try #require(body["tags"] as? [[String: String]])
        #expect(
            tags == [
                ["key": "footprint_run_uuid", "value": "5F0C-RUN"],
                ["key": "footprint_provenance", "value": "measured (RAPL package-0)"],
                ["key": "footprint_meters", "value": "rapl, nvml"],
            ])
    }

    @Test func unknownAndNonFiniteValuesAreLeftOutNeverSentAsZero() {
        var facts = Self.facts(energyJoules: nil, flops: .nan)
        facts.seconds = .infinity
        facts.epochs = [.init(index: 0, joules: nil), .init(index: 1, joules: 2), .init(index: 2, joules: -.infinity)]
        let metrics = MLflowLogBatch.metrics(of: facts)
        #expect(
            metrics.map(\.key) == ["footprint_training_energy_joules", "footprint_co2e_grams", "footprint_epoch_energy_joules"])
        #expect(metrics.last?.step == 1)
        #expect(!metrics.contains { $0.value == 0 })
    }

    @Test func epochTimestampIsItsOwnEndWhenKnown() {
        var facts = Self.facts(epochs: 0)
        facts.epochs = [.init(index: 3, joules: 1, endedAt: Date(timeIntervalSince1970: 10))]
        #expect(MLflowLogBatch.metrics(of: facts).last?.timestamp == 10_000)
        #expect(MLflowLogBatch.metrics(of: facts).last?.step == 3)
    }

    @Test func thousandsOfEpochsAreSplitIntoBatchesWithinMLflowsLimitsEachMetricOnce() throws {
        let facts = Self.facts(epochs: 2_500)
        let metrics = MLflowLogBatch.metrics(of: facts)
        let tags = MLflowLogBatch.tags(of: facts)
        let batches = MLflowLogBatch.batches(runID: "r", metrics: metrics, tags: tags)
        #expect(metrics.count == 2_505)
        #expect(batches.count == 3)
        #expect(batches.allSatisfy { $0.metrics.count + $0.tags.count <= 1000 && $0.runID == "r" })
        #expect(batches.map(\.metrics.count) == [997, 1000, 508])
        #expect(batches.flatMap(\.metrics) == metrics)
        #expect(batches.flatMap(\.tags) == tags)
        #expect(batches[0].tags.count == 3 && batches[1].tags.isEmpty)
    }

    @Test func aSmallerLimitSplitsTagsAndMetricsToo() {
        let facts = Self.facts(epochs: 3)
        let batches = MLflowLogBatch.batches(
            runID: "r", metrics: MLflowLogBatch.metrics(of: facts), tags: MLflowLogBatch.tags(of: facts), maximumEntries: 2)
        #expect(batches.count == 6)  // 3 tags + 8 metrics, two entries a batch
        #expect(batches.allSatisfy { $0.metrics.count + $0.tags.count <= 2 })
        #expect(batches.flatMap(\.metrics).count == 8)
    }

    @Test func nothingToLogIsNoBatch() {
        #expect(MLflowLogBatch.batches(runID: "r", metrics: [], tags: []).isEmpty)
    }

    @Test func longProvenanceIsCutToMLflowsTagLimit() {
        var facts = Self.facts()
        facts.provenance = String(repeating: "x", count: 9_000)
        let tag = MLflowLogBatch.tags(of: facts).first { $0.key == "footprint_provenance" }
        #expect(tag?.value.count == MLflowLogBatch.maximumTagValueLength)
        #expect(tag?.value.hasSuffix("…") == true)
    }
}
