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
    /// The zones found, and a note for every directory that looked like a zone but was skipped.
    struct Survey: Equatable {
        var zones: [RaplZone]
        var notes: [String]
    }

    /// Zones under `roots`, deduplicated by id (the first root wins).
    static func discover(files: SystemFiles, roots: [String]) -> [RaplZone] {
        survey(files: files, roots: roots).zones
    }

    /// Zones under `roots`, deduplicated by id (the first root wins), with notes on what was skipped.
    ///
    /// `/sys/class/powercap` lists every zone flat (symlinks); `/sys/devices/virtual/powercap`
    /// nests them (`intel-rapl/intel-rapl:0/intel-rapl:0:0`), so directories are searched a
    /// few levels deep. A root may itself be a zone (`/sys/class/powercap/intel-rapl:0`): it is
    /// read with its sub-zones. A zone whose `name` cannot be read, and an entry such as
    /// `intel-rapl:a` that is no zone id, are skipped with a note: the containment rules need
    /// the name, and a silently missing package would undercount the run.
    static func survey(files: SystemFiles, roots: [String]) -> Survey {
        var found: [String: RaplZone] = [:]
        var order: [String] = []
        var skipped: [String: String] = [:]
        var skippedOrder: [String] = []
        func skip(_ entry: String, _ note: String) {
            guard skipped[entry] == nil else { return }
            skipped[entry] = note
            skippedOrder.append(entry)
        }
        func add(_ entry: String, at path: String) {
            guard found[entry] == nil else { return }
            guard let id = RaplZone.parseID(entry) else {
                skip(entry, "rapl: \(path) skipped: not a zone id Footprint understands (intel-rapl:N or intel-rapl:N:M)")
                return
            }
            let name: String
            do {
                name = try files.readLine(path + "/name")
            } catch {
                skip(
                    entry,
                    "rapl: zone \(entry) skipped: its name could not be read at \(path)/name (\(error.readFailureReason)), "
                        + "so whether it is a package, dram or psys is unknown")
                return
            }
            guard !name.isEmpty else {
                skip(entry, "rapl: zone \(entry) skipped: \(path)/name is empty, so whether it is a package, dram or psys is unknown")
                return
            }
            let range = try? files.readUInt64(path + "/max_energy_range_uj")
            found[entry] = RaplZone(
                directory: path, interface: id.interface, topIndex: id.topIndex,
                subIndex: id.subIndex, name: name, maxEnergyRangeMicrojoules: range)
            order.append(entry)
        }
        func visit(_ directory: String, depth: Int) {
            // Every zone of this directory before any nested one, so the flat
            // /sys/class/powercap/intel-rapl:0:0 wins over the same zone reached through
            // /sys/class/powercap/intel-rapl:0/intel-rapl:0:0 or the control-type directory.
            let listed = files.entries(of: directory)
            for entry in listed where isZoneLike(entry) { add(entry, at: directory + "/" + entry) }
            guard depth < 3 else { return }
            for entry in listed where RaplZone.parseID(entry) != nil || entry == "intel-rapl" || entry == "intel-rapl-mmio" {
                visit(directory + "/" + entry, depth: depth + 1)
            }
        }
        for root in roots {
            let trimmed = root.hasSuffix("/") ? String(root.dropLast()) : root
            let last = trimmed.split(separator: "/").last.map(String.init) ?? ""
            if isZoneLike(last) { add(last, at: trimmed) }
            visit(trimmed, depth: 0)
        }
        let notes = skippedOrder.filter { found[$0] == nil }.compactMap { skipped[$0] }
        return Survey(zones: order.compactMap { found[$0] }, notes: notes)
    }

    /// Whether a directory entry is meant as a zone (`intel-rapl:…`, `intel-rapl-mmio:…`),
    /// well formed or not.
    static func isZoneLike(_ entry: String) -> Bool {
        entry.hasPrefix("intel-rapl:") || entry.hasPrefix("intel-rapl-mmio:")
    }
}
