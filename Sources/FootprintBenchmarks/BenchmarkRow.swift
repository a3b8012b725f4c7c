/// One figure of `footprint bench`: what was measured, its value, and its ratio to a reference
/// measured side by side in the same run when there is one.
package struct BenchmarkRow: Sendable, Codable, Equatable {
    /// `matmul`, `mlp`, `tracking` or `store`.
    package var group: String
    /// What was measured: `"1024×1024·1024×1024, 1 thread"`.
    package var name: String
    package var value: Double
    /// `GFLOP/s`, `samples/s`, `s`, `ms`, `%`.
    package var unit: String
    /// The reference's figure in the same unit (OpenBLAS, numpy, an untracked run).
    package var referenceValue: Double?
    /// What the reference is: `"libopenblas.so.0 (SkylakeX)"`, `"numpy 2.2 (OpenBLAS)"`.
    package var referenceName: String?
    /// `value / referenceValue`, oriented so that above 1 means ours is better when
    /// `higherIsBetter`, as printed.
    package var ratio: Double?
    /// True for throughputs, false for times and overheads.
    package var higherIsBetter: Bool
    /// The goal from the performance issue, when it sets one: `"≥ 0.7× BLAS"`, `"< 5 s"`.
    package var goal: String?
    /// Whether the goal was met, when there is one and it can be judged.
    package var goalMet: Bool?
    package var note: String?

    /// Creates a row; `ratio` is `value / referenceValue` for a throughput and
    /// `referenceValue / value` for a time, so above 1 always means ours is faster.
    package init(
        group: String, name: String, value: Double, unit: String, referenceValue: Double? = nil,
        referenceName: String? = nil, higherIsBetter: Bool = true, goal: String? = nil,
        goalMet: Bool? = nil, note: String? = nil
    ) {
        self.group = group
        self.name = name
        self.value = value
        self.unit = unit
        self.referenceValue = referenceValue
        self.referenceName = referenceName
        self.higherIsBetter = higherIsBetter
        self.goal = goal
        self.goalMet = goalMet
        self.note = note
        if let referenceValue, referenceValue > 0, value > 0 {
            ratio = higherIsBetter ? value / referenceValue : referenceValue / value
        }
    }
}
