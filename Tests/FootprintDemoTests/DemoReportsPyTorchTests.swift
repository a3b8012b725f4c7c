import Foundation
import Testing

@testable import Reporting

/// The index `footprint demo` rewrites keeps the line for `Benchmarks/pytorch_demo.sh`'s report
/// when that report is there, and says nothing of it otherwise.
@Suite struct DemoReportsPyTorchTests {
    private func index(withPyTorchReport: Bool) throws -> (text: String, written: DemoReports.Written) {
        let directory = try DemoTestTracker.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let tracker = try DemoTestTracker.make(in: directory)
        let reports = directory.appendingPathComponent("Reports").path
        try FileManager.default.createDirectory(atPath: reports, withIntermediateDirectories: true)
        if withPyTorchReport { try "# PyTorch\n".write(toFile: reports + "/pytorch.md", atomically: true, encoding: .utf8) }
        let written = try DemoReports(directory: reports).write([], seconds: 1, from: tracker.database)
        return (try String(contentsOfFile: written.indexPath, encoding: .utf8), written)
    }

    @Test func theIndexLinksThePyTorchReportWhenItExists() throws {
        let (text, written) = try index(withPyTorchReport: true)
        #expect(text.contains("- [The terrain MLPs in PyTorch beside Footprint's trainer](pytorch.md): time, training energy"), "\(text)")
        // Not one of the demo's own comparisons.
        #expect(written.entries.isEmpty)
    }

    @Test func theIndexSaysNothingOfPyTorchWithoutItsReport() throws {
        let (text, _) = try index(withPyTorchReport: false)
        #expect(!text.contains("pytorch.md"))
    }
}
