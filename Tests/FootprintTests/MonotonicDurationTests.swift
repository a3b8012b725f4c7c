import Foundation
import Testing
import Vocabulary

/// Issue 7, wall-clock jumps: every duration comes from the monotonic clock. This scans the
/// sources so that a `Date()` subtraction cannot creep back into a duration.
@Suite struct MonotonicDurationTests {
    @Test func noSourceMeasuresADurationWithTheWallClock() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources")
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)).compactMap { $0 as? URL }
            .filter { $0.pathExtension == "swift" }
        #expect(files.count > 50)
        let forbidden = [
            ".timeIntervalSinceNow", "Date().timeIntervalSince(", "timeIntervalSinceReferenceDate", "CFAbsoluteTimeGetCurrent",
            "gettimeofday",
        ]
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for pattern in forbidden where text.contains(pattern) {
                Issue.record("\(file.lastPathComponent) uses \(pattern): measure durations with Clocks.monotonicSeconds()")
            }
        }
    }
}
