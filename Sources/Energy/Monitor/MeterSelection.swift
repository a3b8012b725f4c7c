/// Opens the best meters this machine allows, keeping the reason for every fallback.
///
/// CPU: RAPL through powercap, else the same counters through perf_event, else the estimate.
/// NVML is added on top when it works. Memory: measured by RAPL's dram zones when present;
/// otherwise estimated, and that estimate stays out of a measured total (listed beside it).
struct MeterSelection {
    var meters: [any EnergyMeter]
    var notes: [String]

    static func open(options: MeterOptions) -> MeterSelection {
        var meters: [any EnergyMeter] = []
        var notes = options.environmentNotes
        var cpuMeter: (any EnergyMeter)?

        if options.disabledMeters.contains("rapl") {
            notes.append("rapl: disabled by the caller")
        } else {
            do {
                let rapl = try RaplMeter(options: options)
                cpuMeter = rapl
                notes += rapl.openingNotes
            } catch {
                notes.append("rapl unavailable, falling back to perf_event: \(error.description)")
            }
        }
        if cpuMeter == nil {
            if options.disabledMeters.contains("perf") {
                notes.append("perf: disabled by the caller")
            } else {
                do {
                    let perf = try PerfMeter(options: options)
                    cpuMeter = perf
                    notes += perf.openingNotes
                } catch {
                    notes.append("perf unavailable, falling back to the estimate: \(error.description)")
                }
            }
        }
        if let cpuMeter { meters.append(cpuMeter) }

        if !options.disabledMeters.contains("nvml") {
            do {
                let nvml = try NVMLMeter(options: options)
                meters.append(nvml)
                notes += nvml.openingNotes
            } catch {
                notes.append("nvml: \(error.description)")
            }
        }

        let memoryMeasured = cpuMeter?.zones.contains {
            $0.includedInTotal && ($0.label.hasPrefix("dram") || $0.label == "psys")
        } ?? false
        if cpuMeter == nil {
            let estimate = EstimateMeter(options: options, estimateCPU: true, memoryIncluded: true)
            meters.append(estimate)
            notes += estimate.openingNotes
            notes.append("estimate: no CPU energy counter is readable here; CPU and memory energy are estimated")
        } else if !memoryMeasured {
            let estimate = EstimateMeter(options: options, estimateCPU: false, memoryIncluded: false)
            meters.append(estimate)
            notes.append("memory is not measured here (no dram zone); its estimate is listed beside the measured total, not added to it")
        }
        return MeterSelection(meters: meters, notes: notes)
    }
}
