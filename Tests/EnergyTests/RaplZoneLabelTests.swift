import Foundation
import FootprintTestKit
import Testing

@testable import Energy

/// What a user sees of the zones: which root is read, which zones are skipped and why, and
/// labels that name each zone's package or die, on fixture trees laid out as sysfs lays them.
@Suite struct RaplZoneLabelTests {
    private func labels(_ machine: FixtureMachine) throws -> [String] {
        try RaplMeter(options: machine.options).zones.map(\.label)
    }

    @Test func aPowercapRootWithAColonInItsNameIsOnePathInTheEnvironmentAndTheFlag() throws {
        let machine = try FixtureMachine()
        for package in 0..<2 {
            try machine.addZone("intel-rapl:\(package)", name: "package-\(package)")
            try machine.addZone("intel-rapl:\(package):0", name: "dram")
        }
        let root = "/sys/class/powercap/intel-rapl:0"
        let fromEnvironment = MeterOptions.fromEnvironment(["FOOTPRINT_POWERCAP_ROOT": root])
        var fromFlag = MeterOptions()
        fromFlag.usePowercapRoot(root)
        #expect(fromEnvironment.powercapRoots == [root])
        #expect(fromFlag.powercapRoots == fromEnvironment.powercapRoots)

        var options = machine.options
        options.powercapRoots = fromEnvironment.powercapRoots
        let meter = try RaplMeter(options: options)
        #expect(
            meter.zones.map(\.label) == ["package-0", "dram-0"], "the zone named by the root is read with its sub-zones, not its parent")
        #expect(meter.zones.filter(\.includedInTotal).count == 2)
    }

    @Test func twoPackagesTheFirmwareNamesAlikeGetLabelsNamingTheirZone() throws {
        let machine = try FixtureMachine()
        for package in 0..<2 {
            try machine.addZone("intel-rapl:\(package)", name: "package-0")
            try machine.addZone("intel-rapl:\(package):0", name: "dram")
        }
        let labels = try labels(machine)
        #expect(labels == ["package-0", "dram-0", "package-0 (intel-rapl:1)", "dram-0 (intel-rapl:1:0)"])
        #expect(Set(labels).count == labels.count)
    }

    @Test func aMultiDiePartLabelsEachDiesDramAfterItsDieNotAfterAnotherPackage() throws {
        let machine = try FixtureMachine()
        // Cascade Lake-AP: two dies per package, each a top-level zone named package-P-die-D.
        var zone = 0
        for package in 0..<2 {
            for die in 0..<2 {
                try machine.addZone("intel-rapl:\(zone)", name: "package-\(package)-die-\(die)")
                try machine.addZone("intel-rapl:\(zone):0", name: "dram")
                zone += 1
            }
        }
        let meter = try RaplMeter(options: machine.options)
        #expect(
            meter.zones.map(\.label) == [
                "package-0-die-0", "dram-0-die-0", "package-0-die-1", "dram-0-die-1",
                "package-1-die-0", "dram-1-die-0", "package-1-die-1", "dram-1-die-1",
            ])
        #expect(meter.zones.filter(\.includedInTotal).count == 8)
    }

    @Test func aSingleSocketKeepsItsUsualLabels() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0")
        try machine.addZone("intel-rapl:0:0", name: "core")
        try machine.addZone("intel-rapl:0:1", name: "uncore")
        try machine.addZone("intel-rapl:0:2", name: "dram")
        try machine.addZone("intel-rapl:1", name: "psys")
        #expect(try labels(machine) == ["package-0", "core-0", "uncore-0", "dram-0", "psys"])
    }

    @Test func aZoneWhoseNameCannotBeReadAndAMalformedZoneDirectoryAreSkippedWithANote() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0")
        try machine.addZone("intel-rapl:1", name: "package-1")
        try machine.remove(machine.zoneDirectory("intel-rapl:1") + "/name")
        try machine.write("/sys/class/powercap/intel-rapl:a/name", "package-2\n")
        try machine.write("/sys/class/powercap/intel-rapl:a/energy_uj", "0\n")
        let meter = try RaplMeter(options: machine.options)
        #expect(meter.zones.map(\.label) == ["package-0"])
        let nameNote = meter.openingNotes.filter { $0.contains("intel-rapl:1") && $0.contains("name could not be read") }
        #expect(nameNote.count == 1, "one note for the zone, though the flat and nested roots both list it: \(meter.openingNotes)")
        #expect(meter.openingNotes.contains { $0.contains("/sys/class/powercap/intel-rapl:a") && $0.contains("not a zone id") })
    }

    @Test func everyCounterDeniedNamesTheMSRCounterAndAChmodThatCoversTheMMIOTwinToo() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0")
        try machine.addZone("intel-rapl:0:0", name: "dram")
        try machine.addZone("intel-rapl-mmio:0", name: "package-0")
        var options = machine.options
        options.files.deniedPaths = Set(["intel-rapl:0", "intel-rapl:0:0", "intel-rapl-mmio:0"].map(machine.energyPath))
        options.files.deniedPaths.formUnion(
            ["intel-rapl:0", "intel-rapl:0:0", "intel-rapl-mmio:0"].map { machine.zoneDirectory($0) + "/energy_uj" })
        var thrown: EnergyError?
        do { _ = try RaplMeter(options: options) } catch { thrown = error }
        let text = try #require(thrown).description
        let msr = try #require(text.range(of: "/sys/class/powercap/intel-rapl:0/energy_uj"), "\(text)")
        let mmio = try #require(text.range(of: "intel-rapl-mmio"), "\(text)")
        #expect(msr.lowerBound < mmio.lowerBound, "the MSR counter is named first: \(text)")
        #expect(
            text.contains("chmod a+r /sys/class/powercap/intel-rapl:*/energy_uj /sys/class/powercap/intel-rapl-mmio:*/energy_uj"), "\(text)"
        )
        #expect(text.contains("CVE-2020-8694") && text.contains("perf_event_paranoid"))
        #expect(text.contains("Remedies: ask the node's administrator to run `footprint agent`"), "\(text)")
    }

    @Test func anUnreadableMSRPackageSaysItsMMIOTwinStandsIn() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0")
        try machine.addZone("intel-rapl-mmio:0", name: "package-0")
        var options = machine.options
        options.files.deniedPaths = [machine.energyPath("intel-rapl:0"), machine.zoneDirectory("intel-rapl:0") + "/energy_uj"]
        let meter = try RaplMeter(options: options)
        #expect(meter.zones.map(\.label) == ["package-0"])
        #expect(meter.zones.first?.counter == "/sys/class/powercap/intel-rapl-mmio:0/energy_uj")
        #expect(meter.openingNotes.contains { $0.contains("intel-rapl-mmio:0") && $0.contains("stands in") }, "\(meter.openingNotes)")
    }

    @Test func psysAskedForButStillIsDroppedForThePackagesThatCount() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0")
        try machine.addZone("intel-rapl:0:0", name: "core")
        try machine.addZone("intel-rapl:1", name: "psys")
        var options = machine.options
        options.preferPsys = true
        options.allowedMeters = [.rapl]
        let package = machine.root + machine.zoneDirectory("intel-rapl:0") + "/energy_uj"
        let core = machine.root + machine.zoneDirectory("intel-rapl:0:0") + "/energy_uj"
        // The package and its core count during the probe; psys, as on some laptops' firmware, never moves.
        options.probeWork = { seconds in
            Thread.sleep(forTimeInterval: seconds)
            for path in [package, core] { try? Data("5000\n".utf8).write(to: URL(fileURLWithPath: path), options: .atomic) }
        }
        let selection = MeterSelection.open(options: options)
        defer { for meter in selection.meters { meter.close() } }
        #expect(selection.candidates.first { $0.kind == .rapl }?.status == .used, "\(selection.candidates)")
        let rapl = try #require(selection.meters.first { $0.kind == .rapl })
        #expect(rapl.zones.filter(\.includedInTotal).map(\.label) == ["package-0"])
        #expect(selection.notes.contains { $0.contains("psys") && $0.contains("did not advance") && $0.contains("package-0") })
    }

    @Test func aStillPsysThatIsTheOnlyZoneIsStillRefused() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "psys")
        var options = machine.frozenOptions
        options.preferPsys = true
        options.allowedMeters = [.rapl]
        let selection = MeterSelection.open(options: options)
        let rapl = selection.candidates.first { $0.kind == .rapl }
        #expect(rapl?.status == .refused)
        #expect(rapl?.reason?.contains("did not advance") == true)
    }
}
