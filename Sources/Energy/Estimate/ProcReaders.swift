import Foundation

/// Machine CPU time from the first line of /proc/stat, in clock ticks (USER_HZ).
struct ProcStatTimes: Equatable {
    /// user + nice + system + irq + softirq (guest time is already inside user and nice).
    var busyTicks: UInt64
    /// busy + idle + iowait + steal: all the time the visible CPUs existed. Steal is time the
    /// hypervisor gave to others, so it counts as not busy.
    var totalTicks: UInt64

    /// Parses the aggregate `cpu ` line.
    ///
    /// - Throws: `EnergyError.malformedValue` when the line is missing or short.
    static func parse(_ text: String, path: String = "/proc/stat") throws(EnergyError) -> ProcStatTimes {
        // The aggregate line comes first on every kernel; the scan is for anything else.
        let first = text.prefix { $0 != "\n" }
        let found = first.hasPrefix("cpu ") ? first : text.split(separator: "\n").first { $0.hasPrefix("cpu ") }
        guard let line = found else {
            throw EnergyError.malformedValue(path: path, text: String(text.prefix(40)), expected: "a 'cpu ' line")
        }
        let fields = line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
        guard fields.count >= 5 else {
            throw EnergyError.malformedValue(path: path, text: String(line.prefix(60)), expected: "at least 5 tick counts")
        }
        func field(_ index: Int) -> UInt64 { index < fields.count ? fields[index] : 0 }
        let busy = field(0) + field(1) + field(2) + field(5) + field(6)
        return ProcStatTimes(busyTicks: busy, totalTicks: busy + field(3) + field(4) + field(7))
    }

    static func read(files: SystemFiles) throws(EnergyError) -> ProcStatTimes {
        try parse(files.readString("/proc/stat"))
    }

    /// Clock ticks per second for /proc/stat (100 on every mainstream Linux).
    static var ticksPerSecond: Double {
        let value = sysconf(Int32(_SC_CLK_TCK))
        return value > 0 ? Double(value) : 100
    }
}

/// Memory in use from /proc/meminfo: MemTotal − MemAvailable (what the kernel says could not be
/// reclaimed without swapping; page cache is not "in use").
enum MemInfo {
    /// - Throws: `EnergyError.malformedValue` when either field is missing.
    static func usedBytes(_ text: String, path: String = "/proc/meminfo") throws(EnergyError) -> Double {
        // Only the two fields are kept, read from the UTF-8 bytes (the sampler reads this file
        // at every sample), and the scan stops once both are found (lines 1 and 3 today).
        var total: Double?
        var available: Double?
        for line in text.utf8.split(separator: UInt8(ascii: "\n")) {
            let isTotal = line.starts(with: "MemTotal:".utf8)
            guard isTotal || line.starts(with: "MemAvailable:".utf8) else { continue }
            let value = line.drop { $0 != UInt8(ascii: ":") }.dropFirst().split(separator: UInt8(ascii: " ")).first
                .flatMap { Double(String(decoding: $0, as: UTF8.self)) }
            guard let value else { continue }
            if isTotal { total = total ?? value } else { available = available ?? value }
            if total != nil && available != nil { break }
        }
        guard let total, let available else {
            throw EnergyError.malformedValue(path: path, text: String(text.prefix(40)), expected: "MemTotal and MemAvailable lines")
        }
        return max(total - available, 0) * 1024
    }
}

/// What /proc/cpuinfo says about the CPUs this machine (or VM) can use.
struct CPUInfo: Equatable {
    var modelName: String?
    var vendor: String?
    var family: Int?
    var model: Int?
    /// Number of `processor` entries: the logical CPUs visible here, vCPUs in a VM.
    var logicalCPUs: Int

    static func parse(_ text: String) -> CPUInfo {
        var info = CPUInfo(logicalCPUs: 0)
        for line in text.split(separator: "\n") {
            let pair = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            switch pair[0] {
            case "processor": info.logicalCPUs += 1
            case "model name": if info.modelName == nil { info.modelName = pair[1] }
            case "vendor_id": if info.vendor == nil { info.vendor = pair[1] }
            case "cpu family": if info.family == nil { info.family = Int(pair[1]) }
            case "model": if info.model == nil { info.model = Int(pair[1]) }
            default: break
            }
        }
        return info
    }
}
