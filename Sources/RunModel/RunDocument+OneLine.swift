extension RunDocument {
    /// The run's figures in one line, as the demo prints them after each trial:
    /// `0.42 s, 1.2 GFLOP, 3.1 J estimated, 0.4 mg CO2e, accuracy 97.8%`.
    public var oneLineSummary: String {
        var parts: [String] = []
        if let wall = seconds["wall"] { parts.append(UnitFormat.seconds(wall)) }
        if let flops { parts.append(UnitFormat.flops(Double(flops.total))) }
        if let energy {
            let unresolved = energy.isUnresolvedByBridges ? " (not resolved: bridged)" : " (below resolution)"
            parts.append("\(UnitFormat.joules(energy.joules)) \(energy.provenance)" + (energy.resolved ? "" : unresolved))
        }
        if let carbon { parts.append(UnitFormat.gramsCO2e(carbon.gramsCO2e)) }
        if let accuracy = metrics.accuracy { parts.append("accuracy \(UnitFormat.percent(accuracy))") }
        if let mse = metrics.mse { parts.append("MSE \(UnitFormat.number(mse))") }
        return parts.joined(separator: ", ")
    }
}
