import Foundation

/// Thermal design power of common CPUs, for the estimate when no counter can be read.
///
/// TDPs are the vendors' published figures (Intel ARK, AMD product pages), per socket; threads
/// are per socket. Dividing gives the power budget of one hardware thread, which is what a
/// machine or VM that sees only some threads of a socket is charged: a 2-vCPU VM on a 64-thread
/// socket gets 2/64 of the TDP, not all of it.
struct CPUPowerEntry: Equatable, Sendable {
    /// Matched against the normalised `model name` ("(R)" and "(TM)" removed).
    var key: String
    var tdpWatts: Double
    var threads: Int
    var wattsPerThread: Double { tdpWatts / Double(threads) }
}

enum CPUPowerTable {
    static let entries: [CPUPowerEntry] = [
        CPUPowerEntry(key: "Xeon Platinum 8480", tdpWatts: 350, threads: 112),
        CPUPowerEntry(key: "Xeon Platinum 8380", tdpWatts: 270, threads: 80),
        CPUPowerEntry(key: "Xeon Platinum 8280", tdpWatts: 205, threads: 56),
        CPUPowerEntry(key: "Xeon Gold 6338", tdpWatts: 205, threads: 64),
        CPUPowerEntry(key: "Xeon Gold 6248R", tdpWatts: 205, threads: 48),
        CPUPowerEntry(key: "Xeon Gold 6248", tdpWatts: 150, threads: 40),
        CPUPowerEntry(key: "Xeon Gold 6148", tdpWatts: 150, threads: 40),
        CPUPowerEntry(key: "Xeon Silver 4214", tdpWatts: 85, threads: 24),
        CPUPowerEntry(key: "Xeon CPU E5-2690 v4", tdpWatts: 135, threads: 28),
        CPUPowerEntry(key: "Xeon CPU E5-2680 v4", tdpWatts: 120, threads: 28),
        CPUPowerEntry(key: "EPYC 9654", tdpWatts: 360, threads: 192),
        CPUPowerEntry(key: "EPYC 9554", tdpWatts: 360, threads: 128),
        CPUPowerEntry(key: "EPYC 7763", tdpWatts: 280, threads: 128),
        CPUPowerEntry(key: "EPYC 7742", tdpWatts: 225, threads: 128),
        CPUPowerEntry(key: "EPYC 7543", tdpWatts: 225, threads: 64),
        CPUPowerEntry(key: "Core i9-13900K", tdpWatts: 125, threads: 32),
        CPUPowerEntry(key: "Core i7-12700K", tdpWatts: 125, threads: 20),
        CPUPowerEntry(key: "Core i7-8700", tdpWatts: 65, threads: 12),
        CPUPowerEntry(key: "Ryzen 9 7950X", tdpWatts: 170, threads: 32),
        CPUPowerEntry(key: "Ryzen 9 5950X", tdpWatts: 105, threads: 32),
        CPUPowerEntry(key: "Ryzen 7 5800X", tdpWatts: 105, threads: 16),
    ]

    /// Cloud hypervisors often mask the model name ("Intel(R) Xeon(R) Processor @ 2.80GHz", as on
    /// the machine Footprint was built on: family 6, model 106). The microarchitecture is still
    /// known from family and model, so the flagship of that server generation stands in.
    static let byFamilyModel: [String: (entry: CPUPowerEntry, generation: String)] = [
        "GenuineIntel 6/85": (CPUPowerEntry(key: "Xeon Platinum 8280", tdpWatts: 205, threads: 56), "Skylake/Cascade Lake-SP"),
        "GenuineIntel 6/106": (CPUPowerEntry(key: "Xeon Platinum 8380", tdpWatts: 270, threads: 80), "Ice Lake-SP"),
        "GenuineIntel 6/143": (CPUPowerEntry(key: "Xeon Platinum 8480", tdpWatts: 350, threads: 112), "Sapphire Rapids"),
        "AuthenticAMD 25/1": (CPUPowerEntry(key: "EPYC 7763", tdpWatts: 280, threads: 128), "Zen 3 Milan"),
        "AuthenticAMD 25/17": (CPUPowerEntry(key: "EPYC 9654", tdpWatts: 360, threads: 192), "Zen 4 Genoa"),
    ]

    /// CodeCarbon's figure for a CPU it does not know: 4 W per thread (CodeCarbon 3.3, `DEFAULT_POWER_PER_CORE` in codecarbon/core/cpu.py).
    static let unknownWattsPerThread = 4.0

    /// The entry for this CPU and how it was found; nil when unknown.
    static func lookup(_ info: CPUInfo) -> (entry: CPUPowerEntry, how: String)? {
        if let name = info.modelName {
            let normalised = normalise(name)
            let matches = entries.filter { normalised.contains($0.key) }
            if let best = matches.max(by: { $0.key.count < $1.key.count }) {
                return (best, "model name matches \(best.key)")
            }
        }
        if let vendor = info.vendor, let family = info.family, let model = info.model,
            let known = byFamilyModel["\(vendor) \(family)/\(model)"]
        {
            return (known.entry, "masked model name; family \(family) model \(model) is \(known.generation), \(known.entry.key) assumed")
        }
        return nil
    }

    static func normalise(_ name: String) -> String {
        var text = name.replacingOccurrences(of: "(R)", with: "").replacingOccurrences(of: "(TM)", with: "")
        while text.contains("  ") { text = text.replacingOccurrences(of: "  ", with: " ") }
        return text
    }
}
