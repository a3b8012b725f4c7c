/// The Pareto front of quality against cost: the runs no other run beats on both.
public enum ParetoFront {
    /// The points no other point dominates. A point dominates another when its cost is no
    /// higher and its quality no worse, and one of the two is strictly better; two identical
    /// points are both on the front.
    ///
    /// - Parameters:
    ///   - costs: Cost of each point (energy, CO2e): lower is better.
    ///   - qualities: Quality of each point, same count as `costs`.
    ///   - higherIsBetter: True for accuracy or R², false for an error such as MSE.
    /// - Returns: Indices of the points on the front; points with a non-finite value are never on it.
    public static func indices(costs: [Double], qualities: [Double], higherIsBetter: Bool) -> Set<Int> {
        let count = min(costs.count, qualities.count)
        let valid = (0..<count).filter { costs[$0].isFinite && qualities[$0].isFinite }
        func better(_ a: Double, _ b: Double) -> Bool { higherIsBetter ? a > b : a < b }
        var front: Set<Int> = []
        for index in valid {
            let dominated = valid.contains { other in
                other != index && costs[other] <= costs[index] && !better(qualities[index], qualities[other])
                    && (costs[other] < costs[index] || better(qualities[other], qualities[index]))
            }
            if !dominated { front.insert(index) }
        }
        return front
    }
}
