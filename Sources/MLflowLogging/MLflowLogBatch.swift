import Foundation

/// One `runs/log-batch` request body, and the pure functions that build them from a run's facts.
package struct MLflowLogBatch: Sendable, Hashable, Encodable {
    package struct Metric: Sendable, Hashable, Encodable {
        package var key: String
        package var value: Double
        /// Milliseconds since 1970, as MLflow stores them.
        package var timestamp: Int64
        package var step: Int
    }

    package struct Tag: Sendable, Hashable, Encodable {
        package var key: String
        package var value: String
    }

    package var runID: String
    package var metrics: [Metric]
    package var tags: [Tag]

    private enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case metrics, tags
    }

    /// MLflow refuses a batch of more than 1000 metrics, 100 tags, or 1000 entries in all
    /// (MLflow's REST API reference, `runs/log-batch`).
    package static let maximumMetrics = 1000
    package static let maximumTags = 100
    package static let maximumEntries = 1000
    /// MLflow's limit on a tag value was 5000 characters before 2.x raised it; the lower one is safe everywhere.
    package static let maximumTagValueLength = 5000

    /// The metrics a run's facts give: the whole-run figures at step 0, then one per epoch with the
    /// epoch as step. Unknown (`nil`) or non-finite values are left out, never sent as 0.
    package static func metrics(of facts: MLflowRunFacts) -> [Metric] {
        let endedAt = milliseconds(facts.endedAt)
        let whole: [(String, Double?)] = [
            ("footprint_energy_joules", facts.energyJoules),
            ("footprint_training_energy_joules", facts.trainingEnergyJoules),
            ("footprint_co2e_grams", facts.gramsCO2e),
            ("footprint_flops", facts.flops),
            ("footprint_seconds", facts.seconds),
        ]
        let runMetrics = whole.compactMap { key, value in
            value.flatMap { $0.isFinite ? Metric(key: key, value: $0, timestamp: endedAt, step: 0) : nil }
        }
        let epochMetrics = facts.epochs.compactMap { epoch -> Metric? in
            guard let joules = epoch.joules, joules.isFinite else { return nil }
            return Metric(
                key: "footprint_epoch_energy_joules", value: joules, timestamp: epoch.endedAt.map(milliseconds) ?? endedAt,
                step: epoch.index)
        }
        return runMetrics + epochMetrics
    }

    /// The tags a run's facts give: its UUID, provenance and meters (values cut to MLflow's limit).
    package static func tags(of facts: MLflowRunFacts) -> [Tag] {
        [
            Tag(key: "footprint_run_uuid", value: facts.runUUID),
            Tag(key: "footprint_provenance", value: facts.provenance),
            Tag(key: "footprint_meters", value: facts.meterNames.joined(separator: ", ")),
        ]
        .map { tag in
            guard tag.value.count > maximumTagValueLength else { return tag }
            return Tag(key: tag.key, value: String(tag.value.prefix(maximumTagValueLength - 1)) + "…")
        }
    }

    /// Splits metrics and tags into as few batches as MLflow's limits allow, tags first.
    ///
    /// - Parameters:
    ///   - runID: The MLflow run id.
    ///   - metrics: The metrics, in order.
    ///   - tags: The tags, in order.
    ///   - maximumEntries: The limit on entries per batch (MLflow's 1000 unless a test says less).
    /// - Returns: The batches; none when there is nothing to log.
    package static func batches(
        runID: String, metrics: [Metric], tags: [Tag], maximumEntries: Int = MLflowLogBatch.maximumEntries
    ) -> [MLflowLogBatch] {
        let entryLimit = max(1, min(maximumEntries, Self.maximumEntries))
        var result: [MLflowLogBatch] = []
        var remainingMetrics = metrics[...]
        var remainingTags = tags[...]
        while !remainingMetrics.isEmpty || !remainingTags.isEmpty {
            let tagCount = min(remainingTags.count, maximumTags, entryLimit)
            let metricCount = min(remainingMetrics.count, maximumMetrics, entryLimit - tagCount)
            result.append(
                MLflowLogBatch(
                    runID: runID, metrics: Array(remainingMetrics.prefix(metricCount)), tags: Array(remainingTags.prefix(tagCount))))
            remainingMetrics = remainingMetrics.dropFirst(metricCount)
            remainingTags = remainingTags.dropFirst(tagCount)
        }
        return result
    }

    /// The request body: `{"metrics":[…],"run_id":…,"tags":[…]}`, keys sorted.
    package func body() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    private static func milliseconds(_ date: Date) -> Int64 {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        // A date no clock gives (a corrupt record) must not trap the conversion.
        guard milliseconds.isFinite, abs(milliseconds) < 9e18 else { return 0 }
        return Int64(milliseconds)
    }
}
