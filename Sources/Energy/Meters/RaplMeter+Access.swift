#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension RaplMeter {
    /// The remedy that needs no change for every user: the node's agent reads the counters as
    /// root and serves them to unprivileged runs, which find it by themselves.
    static let agentRemedy =
        "ask the node's administrator to run `footprint agent` (as root, once per node: it serves these counters "
        + "to every user's runs over \(MeterOptions.defaultAgentSocketPath), or the socket FOOTPRINT_AGENT_SOCKET names)"

    /// The error when zones exist but none can be read.
    ///
    /// When every read was refused for permission, the message names the intel-rapl (MSR)
    /// counter first (the MMIO twin sorts before it but is only a stand-in) and gives one
    /// `chmod` whose patterns cover every unreadable file, MMIO ones included. Otherwise it is
    /// the first MSR zone's read error.
    static func noZoneReadable(_ failures: [(zone: RaplZone, error: EnergyError)]) -> EnergyError {
        let ordered = failures.filter { !$0.zone.isMMIO } + failures.filter { $0.zone.isMMIO }
        guard let first = ordered.first else {
            return EnergyError.meterUnavailable(meter: "rapl", reason: "no zone could be read")
        }
        let refused = ordered.allSatisfy {
            if case let .fileUnreadable(_, errorNumber) = $0.error { return errorNumber == EACCES || errorNumber == EPERM }
            return false
        }
        guard refused else { return first.error }
        var patterns: [String] = []
        for failure in ordered {
            let directory = failure.zone.directory
            let parent = directory.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
            let pattern = "\(parent)/\(failure.zone.interface):*/energy_uj"
            if !patterns.contains(pattern) { patterns.append(pattern) }
        }
        let files = ordered.count == 1 ? first.zone.energyPath : "\(ordered.count) counters, \(first.zone.energyPath) first"
        return EnergyError.meterUnavailable(
            meter: "rapl",
            reason:
                "permission denied reading \(files): since CVE-2020-8694 (PLATYPUS) the RAPL energy counters are readable by root only. "
                + "Remedies: \(agentRemedy); or run as root; or make the counters readable with `sudo chmod a+r \(patterns.joined(separator: " "))` "
                + "(until reboot) or a udev rule such as "
                + "`SUBSYSTEM==\"powercap\", ACTION==\"add\", RUN+=\"/bin/chmod a+r /sys%p/energy_uj\"`; "
                + "or let Footprint read the same counters through perf_event with "
                + "`sudo sysctl kernel.perf_event_paranoid=0` or CAP_PERFMON (`sudo setcap cap_perfmon+ep $(which footprint)`)")
    }
}
