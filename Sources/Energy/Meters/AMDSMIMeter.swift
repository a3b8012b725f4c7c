import Vocabulary

/// Placeholder until the AMD SMI meter lands.
final class AMDSMIMeter: EnergyMeter {
    let kind = MeterKind.amdsmi
    let resolution = EnergyResolution.nvml
    let provenance = EnergyProvenance.measured
    let zones: [MeterZone] = []
    let maximumPollIntervalSeconds: Double? = nil
    let openingNotes: [String] = []

    init(options: MeterOptions) throws(EnergyError) {
        throw EnergyError.meterUnavailable(meter: "amdsmi", reason: "\(options.amdsmiLibraryName) could not be loaded")
    }

    func poll(atSeconds seconds: Double) -> [(zone: Int, event: ZoneEvent)] { [] }
}
