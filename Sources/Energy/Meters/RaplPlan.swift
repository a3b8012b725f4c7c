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
    ///
    /// - Parameters:
    ///   - readable: the zones whose `energy_uj` could be read, in discovery order.
    ///   - preferPsys: count psys instead of packages and dram (`--psys`).
    ///   - unreadable: the zones found whose `energy_uj` could not be read, so that an MMIO
    ///     zone standing in for its unreadable MSR twin says so.
    static func make(readable: [RaplZone], preferPsys: Bool, unreadable: [RaplZone] = []) -> RaplPlan {
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
        let unreadableMSR = Dictionary(unreadable.filter { !$0.isMMIO }.map { (twinKey($0), $0) }, uniquingKeysWith: { first, _ in first })
        var zones: [RaplZone] = []
        for zone in readable {
            if zone.isMMIO && msrKeys.contains(twinKey(zone)) {
                notes.append("rapl: \(zone.id) (\(zone.name)) mirrors its intel-rapl twin and is not counted twice")
            } else {
                if zone.isMMIO, let twin = unreadableMSR[twinKey(zone)] {
                    notes.append(
                        "rapl: \(twin.id) (\(twin.name)) is unreadable; \(zone.id), the same counter read through MMIO, stands in for it")
                }
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
                    ? "rapl: psys (whole SoC) used for the total as asked, if the probe sees it count; package and dram zones shown for information only"
                    : "rapl: psys is the only top-level zone and is used for the total")
        } else if hasPsys {
            notes.append("rapl: psys not added to the total because it contains the packages and dram; shown for information")
        }
        if !hasTopLevel && !zones.isEmpty {
            notes.append("rapl: no package zone is readable; the total covers only the readable sub-zones")
        }

        let labels = Self.labels(zones)
        var entries: [Entry] = []
        for (zone, label) in zip(zones, labels) {
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

    /// A unique label per zone, in the order of `zones`.
    ///
    /// A package keeps its kernel name (`package-0`, `package-0-die-1` on a multi-die part);
    /// a sub-zone is named after its package the same way (`dram-0`, `dram-0-die-1`, as perf
    /// labels them), so die 1's dram is never taken for package 1's. Zones are labelled in the
    /// order of their ids, and a label already taken (two packages the firmware names alike,
    /// two `core` zones of one package) gets the zone's id: `package-0 (intel-rapl:1)`,
    /// `dram-0 (intel-rapl:1:0)`.
    static func labels(_ zones: [RaplZone]) -> [String] {
        func parent(of zone: RaplZone) -> RaplZone? {
            zones.first { $0.isTopLevel && $0.topIndex == zone.topIndex && $0.interface == zone.interface }
        }
        func base(_ zone: RaplZone) -> String {
            if zone.isTopLevel {
                return zone.name.hasPrefix("package") || zone.name == "psys" ? zone.name : "\(zone.name)-\(zone.topIndex)"
            }
            return "\(zone.name)-\(unit(parent(of: zone)?.name ?? "") ?? String(zone.topIndex))"
        }
        let byID = zones.indices.sorted {
            let left = zones[$0]
            let right = zones[$1]
            return (left.isMMIO ? 1 : 0, left.topIndex, left.subIndex ?? -1) < (right.isMMIO ? 1 : 0, right.topIndex, right.subIndex ?? -1)
        }
        var labels = [String](repeating: "", count: zones.count)
        var taken: Set<String> = []
        for index in byID {
            var label = base(zones[index])
            if taken.contains(label) { label += " (\(zones[index].id))" }
            taken.insert(label)
            labels[index] = label
        }
        return labels
    }

    /// What a package's sub-zones are named after: "3" for "package-3", "0-die-1" for
    /// "package-0-die-1"; nil for any other name.
    static func unit(_ name: String) -> String? {
        guard name.hasPrefix("package-"), name.count > "package-".count else { return nil }
        return String(name.dropFirst("package-".count))
    }
}
