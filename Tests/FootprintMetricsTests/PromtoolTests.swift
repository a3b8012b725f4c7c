import Vocabulary
import Foundation
import FootprintTestKit
import Testing

@testable import FootprintMetrics

/// Prometheus's own linter on the text the endpoint serves. Skipped without `promtool` on a
/// developer's machine; in CI (`CI=true`) a missing promtool fails (Debian's `prometheus`
/// package ships it; `.ci/prometheus.sh` installs it).
@Suite struct PromtoolTests {
    static let promtool = TestEnvironment.executable(named: "promtool")

    @Test(.enabled(if: TestEnvironment.runs(needing: promtool != nil)))
    func promtoolAcceptsTheExpositionOfARunsSnapshots() throws {
        let promtool = try #require(Self.promtool, "promtool is not on PATH; CI installs it with .ci/prometheus.sh")
        let metrics = RunMetrics()
        for seconds in [1.0, 2, 3] { metrics.record(RunMetricsTests.snapshot(seconds: seconds, epochs: Int(seconds))) }
        // A second run without energy and with awkward label values shares the registry.
        var other = RunMetricsTests.snapshot(seconds: 1, epochs: 0)
        other.uuid = "OTHER"
        other.name = "quote \" and \\ backslash"
        other.joules = nil
        other.zoneJoules = []
        metrics.record(other)
        metrics.record(RunMetricsTests.snapshot(seconds: 4, epochs: 4, finished: true))
        let text = metrics.exposition()

        let process = Process()
        process.executableURL = URL(fileURLWithPath: promtool)
        process.arguments = ["check", "metrics"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(text))
        try input.fileHandleForWriting.close()
        let report = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "promtool check metrics: \(report)\n\(String(decoding: text, as: UTF8.self))")
        #expect(report.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "promtool's remarks: \(report)")
    }
}
