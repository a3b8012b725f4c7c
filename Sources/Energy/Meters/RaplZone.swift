/// One powercap zone as the kernel lists it (`intel-rapl:0:1`, `intel-rapl-mmio:0` …).
struct RaplZone: Equatable, Sendable {
    /// System path of the zone's directory.
    var directory: String
    /// "intel-rapl" (MSR interface) or "intel-rapl-mmio".
    var interface: String
    /// First number of the id: the top-level zone index.
    var topIndex: Int
    /// Second number of the id, for sub-zones.
    var subIndex: Int?
    /// Contents of `name`: "package-0", "core", "uncore", "dram", "psys".
    var name: String
    /// Contents of `max_energy_range_uj`, when readable.
    var maxEnergyRangeMicrojoules: UInt64?

    var id: String { "\(interface):\(topIndex)" + (subIndex.map { ":\($0)" } ?? "") }
    var energyPath: String { directory + "/energy_uj" }
    var isMMIO: Bool { interface == "intel-rapl-mmio" }
    var isTopLevel: Bool { subIndex == nil }

    /// Parses a directory entry name; nil for anything that is not a RAPL zone id.
    static func parseID(_ entry: String) -> (interface: String, topIndex: Int, subIndex: Int?)? {
        let parts = entry.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3,
            parts[0] == "intel-rapl" || parts[0] == "intel-rapl-mmio",
            let top = Int(parts[1]), top >= 0
        else { return nil }
        if parts.count == 2 { return (String(parts[0]), top, nil) }
        guard let sub = Int(parts[2]), sub >= 0 else { return nil }
        return (String(parts[0]), top, sub)
    }
}

/// Finds RAPL zones under powercap roots.
enum RaplDiscovery {
    /// Zones under `roots`, deduplicated by id (the first root wins).
    ///
    /// `/sys/class/powercap` lists every zone flat (symlinks); `/sys/devices/virtual/powercap`
    /// nests them (`intel-rapl/intel-rapl:0/intel-rapl:0:0`), so directories are searched a
    /// few levels deep. A zone whose `name` cannot be read is skipped.
    static func discover(files: SystemFiles, roots: [String]) -> [RaplZone] {
        var found: [String: RaplZone] = [:]
        var order: [String] = []
        func visit(_ directory: String, depth: Int) {
            // Every zone of this directory before any nested one, so the flat
            // /sys/class/powercap/intel-rapl:0:0 wins over the same zone reached through
            // /sys/class/powercap/intel-rapl:0/intel-rapl:0:0 or the control-type directory.
            let listed = files.entries(of: directory)
            for entry in listed {
                let path = directory + "/" + entry
                guard let id = RaplZone.parseID(entry), found[entry] == nil,
                    let name = try? files.readLine(path + "/name")
                else { continue }
                let range = try? files.readUInt64(path + "/max_energy_range_uj")
                found[entry] = RaplZone(
                    directory: path, interface: id.interface, topIndex: id.topIndex,
                    subIndex: id.subIndex, name: name, maxEnergyRangeMicrojoules: range)
                order.append(entry)
            }
            guard depth < 3 else { return }
            for entry in listed where RaplZone.parseID(entry) != nil || entry == "intel-rapl" || entry == "intel-rapl-mmio" {
                visit(directory + "/" + entry, depth: depth + 1)
            }
        }
        for root in roots { visit(root.hasSuffix("/") ? String(root.dropLast()) : root, depth: 0) }
        return order.compactMap { found[$0] }
    }
}
