/// Everything written about one run through a ``FallbackRunStorage``, kept in memory so the run
/// can be rebuilt in another store if the first one stops answering. Rows are keyed as the
/// tables key them, so a replaced epoch or metric is replaced here too.
struct RunJournal: Sendable {
    var run: RunRecord
    var epochs: [Int: EpochRecord] = [:]
    var metrics: [String: MetricRecord] = [:]
    var layerCosts: [Int: LayerCostRecord] = [:]
    var meterEnergy: [String: MeterEnergyRecord] = [:]
    var powerSamples: [PowerSampleRecord] = []

    init(run: RunRecord) {
        self.run = run
    }

    mutating func record(_ epoch: EpochRecord) { epochs[epoch.epochIndex] = epoch }
    mutating func record(_ metric: MetricRecord) { metrics[metric.split.rawValue + "\u{0}" + metric.name] = metric }
    mutating func record(_ layer: LayerCostRecord) { layerCosts[layer.layerIndex] = layer }
    mutating func record(_ meter: MeterEnergyRecord) { meterEnergy[meter.meter + "\u{0}" + meter.zone] = meter }

    /// The run as an import: child rows in the order the stores read them back.
    var bundle: RunBundle {
        let details = RunDetails(
            run: run, epochs: epochs.values.sorted { $0.epochIndex < $1.epochIndex },
            metrics: metrics.values.sorted { ($0.split.rawValue, $0.name) < ($1.split.rawValue, $1.name) },
            layerCosts: layerCosts.values.sorted { $0.layerIndex < $1.layerIndex },
            meterEnergy: meterEnergy.values.sorted { ($0.meter, $0.zone) < ($1.meter, $1.zone) })
        return RunBundle(details: details, powerSamples: powerSamples)
    }
}
