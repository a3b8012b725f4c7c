import Vocabulary

extension EpochRecord {
    // The `epochs` columns of each phase's FLOPs and seconds, and of each quality figure: the one
    // place an epoch's facts meet their columns (SQLite and PostgreSQL both store these
    // properties). Computed: key paths are not Sendable, so they cannot be shared constants.

    private static var flopColumns: [(Phase, WritableKeyPath<EpochRecord, Int64?>)] {
        [(.forward, \.flopsForward), (.backward, \.flopsBackward), (.optimizer, \.flopsOptimizer), (.evaluation, \.flopsEvaluation)]
    }

    private static var secondColumns: [(Phase, WritableKeyPath<EpochRecord, Double?>)] {
        [
            (.data, \.secondsData), (.forward, \.secondsForward), (.backward, \.secondsBackward), (.optimizer, \.secondsOptimizer),
            (.evaluation, \.secondsEvaluation),
        ]
    }

    private static var qualityColumns: [(MetricName, WritableKeyPath<EpochRecord, Double?>)] {
        [(.trainLoss, \.trainLoss), (.validationLoss, \.validationLoss), (.accuracy, \.accuracy), (.mse, \.mse), (.r2, \.r2)]
    }

    /// The row of one epoch's facts; the tracker adds the measured wall time and energy.
    ///
    /// - Parameters:
    ///   - runID: The run it belongs to.
    ///   - facts: What the epoch achieved and cost.
    public init(runID: Int64, facts: EpochFacts) {
        self.init(runID: runID, epochIndex: facts.index)
        for (name, column) in Self.qualityColumns { self[keyPath: column] = facts.quality[name] }
        samples = facts.samples.map(Int64.init)
        if let flops = facts.flops {
            for (phase, column) in Self.flopColumns { self[keyPath: column] = Int64(flops[phase]) }
        }
        if let seconds = facts.phaseSeconds {
            for (phase, column) in Self.secondColumns { self[keyPath: column] = seconds[phase] }
        }
    }

    /// The row's facts: its quality columns (no split: an epoch row keeps none), samples,
    /// and FLOPs and seconds by phase when any phase's column holds a value.
    public var facts: EpochFacts {
        var quality = QualityMetrics()
        for (name, column) in Self.qualityColumns { quality[name] = self[keyPath: column] }
        var flops: PhaseFlops?
        if Self.flopColumns.contains(where: { self[keyPath: $0.1] != nil }) {
            var counts = PhaseFlops()
            for (phase, column) in Self.flopColumns { counts[phase] = Int(self[keyPath: column] ?? 0) }
            flops = counts
        }
        var phaseSeconds: PhaseSeconds?
        if Self.secondColumns.contains(where: { self[keyPath: $0.1] != nil }) {
            var seconds = PhaseSeconds()
            for (phase, column) in Self.secondColumns { seconds[phase] = self[keyPath: column] ?? 0 }
            phaseSeconds = seconds
        }
        return EpochFacts(index: epochIndex, quality: quality, samples: samples.map(Int.init), flops: flops, phaseSeconds: phaseSeconds)
    }
}
