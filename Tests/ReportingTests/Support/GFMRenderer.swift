import Foundation
import Testing

/// Renders Markdown with Debian's `cmark-gfm` (table extension on), to check that reports'
/// tables parse as GitHub would. CI installs it; a machine without it fails these tests on
/// purpose, saying how to install it, rather than silently skipping the check.
enum GFMRenderer {
    static let path = "/usr/bin/cmark-gfm"

    static func html(_ markdown: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            Issue.record(
                "\(path) is missing: install it with `apt-get install -y cmark-gfm` (CI installs it) to check GFM tables.",
                sourceLocation: sourceLocation)
            throw GFMUnavailable()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["-e", "table", "--unsafe"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(markdown.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, sourceLocation: sourceLocation)
        return String(decoding: data, as: UTF8.self)
    }

    /// Row counts (header row included) of each `<table>` in document order.
    static func tableRowCounts(_ html: String) -> [Int] {
        html.components(separatedBy: "<table>").dropFirst().map { table in
            let body = table.components(separatedBy: "</table>")[0]
            return body.components(separatedBy: "<tr>").count - 1
        }
    }

    struct GFMUnavailable: Error {}
}
