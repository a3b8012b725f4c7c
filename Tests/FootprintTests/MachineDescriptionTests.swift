import FootprintTestKit
import Testing
import Vocabulary
@testable import Footprint

/// Machine facts are read through the same file-system seam as the meters.
@Suite struct MachineDescriptionTests {
    @Test func operatingSystemAndCPUModelComeFromTheSeam() throws {
        let machine = try FixtureMachine()
        try machine.write("/etc/os-release", "NAME=\"Fixture\"\nPRETTY_NAME=\"Fixture Linux 1.0\"\n")
        try machine.writeCPUInfo(modelName: "Imaginary CPU @ 1.00GHz", processors: 3)
        let info = MachineDescription.current(files: machine.options.files)
        #expect(info.operatingSystem == "Fixture Linux 1.0")
        #expect(info.cpuModel == "Imaginary CPU @ 1.00GHz")
    }
}
