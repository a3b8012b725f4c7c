import Foundation
import RunStore
import Testing

/// `footprint wrap` against a program that writes hostile event lines: nothing it sends may
/// kill footprint, leave the run `running`, slow the program or fill footprint's memory.
@Suite(.serialized) struct HostileEventTests {
    /// Runs `footprint wrap` on `python3 -c script` in a scratch directory with `--db runs.sqlite`.
    private func wrap(_ script: String, arguments: [String] = []) throws -> (FootprintBinary.Outcome, URL) {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let outcome = try binary.run(["wrap", "--db", "runs.sqlite"] + arguments + ["--", "python3", "-c", script], in: directory)
        return (outcome, directory)
    }

    private func database(in directory: URL) throws -> RunDatabase {
        try RunDatabase.open(path: directory.appendingPathComponent("runs.sqlite").path)
    }

    /// A Python program writing `lines` (Python expressions giving str or bytes) to the FIFO.
    private static func program(_ lines: [String], before: String = "") -> String {
        """
        import os, sys, time
        \(before)
        path = os.environ["FOOTPRINT_EVENTS"]
        open("events-path", "w").write(path)
        with open(path, "wb") as f:
            for line in [\(lines.joined(separator: ", "))]:
                f.write(line if isinstance(line, bytes) else line.encode())
        """
    }

    @Test(.timeLimit(.minutes(1)))
    func aWarningQuotingAnEventLineShowsItsControlCharactersEscaped() throws {
        let script = Self.program([#"'\x1b]0;pwned\x07\x1b[2J not json\n'"#, #"'{"event":"phase","name":"a\x1b[31mb"}\n'"#])
        let (outcome, _) = try wrap(script)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardError.contains(#"\e]0;pwned"#), "\(outcome.standardError)")
        #expect(!outcome.standardError.utf8.contains(0x1B) && !outcome.standardError.utf8.contains(0x07))
    }

    @Test(.timeLimit(.minutes(1)))
    func hugeAndWronglyTypedNumbersAreIgnoredLinesAndTheRunCompletes() throws {
        let script = Self.program([
            #"'{"event":"epoch","index":1,"samples":1e300}\n'"#, #"'{"event":"epoch","index":1,"samples":1e19}\n'"#,
            #"'{"event":"epoch","index":true}\n'"#, #"'{"event":"epoch","index":1e300}\n'"#,
            #"'{"event":"epoch","index":1,"samples":64,"loss":0.5}\n'"#,
        ])
        let (outcome, directory) = try wrap(script)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        #expect(outcome.standardError.contains("not 1e+300"))
        #expect(outcome.standardError.contains("\"index\" must be a whole number") && outcome.standardError.contains("not true"))
        let database = try database(in: directory)
        let run = try database.run(id: 1)
        #expect(run.status == .completed && run.exitStatus == 0)
        let epochs = try database.epochs(runID: 1)
        #expect(epochs.map(\.epochIndex) == [1] && epochs.first?.samples == 64)
        // The FIFO and its directory are gone.
        let path = try String(contentsOf: directory.appendingPathComponent("events-path"), encoding: .utf8)
        #expect(path.contains("footprint-events-"))
        #expect(!FileManager.default.fileExists(atPath: (path as NSString).deletingLastPathComponent))
    }

    @Test(.timeLimit(.minutes(1)))
    func aRepeatedEpochIndexIsRefusedAndTheFirstReportKept() throws {
        let script = Self.program([
            #"'{"event":"epoch","index":1,"loss":0.5}\n'"#, #"'{"event":"epoch","index":2,"loss":0.4}\n'"#,
            #"'{"event":"epoch","index":1,"loss":0.9}\n'"#,
        ])
        let (outcome, directory) = try wrap(script)
        #expect(outcome.status == 0)
        #expect(outcome.standardError.contains("epoch 1 was already recorded"))
        let epochs = try database(in: directory).epochs(runID: 1)
        #expect(epochs.map(\.epochIndex) == [1, 2])
        #expect(epochs.first?.trainLoss == 0.5)
    }

    @Test(.timeLimit(.minutes(1)))
    func qualityOutsideItsDomainIsRefusedAndAStringLossIsDroppedAloud() throws {
        let script = Self.program([
            #"'{"event":"epoch","index":1,"accuracy":-7}\n'"#, #"'{"event":"epoch","index":2,"mse":-0.5}\n'"#,
            #"'{"event":"epoch","index":3,"r2":1e300}\n'"#, #"'{"event":"epoch","index":4,"loss":"0.1","accuracy":0.9}\n'"#,
        ])
        let (outcome, directory) = try wrap(script)
        #expect(outcome.status == 0)
        #expect(outcome.standardError.contains("\"loss\" was dropped"))
        let epochs = try database(in: directory).epochs(runID: 1)
        #expect(epochs.map(\.epochIndex) == [4])
        #expect(epochs.first?.trainLoss == nil && epochs.first?.accuracy == 0.9)
    }

    @Test(.timeLimit(.minutes(1)))
    func manyMalformedLinesGiveAFewWarningsAndOneCount() throws {
        let script = Self.program(["*[f'garbage {i}\\n' for i in range(5000)]", #"'{"event":"epoch","index":1}\n'"#])
        let (outcome, directory) = try wrap(script)
        #expect(outcome.status == 0)
        let lines = outcome.standardError.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("footprint: ignored event line") }.count == 10)
        #expect(outcome.standardError.contains("4,990 more problems with event lines were not shown (5,000 lines ignored"))
        #expect(lines.count < 60, "\(lines.count) lines on stderr")
        let notes = try database(in: directory).run(id: 1).energyNotesJSON ?? ""
        #expect(notes.contains("5,000 event lines were ignored"))
    }

    @Test(.timeLimit(.minutes(1)))
    func aFiftyMegabyteLineIsOneNoteAndDoesNotStallTheProgram() throws {
        let script =
            Self.program(
                ["'x' * 50_000_000 + '\\n'", #"'{"event":"epoch","index":1}\n'"#],
                before: "started = time.monotonic()") + "\nopen('write-seconds', 'w').write(str(time.monotonic() - started))"
        let (outcome, directory) = try wrap(script)
        #expect(outcome.status == 0)
        let notes = outcome.standardError.split(separator: "\n").filter { $0.hasPrefix("footprint: ignored") }
        #expect(notes == ["footprint: ignored an event line of 50,000,000 bytes: the limit is 1,048,576 bytes (1 MiB)"])
        #expect(try database(in: directory).epochs(runID: 1).map(\.epochIndex) == [1])
        let seconds = Double(try String(contentsOf: directory.appendingPathComponent("write-seconds"), encoding: .utf8)) ?? .infinity
        #expect(seconds < 3, "the program spent \(seconds) s writing to the FIFO")
    }

    @Test(.timeLimit(.minutes(1)))
    func aLastLineOfInvalidUTF8WithoutNewlineIsReported() throws {
        let script = Self.program([#"'{"event":"epoch","index":1}\n'"#, #"b'{"event":"phase","name":"\xff\xfe"}'"#])
        let (outcome, _) = try wrap(script)
        #expect(outcome.status == 0)
        #expect(outcome.standardError.contains("is not valid UTF-8"))
    }

    /// Peak memory of the footprint process (ru_maxrss of the waited-for child, read by a
    /// Python parent) stays under 64 MiB whatever the number of lines. 200,000 epochs take
    /// minutes in a debug build, so this run mixes 3,000 epochs with 100,000 malformed lines
    /// and 100,000 phase marks, which the old code all kept.
    @Test(.timeLimit(.minutes(2)))
    func peakMemoryStaysFlatInTheNumberOfEventLines() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let child = """
            import os
            with open(os.environ["FOOTPRINT_EVENTS"], "w") as f:
                for i in range(100_000):
                    f.write('{"event":"phase","name":"%s"}\\n' % ("p%d-" % i + "x" * 150))
                    f.write('malformed line %d %s\\n' % (i, "y" * 100))
                for i in range(1, 3001):
                    f.write('{"event":"epoch","index":%d,"loss":0.5,"accuracy":0.9,"samples":64}\\n' % i)
            """
        let parent = """
            import resource, subprocess, sys
            status = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
            print(status, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
            """
        let outcome = try FootprintBinary(url: URL(fileURLWithPath: "/usr/bin/env")).run(
            ["python3", "-c", parent, binary.url.path, "wrap", "--db", "runs.sqlite", "--", "python3", "-c", child], in: directory)
        let fields = outcome.standardOutput.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(fields.first == 0, "\(outcome.standardOutput) \(outcome.standardError)")
        let kilobytes = try #require(fields.last)
        #expect(kilobytes < 64 * 1024, "peak RSS \(kilobytes / 1024) MiB")
        let database = try RunDatabase.open(path: directory.appendingPathComponent("runs.sqlite").path)
        #expect(try database.epochs(runID: 1).count == 3000)
        #expect(try database.run(id: 1).energyNotesJSON?.contains("more phase marks (100,000 in all)") == true)
    }

    /// A file-size limit makes SQLite's writes fail as a full disk does (SIGXFSZ ignored, so
    /// writes fail with EFBIG instead of killing footprint).
    @Test(.timeLimit(.minutes(2)))
    func aFullDiskEndsTheRunCompletedWithWhatWasStoredAndKeepsTheExitStatus() throws {
        let binary = try FootprintBinary.locate()
        let child = """
            import os, sys
            with open(os.environ["FOOTPRINT_EVENTS"], "w") as f:
                for i in range(1, 1001):
                    f.write('{"event":"epoch","index":%d,"loss":0.5}\\n' % i)
            sys.exit(int(sys.argv[1]))
            """
        for status in ["0", "3"] {
            let directory = try FootprintBinary.scratchDirectory()
            #expect(try binary.run(["wrap", "--db", "runs.sqlite", "--", "true"], in: directory).status == 0)
            let outcome = try binary.runWithFileSizeLimit(
                kilobytes: 256, ["wrap", "--db", "runs.sqlite", "--", "python3", "-c", child, status], in: directory)
            let message = outcome.standardError
            #expect(outcome.status == Int32(status), "\(message)")
            let lost = message.split(separator: "\n").filter { $0.hasPrefix("footprint:") && $0.contains("not recorded") }
            #expect(lost.count <= 2, "\(lost.count) lines about lost epochs")
            #expect(lost.last?.contains("epochs were not recorded") == true, "\(message)")
            let database = try database(in: directory)
            let stored = try database.run(id: 2)
            #expect(stored.status == (status == "0" ? .completed : .failed), "\(message)")
            #expect(stored.exitStatus == Int32(status))
            let epochs = try database.epochs(runID: 2).count
            #expect(epochs > 0 && epochs < 1000, "\(epochs) epochs stored")
            #expect(stored.energyNotesJSON?.contains("epochs were not recorded") == true)
            #expect(try database.integrityCheck() == ["ok"])
        }
    }
}
