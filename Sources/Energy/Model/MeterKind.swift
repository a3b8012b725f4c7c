import Foundation

/// The meters Footprint knows, in the order a run tries them.
///
/// `--meter NAME` (repeatable) and `FOOTPRINT_METERS=rapl,estimate` restrict the chain to
/// these names; every other meter is left closed.
public enum MeterKind: String, Sendable, Codable, CaseIterable, Comparable {
    /// The node's counters served by `footprint agent` (running as root) over a Unix socket:
    /// first in the chain when its socket exists, so an unprivileged job is measured.
    case agent
    /// RAPL through powercap sysfs (`energy_uj`).
    case rapl
    /// The same RAPL counters through the perf `power` PMU.
    case perf
    /// NVIDIA GPUs through NVML.
    case nvml
    /// AMD GPUs through AMD SMI (`libamd_smi.so`).
    case amdsmi
    /// hwmon devices with energy counters or power sensors: Intel `xe`/`i915`, `amdgpu`, `amd_energy`.
    case hwmon
    /// The labelled estimate from CPU time and memory in use.
    case estimate

    /// The names as a user types them: `agent, rapl, perf, nvml, amdsmi, hwmon, estimate`.
    public static var knownNames: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// Parses a comma-separated list such as `rapl,estimate`.
    ///
    /// - Parameters:
    ///   - text: The list; spaces around names are ignored.
    ///   - origin: Where it came from, for the error (`FOOTPRINT_METERS`, `--meter`).
    /// - Returns: The named meters.
    /// - Throws: `EnergyError.invalidOption` naming the unknown entry and the known names.
    public static func parseList(_ text: String, origin: String) throws(EnergyError) -> Set<MeterKind> {
        var kinds: Set<MeterKind> = []
        for raw in text.split(separator: ",") {
            let name = raw.trimmingCharacters(in: .whitespaces).lowercased()
            guard !name.isEmpty else { continue }
            guard let kind = MeterKind(rawValue: name) else {
                throw EnergyError.invalidOption(name: origin, value: "'\(name)'", allowed: "the known meters are \(knownNames)")
            }
            kinds.insert(kind)
        }
        guard !kinds.isEmpty else {
            throw EnergyError.invalidOption(name: origin, value: "'\(text)'", allowed: "name at least one of \(knownNames)")
        }
        return kinds
    }

    public static func < (lhs: MeterKind, rhs: MeterKind) -> Bool {
        (allCases.firstIndex(of: lhs) ?? 0) < (allCases.firstIndex(of: rhs) ?? 0)
    }
}
