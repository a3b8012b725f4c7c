import Foundation
import FootprintTestKit
import Testing

@testable import Energy

/// A candidate that gives a host and a devices meter (hwmon, the agent) is used when either is;
/// what happened to the other part stays in its notes for `footprint meters`.
@Suite struct PartlyRefusedCandidateTests {
    @Test func aStillCPUCounterBesideALiveGPUIsNamedInTheUsedCandidatesNotes() throws {
        let machine = try FixtureMachine()
        let cpu = try machine.addAMDEnergy(cores: 2, sockets: 1)
        try machine.addAMDGPU()
        var options = machine.frozenOptions
        options.allowedMeters = [.hwmon]
        let selection = MeterSelection.open(options: options)
        defer { selection.meters.forEach { $0.close() } }
        let hwmon = try #require(selection.candidates.first { $0.kind == .hwmon })
        #expect(hwmon.status == .used, "the amdgpu power counts")
        #expect(hwmon.reason == nil)
        #expect(
            hwmon.notes.contains { $0.hasPrefix("its host zones were refused") && $0.contains(cpu) && $0.contains("did not advance") },
            "\(hwmon.notes)")
        #expect(selection.meters.map(\.role) == [.devices])
    }
}
