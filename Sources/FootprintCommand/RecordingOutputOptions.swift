import ArgumentParser
import Foundation
import RunModel
import RunStore

/// `--repeat N` and `--json-output FILE`, shared by `train` and `wrap`.
struct RecordingOutputOptions: ParsableArguments {
    @Option(
        name: .customLong("repeat"),
        help: ArgumentHelp(
            "Run N trials, each recorded as a run and tagged as one group; prints the median and 95% interval of energy, time, CO2e and quality (with --json: {runs, summary}).",
            valueName: "N"))
    var repeatCount: Int = 1

    @Option(
        name: .customLong("json-output"),
        help: ArgumentHelp(
            "Also write the JSON object (--json's) to this file: safe to parse even when the program prints to stdout.",
            valueName: "file"))
    var jsonOutput: String?

    func validate() throws {
        if repeatCount < 1 || repeatCount > 1000 { throw ValidationError("--repeat must be between 1 and 1000, got \(repeatCount).") }
        if let jsonOutput {
            if jsonOutput.isEmpty || jsonOutput.hasSuffix("/") {
                throw ValidationError("--json-output needs a file name, got '\(jsonOutput)'.")
            }
            let directory = (jsonOutput as NSString).deletingLastPathComponent
            var isDirectory: ObjCBool = false
            if !directory.isEmpty, !(FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) && isDirectory.boolValue)
            {
                throw ValidationError("--json-output: the directory \(directory) does not exist.")
            }
        }
    }

    /// The document of a finished run, from the record its tracker returned (the run's row is
    /// not read again), with its JSON written to `--json-output`, if given.
    ///
    /// - Parameters:
    ///   - run: The finished record (`TrackedTraining.record`, `WrappedCommand.record`).
    ///   - database: The store it was recorded in.
    /// - Returns: The run's document and its JSON text, for `--json` or a table.
    func finishedRun(_ run: RunRecord, in database: any RunStorage) throws -> (document: RunDocument, json: String) {
        let document = try RunDocument.load(finished: run, from: database)
        let text = try document.jsonText()
        try writeJSON(text, databasePath: database.locationDescription, runNumbers: [database.storedRunNumber(document.id)])
        return (document, text)
    }

    /// Writes `text` to `--json-output`, if given; a failure is one line and exit status 1
    /// naming the file, the reason, and the run numbers the runs were recorded under, since
    /// they are recorded all the same.
    ///
    /// - Parameter runNumbers: the stored numbers of the runs `text` describes.
    func writeJSON(_ text: String, databasePath: String, runNumbers: [Int64] = []) throws {
        guard let jsonOutput else { return }
        if let reason = Self.writeAtomically(Data((text + "\n").utf8), to: jsonOutput) {
            printError(Self.jsonOutputFailure(path: jsonOutput, reason: reason, databasePath: databasePath, runNumbers: runNumbers))
            throw ExitCode(1)
        }
    }

    /// The one line printed when `--json-output` cannot be written.
    static func jsonOutputFailure(path: String, reason: String, databasePath: String, runNumbers: [Int64]) -> String {
        let recorded: String
        switch runNumbers.count {
        case 0:
            recorded = "The run was recorded in \(databasePath) all the same; `footprint runs` lists it."
        case 1:
            recorded =
                "The run was recorded all the same, as run \(runNumbers[0]) in \(databasePath): "
                + "`footprint show \(runNumbers[0]) --json` prints the same object."
        default:
            let numbers = runNumbers.map(String.init).joined(separator: ", ")
            recorded =
                "The runs were recorded all the same, as runs \(numbers) in \(databasePath): "
                + "`footprint show N --json` prints each one's object."
        }
        return "footprint: cannot write --json-output \(path): \(reason). " + recorded
    }

    /// Writes `data` to `path` through a temporary file beside it and a rename, so a reader
    /// never sees half an object.
    ///
    /// - Returns: nil when written, else the reason ("Permission denied (errno 13)").
    static func writeAtomically(_ data: Data, to path: String) -> String? {
        func reason(_ code: Int32) -> String { "\(String(cString: strerror(code))) (errno \(code))" }
        var template = Array((path + ".footprint-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer -> Int32 in buffer.baseAddress.map { mkstemp($0) } ?? -1 }
        guard fd >= 0 else { return reason(errno) }
        let temporary = String(cString: template)
        var failure: Int32 = 0
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(fd, bytes.baseAddress?.advanced(by: offset), bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        // mkstemp creates 0600; give the file the mode a plain create would (0666 less the umask).
        let mask = umask(0)
        umask(mask)
        if failure == 0, fchmod(fd, 0o666 & ~mask) != 0 { failure = errno }
        if close(fd) != 0, failure == 0 { failure = errno }
        if failure == 0, rename(temporary, path) != 0 { failure = errno }
        if failure != 0 {
            unlink(temporary)
            return reason(failure)
        }
        return nil
    }
}
