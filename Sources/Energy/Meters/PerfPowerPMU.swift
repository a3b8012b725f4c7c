import Foundation

/// One energy event of the perf `power` PMU, as described in sysfs.
struct PerfPowerEvent: Equatable, Sendable {
    /// "energy-pkg", "energy-ram", "energy-psys", "energy-cores", "energy-gpu".
    var name: String
    /// `attr.config`, from `events/<name>` ("event=0x02").
    var config: UInt64
    /// Joules per count, from `events/<name>.scale`.
    var joulesPerCount: Double
}

/// The perf `power` PMU: its type, energy events, and the CPUs to open them on.
struct PerfPowerPMU: Equatable, Sendable {
    static let directory = "/sys/bus/event_source/devices/power"

    var type: UInt32
    var events: [PerfPowerEvent]
    /// One CPU per package, from the PMU's `cpumask` or else from CPU topology.
    var cpus: [Int]
    /// Events listed but not usable (unit other than Joules, unparsable config), with why.
    var skipped: [String]

    /// Reads the PMU description.
    ///
    /// - Throws: `EnergyError.meterUnavailable` when there is no power PMU or it lists no energy
    ///   event (virtual machines); `.malformedValue` when a file is not in the documented format.
    static func read(files: SystemFiles) throws(EnergyError) -> PerfPowerPMU {
        let typePath = directory + "/type"
        guard files.exists(typePath) else {
            throw EnergyError.meterUnavailable(
                meter: "perf", reason: "no power PMU at \(directory) (a CPU without RAPL, or a kernel built without it)")
        }
        let typeValue = try files.readUInt64(typePath)
        guard let type = UInt32(exactly: typeValue) else {
            throw EnergyError.malformedValue(path: typePath, text: String(typeValue), expected: "a 32-bit PMU type")
        }
        var events: [PerfPowerEvent] = []
        var skipped: [String] = []
        for entry in files.entries(of: directory + "/events") where entry.hasPrefix("energy-") && !entry.contains(".") {
            let base = directory + "/events/" + entry
            do throws(EnergyError) {
                let config = try parseConfig(try files.readLine(base), path: base)
                let scaleText = try files.readLine(base + ".scale")
                guard let scale = Double(scaleText), scale > 0, scale.isFinite else {
                    throw EnergyError.malformedValue(path: base + ".scale", text: scaleText, expected: "a positive number")
                }
                let unit = (try? files.readLine(base + ".unit")) ?? "Joules"
                guard unit == "Joules" else {
                    skipped.append("\(entry): unit '\(unit)' is not Joules")
                    continue
                }
                events.append(PerfPowerEvent(name: entry, config: config, joulesPerCount: scale))
            } catch {
                skipped.append("\(entry): \(error.description)")
            }
        }
        guard !events.isEmpty else {
            let why = skipped.isEmpty ? "" : " (" + skipped.joined(separator: "; ") + ")"
            throw EnergyError.meterUnavailable(
                meter: "perf",
                reason: "the power PMU at \(directory) lists no usable energy event\(why); virtual machines expose none")
        }
        return PerfPowerPMU(type: type, events: events, cpus: packageCPUs(files: files), skipped: skipped)
    }

    /// Parses an event description such as `event=0x02` or `event=0x02,umask=0x01`.
    static func parseConfig(_ text: String, path: String) throws(EnergyError) -> UInt64 {
        var config: UInt64 = 0
        var sawEvent = false
        for term in text.split(separator: ",") {
            let pair = term.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, let value = parseNumber(pair[1]) else {
                throw EnergyError.malformedValue(path: path, text: text, expected: "terms like event=0x02")
            }
            switch pair[0] {
            case "event": config |= value & 0xff; sawEvent = true
            case "umask": config |= (value & 0xff) << 8
            default: throw EnergyError.malformedValue(path: path, text: text, expected: "only event= and umask= terms")
            }
        }
        guard sawEvent else { throw EnergyError.malformedValue(path: path, text: text, expected: "an event= term") }
        return config
    }

    static func parseNumber(_ text: String) -> UInt64? {
        text.hasPrefix("0x") || text.hasPrefix("0X") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
    }

    /// CPUs to open package-scope events on: the PMU's `cpumask` (what `perf stat` uses), or else
    /// the first online CPU of each `physical_package_id`.
    static func packageCPUs(files: SystemFiles) -> [Int] {
        if let mask = try? files.readLine(directory + "/cpumask"), let cpus = parseCPUList(mask), !cpus.isEmpty {
            return cpus
        }
        var firstByPackage: [Int: Int] = [:]
        let cpuNumbers = files.entries(of: "/sys/devices/system/cpu").compactMap { entry -> Int? in
            entry.hasPrefix("cpu") ? Int(entry.dropFirst(3)) : nil
        }.sorted()
        for cpu in cpuNumbers {
            let path = "/sys/devices/system/cpu/cpu\(cpu)/topology/physical_package_id"
            guard let package = try? files.readUInt64(path) else { continue }
            if firstByPackage[Int(package)] == nil { firstByPackage[Int(package)] = cpu }
        }
        return firstByPackage.keys.sorted().compactMap { firstByPackage[$0] }
    }

    /// Parses the kernel's CPU list format: "0", "0,36", "0-3,8".
    static func parseCPUList(_ text: String) -> [Int]? {
        var cpus: [Int] = []
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            if bounds.count == 1, let single = bounds[0] {
                cpus.append(single)
            } else if bounds.count == 2, let low = bounds[0], let high = bounds[1], low <= high {
                cpus.append(contentsOf: low...high)
            } else {
                return nil
            }
        }
        return cpus
    }
}
