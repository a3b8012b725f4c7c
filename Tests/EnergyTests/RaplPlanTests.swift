import FootprintTestKit
import Testing

@testable import Energy

/// Zone discovery and containment on the layouts real machines have.
@Suite struct RaplPlanTests {
    private func plan(_ machine: FixtureMachine, preferPsys: Bool = false) throws -> RaplPlan {
        var options = machine.options
        options.preferPsys = preferPsys
        let zones = RaplDiscovery.discover(files: options.files, roots: options.powercapRoots)
        return RaplPlan.make(readable: zones, preferPsys: preferPsys)
    }

    private func included(_ plan: RaplPlan) -> [String] {
        plan.entries.filter(\.includedInTotal).map(\.label).sorted()
    }

    @Test func oneSocketCountsPackageAndDramButNotCoreOrUncore() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0")
        try machine.addZone("intel-rapl:0:0", name: "core")
        try machine.addZone("intel-rapl:0:1", name: "uncore")
        try machine.addZone("intel-rapl:0:2", name: "dram")
        let plan = try plan(machine)
        #expect(plan.entries.map(\.label).sorted() == ["core-0", "dram-0", "package-0", "uncore-0"])
        #expect(included(plan) == ["dram-0", "package-0"])
    }

    @Test func discoveryFindsEachZoneOnceAcrossFlatAndNestedRoots() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0")
        try machine.addZone("intel-rapl:0:0", name: "core")
        let flatAndNested = RaplDiscovery.discover(files: machine.options.files, roots: machine.options.powercapRoots)
        #expect(flatAndNested.map(\.id) == ["intel-rapl:0", "intel-rapl:0:0"])
        #expect(flatAndNested.map(\.directory) == ["/sys/class/powercap/intel-rapl:0", "/sys/class/powercap/intel-rapl:0:0"])
        let nestedOnly = RaplDiscovery.discover(files: machine.options.files, roots: ["/sys/devices/virtual/powercap"])
        #expect(nestedOnly.map(\.id).sorted() == ["intel-rapl:0", "intel-rapl:0:0"])
        #expect(nestedOnly.first?.maxEnergyRangeMicrojoules == 262_143_328_850)
    }

    @Test func twoSocketsAddUpWithTheirDram() throws {
        let machine = try FixtureMachine()
        for socket in 0..<2 {
            try machine.addZone("intel-rapl:\(socket)", name: "package-\(socket)")
            try machine.addZone("intel-rapl:\(socket):0", name: "dram")
        }
        #expect(included(try plan(machine)) == ["dram-0", "dram-1", "package-0", "package-1"])
    }

    @Test func clientMachineLeavesPsysOutUnlessAsked() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0")
        try machine.addZone("intel-rapl:0:0", name: "core")
        try machine.addZone("intel-rapl:0:1", name: "uncore")
        try machine.addZone("intel-rapl:1", name: "psys")
        let byDefault = try plan(machine)
        #expect(included(byDefault) == ["package-0"])
        #expect(byDefault.notes.contains { $0.contains("psys not added") })
        #expect(included(try plan(machine, preferPsys: true)) == ["psys"])
    }

    @Test func psysAloneIsUsed() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "psys")
        #expect(included(try plan(machine)) == ["psys"])
    }

    @Test func mmioTwinIsNotCountedTwiceButStandsInWhenTheMSRZoneIsUnreadable() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0")
        try machine.addZone("intel-rapl:0:0", name: "dram")
        try machine.addZone("intel-rapl-mmio:0", name: "package-0")
        let zones = RaplDiscovery.discover(files: machine.options.files, roots: machine.options.powercapRoots)
        let both = RaplPlan.make(readable: zones, preferPsys: false)
        #expect(both.entries.map(\.zone.id).sorted() == ["intel-rapl:0", "intel-rapl:0:0"])
        #expect(included(both) == ["dram-0", "package-0"])
        #expect(both.notes.contains { $0.contains("intel-rapl-mmio:0") })

        let withoutMSR = RaplPlan.make(readable: zones.filter { $0.id != "intel-rapl:0" }, preferPsys: false)
        #expect(withoutMSR.entries.first { $0.label == "package-0" }?.zone.id == "intel-rapl-mmio:0")
        #expect(included(withoutMSR) == ["dram-0", "package-0"])
    }

    @Test func amdNamingWithOnlyCoreSubZonesCountsThePackageOnce() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0")
        try machine.addZone("intel-rapl:0:0", name: "core")
        try machine.addZone("intel-rapl:0:1", name: "core")
        let plan = try plan(machine)
        #expect(included(plan) == ["package-0"])
        #expect(Set(plan.entries.map(\.label)).count == 3, "duplicate core names get distinct labels")
    }

    @Test func onlyReadableSubZonesAreCountedWithANoteSayingSo() throws {
        let machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0")
        try machine.addZone("intel-rapl:0:0", name: "core")
        let zones = RaplDiscovery.discover(files: machine.options.files, roots: machine.options.powercapRoots)
        let plan = RaplPlan.make(readable: zones.filter { !$0.isTopLevel }, preferPsys: false)
        #expect(included(plan) == ["core-0"])
        #expect(plan.notes.contains { $0.contains("no package zone is readable") })
    }

    @Test func zoneIDsAreParsedStrictly() {
        #expect(RaplZone.parseID("intel-rapl:1:2")?.subIndex == 2)
        #expect(RaplZone.parseID("intel-rapl-mmio:0")?.interface == "intel-rapl-mmio")
        #expect(RaplZone.parseID("intel-rapl") == nil)
        #expect(RaplZone.parseID("intel-rapl:x") == nil)
        #expect(RaplZone.parseID("dtpm:0") == nil)
    }
}
