import RunModel
import Statistics

/// How a comparison shows a wrapped program's startup — the time before its `train_begin`,
/// spent importing a framework and loading data — once it has left it out of the figures it
/// ranks, divides and fits.
extension ComparisonReport {
    /// `energy` without a startup; `training energy` once any run has one, so that no sentence
    /// passes the training's figure off as the whole run's.
    var energyNoun: String { hasStartup ? "training energy" : "energy" }

    /// "Energy: training only, startup excluded (the startup before each program's train_begin
    /// used 5.9 J to 6.2 J per run, 77.0% of those runs' whole energy, and has its own column in
    /// the report)." Then which wrapped runs sent no `train_begin` and so still carry theirs.
    func energyBasisSentence() -> String {
        let withStartup = runs.filter { $0.energy?.startupJoules != nil }
        let startups = withStartup.compactMap { $0.energy?.startupJoules }.filter(\.isFinite)
        let wholes = withStartup.compactMap { $0.energy?.joules }.filter(\.isFinite)
        var clause = "the startup before each program's train_begin used "
        if let low = startups.min(), let high = startups.max() {
            clause += low == high ? UnitFormat.joules(low) : "\(UnitFormat.joules(low)) to \(UnitFormat.joules(high))"
            clause += withStartup.count == 1 ? "" : " per run"
        } else {
            clause += "an unknown energy"
        }
        let whole = wholes.reduce(0, +)
        if whole > 0, startups.count == wholes.count {
            clause +=
                ", \(UnitFormat.percent(startups.reduce(0, +) / whole)) of \(withStartup.count == 1 ? "that run's" : "those runs'") whole energy"
        }
        var sentence = "Energy: training only, startup excluded (\(clause), and has its own column in the report)."
        let without = runs.filter { $0.kind == "wrap" && $0.energy != nil && $0.energy?.startupJoules == nil }
        if !without.isEmpty {
            let ids = without.map { "\($0.id)" }
            sentence +=
                " \(without.count == 1 ? "Run" : "Runs") \(Self.list(ids)) sent no train_begin, so \(without.count == 1 ? "its" : "their") "
                + "energy includes the program's startup."
        }
        return sentence
    }

    /// The startup cell: median and range over the runs that sent a `train_begin`, or `—`.
    func startupCell(_ point: ComparisonPoint) -> String {
        guard let startup = point.startupJoules else { return point.hasStartup ? UnitFormat.joules(0) : "—" }
        let single = point.runs.first { $0.energy?.startupJoules != nil }
        let band = single?.energy.map { energy in (energy.low, energy.high, energy.joules) }
        // One run's startup carries its meter's band, scaled from the whole run's.
        let share = band.flatMap { $0.2 > 0 ? startup.median / $0.2 : nil } ?? 1
        return RangeText.text(startup, band: (band?.0.map { $0 * share }, band?.1.map { $0 * share }), format: UnitFormat.joules)
    }

    /// The note under the table that says what the energy and startup columns hold.
    func startupNote() -> String {
        "Energy, CO2e and GFLOP/s are the training's: a wrapped program's startup (before its train_begin: imports, data loading) "
            + "is left out of them, and out of the ratios, the front and the fit, and shown under Startup; Time is the whole run's. "
            + "A configuration with no startup (—) is compared on its whole energy."
    }
}
