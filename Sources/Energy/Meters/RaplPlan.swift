/// Which RAPL zones are read, under which label, and which count in the total.
///
/// Containment on Intel and AMD: a package contains its core and uncore (graphics) zones; dram
/// sits beside the package; psys (client platforms) covers the whole SoC, package and dram
/// included; `intel-rapl-mmio:N` reads the same package counter as `intel-rapl:N`. So the total
/// is Σ package + Σ dram, or psys alone when it is the only top-level zone or the user prefers
/// it, and never a parent with its children, an MMIO zone with its twin, or psys with a package.
struct RaplPlan: Equatable {
    struct Entry: Equatable {
        var zone: RaplZone
        var label: String
        var includedInTotal: Bool
    }

    var entries: [Entry]
    var notes: [String]

    /// Plans the reading of `readable` zones (those whose `energy_uj` could be read).
    static func make(readable: [RaplZone], preferPsys: Bool) -> RaplPlan {
        var notes: [String] = []
        // An MMIO zone is used only when its MSR twin (same place in the tree, same name) is unreadable.
        func twinKey(_ zone: RaplZone) -> String {
            let parentName =
                zone.subIndex == nil
                ? ""
                : (readable.first {
                    $0.interface == zone.interface && $0.topIndex == zone.topIndex && $0.isTopLevel
                }?.name ?? "\(zone.topIndex)")
            return parentName + "/" + zone.name
        }
        let msrKeys = Set(readable.filter { !$0.isMMIO }.map(twinKey))
        var zones: [RaplZone] = []
        for zone in readable {
            if zone.isMMIO && msrKeys.contains(twinKey(zone)) {
                notes.append("rapl: \(zone.id) (\(zone.name)) mirrors its intel-rapl twin and is not counted twice")
            } else {
                zones.append(zone)
            }
        }

        let tops = zones.filter(\.isTopLevel)
        let hasPackage = tops.contains { $0.name.hasPrefix("package") }
        let hasPsys = tops.contains { $0.name == "psys" }
        let usePsys = hasPsys && (preferPsys || !hasPackage)
        let hasTopLevel = !tops.isEmpty
        if usePsys {
            notes.append(
                preferPsys
                    ? "rapl: psys (whole SoC) used for the total as asked; package and dram zones shown for information only"
                    : "rapl: psys is the only top-level zone and is used for the total")
        } else if hasPsys {
            notes.append("rapl: psys not added to the total because it contains the packages and dram; shown for information")
        }
        if !hasTopLevel && !zones.isEmpty {
            notes.append("rapl: no package zone is readable; the total covers only the readable sub-zones")
        }

        var labels: Set<String> = []
        var entries: [Entry] = []
        for zone in zones {
            let parent = zones.first { $0.isTopLevel && $0.topIndex == zone.topIndex && $0.interface == zone.interface }
            let socket = socketNumber(parent?.name ?? zone.name) ?? zone.topIndex
            var label: String
            if zone.isTopLevel {
                label = zone.name.hasPrefix("package") || zone.name == "psys" ? zone.name : "\(zone.name)-\(socket)"
            } else {
                label = "\(zone.name)-\(socket)"
            }
            if labels.contains(label) { label += ":\(zone.subIndex ?? zone.topIndex)" }
            labels.insert(label)

            let included: Bool
            if usePsys {
                included = zone.isTopLevel && zone.name == "psys"
            } else if !hasTopLevel {
                included = true
            } else if zone.isTopLevel {
                included = zone.name.hasPrefix("package") || zone.name == "dram"
            } else {
                included = zone.name == "dram"
            }
            entries.append(Entry(zone: zone, label: label, includedInTotal: included))
        }
        return RaplPlan(entries: entries, notes: notes)
    }

    /// 3 for "package-3".
    static func socketNumber(_ name: String) -> Int? {
        guard name.hasPrefix("package-") else { return nil }
        return Int(name.dropFirst("package-".count))
    }
}
