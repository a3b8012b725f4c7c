import ArgumentParser
import Foundation
import Reporting

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// True when standard error is a terminal (progress lines go there).
var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
var standardInputIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }

/// Writes a report with `write`, printing the Markdown path; a write failure is one line and
/// exit status 1.
func writeReport(to path: String, _ write: (String) throws -> [String]) throws {
    do {
        _ = try write(path)
    } catch let error as ReportingError {
        printError("footprint: \(error)")
        throw ExitCode(1)
    }
    print(path)
}
