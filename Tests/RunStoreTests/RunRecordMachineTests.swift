import Foundation
import RunStore
import Testing
import Vocabulary

/// The machine columns and ``MachineDescription`` meet in one place, both ways.
@Suite struct RunRecordMachineTests {
    @Test func machineDescriptionFillsAndReadsTheFiveMachineColumns() {
        var record = RunRecord(name: "run", kind: .api, startedAt: Date(timeIntervalSince1970: 0), host: "h")
        #expect(record.machine == MachineDescription())
        let machine = MachineDescription(
            operatingSystem: "Fixture Linux 1.0", kernel: "Linux 6.1", cpuModel: "Imaginary CPU", cpuCount: 3, memoryBytes: 1 << 33)
        record.machine = machine
        #expect(record.os == "Fixture Linux 1.0" && record.kernel == "Linux 6.1" && record.cpuModel == "Imaginary CPU")
        #expect(record.cpuCount == 3 && record.memoryBytes == 1 << 33)
        #expect(record.machine == machine)
        record.cpuModel = nil
        #expect(record.machine.cpuModel == nil && record.machine.operatingSystem == "Fixture Linux 1.0")
    }
}
