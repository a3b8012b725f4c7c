#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything that can go wrong while measuring energy, with the context a user needs to act.
public enum EnergyError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A file under /sys or /proc could not be read; `errorNumber` is the errno (EACCES, ENOENT …).
    case fileUnreadable(path: String, errorNumber: Int32)
    /// A file was read but did not hold what the kernel documents.
    case malformedValue(path: String, text: String, expected: String)
    /// `perf_event_open` refused an energy event.
    case perfEventRefused(event: String, cpu: Int, errorNumber: Int32, paranoid: Int?)
    /// A meter cannot be used on this machine; `reason` says why.
    case meterUnavailable(meter: String, reason: String)
    /// No meter, not even the estimate, could be opened.
    case noMeterAvailable(reasons: [String])
    /// None of the meters chosen with `--meter` or `FOOTPRINT_METERS` can measure here.
    case noChosenMeterAvailable(chosen: [String], reasons: [String])
    /// `start()` was called on a monitor that is running or already stopped.
    case monitorAlreadyStarted
    /// An option is out of range.
    case invalidOption(name: String, value: String, allowed: String)

    /// Shared by the RAPL error message and `footprint meters`.
    static let raplRemedies =
        "Remedies: \(RaplMeter.agentRemedy); or run as root; or make the counters readable with "
        + "`sudo chmod a+r /sys/class/powercap/intel-rapl:*/energy_uj` (until reboot) or a udev rule such as "
        + "`SUBSYSTEM==\"powercap\", ACTION==\"add\", RUN+=\"/bin/chmod a+r /sys%p/energy_uj\"`; "
        + "or let Footprint read the same counters through perf_event with "
        + "`sudo sysctl kernel.perf_event_paranoid=0` or CAP_PERFMON (`sudo setcap cap_perfmon+ep $(which footprint)`)"

    /// Why a counter that was readable failed one read, without start-up advice: "Is a
    /// directory (errno 21)".
    var readFailureReason: String {
        switch self {
        case let .fileUnreadable(_, errorNumber): "\(String(cString: strerror(errorNumber))) (errno \(errorNumber))"
        case let .malformedValue(_, text, _): "it held '\(text)', not a number"
        default: description
        }
    }

    public var description: String {
        switch self {
        case let .fileUnreadable(path, errorNumber):
            let reason = String(cString: strerror(errorNumber))
            if (errorNumber == EACCES || errorNumber == EPERM) && path.contains("powercap") {
                return
                    "Permission denied reading \(path): since CVE-2020-8694 (PLATYPUS) the RAPL energy counters are readable by root only. "
                    + Self.raplRemedies + "."
            }
            return "Cannot read \(path): \(reason) (errno \(errorNumber))."
        case let .malformedValue(path, text, expected):
            return "\(path) holds '\(text)', expected \(expected); this kernel's format is not understood, please report it."
        case let .perfEventRefused(event, cpu, errorNumber, paranoid):
            let reason = String(cString: strerror(errorNumber))
            var text = "perf_event_open refused power/\(event)/ on CPU \(cpu): \(reason) (errno \(errorNumber))."
            if errorNumber == EACCES || errorNumber == EPERM {
                let level = paranoid.map { "is \($0)" } ?? "could not be read"
                text +=
                    " kernel.perf_event_paranoid \(level); system-wide events need it at 0 or below "
                    + "(`sudo sysctl kernel.perf_event_paranoid=0`), CAP_PERFMON, or root."
            }
            return text
        case let .meterUnavailable(meter, reason):
            return "The \(meter) meter is unavailable: \(reason)."
        case let .noMeterAvailable(reasons):
            return "No energy meter could be opened, not even the estimate: " + reasons.joined(separator: "; ")
                + ". Check that /proc is mounted, or pass --cpu-watts."
        case let .noChosenMeterAvailable(chosen, reasons):
            let why = reasons.map { $0.hasSuffix(".") ? String($0.dropLast()) : $0 }.joined(separator: "; ")
            return "None of the chosen meters (\(chosen.joined(separator: ", "))) can measure here: \(why). "
                + "`footprint meters` shows what can; choose others with --meter or FOOTPRINT_METERS, or leave both unset for the whole chain."
        case .monitorAlreadyStarted:
            return "This energy monitor was already started; create a new EnergyMonitor for each run."
        case let .invalidOption(name, value, allowed):
            return "Invalid \(name) \(value): \(allowed)."
        }
    }
}
