import RunModel

/// What a comparison ranks, divides and fits: the training's energy and CO2e, without a wrapped
/// program's startup (imports, data loading before its `train_begin`). A run without a startup
/// is compared on its whole energy, exactly as before wrapped programs could send one.
extension RunDocument {
    /// The training's share of the run's energy, or nil when the run has no startup (the whole
    /// energy is the training's) or no positive energy.
    var trainingShareOfEnergy: Double? {
        guard let energy, energy.startupJoules != nil, let training = energy.trainingJoules, energy.joules > 0 else { return nil }
        return max(0, training) / energy.joules
    }

    /// Seconds of the training: wall time less the startup's.
    var trainingSeconds: Double? {
        guard let wall = seconds["wall"] else { return nil }
        return max(0, wall - (startupSeconds ?? 0))
    }

    /// Whether the energy a comparison uses is a result: the run's energy is resolved and, with
    /// a startup, the training part alone is still ten steps and ten update periods of its
    /// meters (a short training after a long import may not be).
    var isComparedEnergyResolved: Bool {
        guard let energy, energy.resolved else { return false }
        guard trainingShareOfEnergy != nil else { return true }
        return energy.resolution.resolves(joules: trainingEnergyJoules ?? 0, seconds: trainingSeconds ?? 0)
    }

    /// The training's CO2e: the operational part scaled by the training's share of the energy,
    /// the embodied part by its share of the time; the whole run's without a startup.
    var trainingGramsCO2e: Double? {
        guard let carbon else { return nil }
        guard let share = trainingShareOfEnergy else { return carbon.gramsCO2e }
        let embodied = carbon.embodiedGrams ?? 0
        let timeShare = seconds["wall"].flatMap { wall in wall > 0 ? (trainingSeconds ?? wall) / wall : nil } ?? 1
        return (carbon.gramsCO2e - embodied) * share + embodied * timeShare
    }

    /// A single run's stated band, scaled to the training when the run has a startup.
    var trainingEnergyBand: (low: Double?, high: Double?) {
        let share = trainingShareOfEnergy ?? 1
        return (energy?.low.map { $0 * share }, energy?.high.map { $0 * share })
    }

    /// A single run's stated CO2e band, scaled like ``trainingGramsCO2e``.
    var trainingCarbonBand: (low: Double?, high: Double?) {
        guard let carbon, carbon.gramsCO2e > 0, let grams = trainingGramsCO2e else { return (carbon?.low, carbon?.high) }
        let share = grams / carbon.gramsCO2e
        return (carbon.low.map { $0 * share }, carbon.high.map { $0 * share })
    }
}
