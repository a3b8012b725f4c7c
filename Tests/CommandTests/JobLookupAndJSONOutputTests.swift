import Foundation
import Testing

/// Finding a job as a Slurm user names it, and a `--json-output` that cannot be written, as a
/// user meets them: real `footprint` processes on a scratch store.
@Suite struct JobLookupAndJSONOutputTests {
    private func record(_ binary: FootprintBinary, job: String, in directory: URL) throws {
        let outcome = try binary.run(["wrap", "--db", "runs.sqlite", "--meter", "estimate", "--job", job, "--", "true"], in: directory)
        #expect(outcome.status == 0, "\(outcome.standardError)")
    }

    @Test func aBareSlurmJobIDShowsItsOnlyStepOrListsItsSteps() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        try record(binary, job: "slurm:4242.0", in: directory)
        try record(binary, job: "slurm:4242.1", in: directory)
        try record(binary, job: "slurm:4242.1", in: directory)
        try record(binary, job: "slurm:777.0", in: directory)
        try record(binary, job: "slurm:42424.0", in: directory)

        let single = try binary.run(["show", "--db", "runs.sqlite", "--job", "777", "--json"], in: directory)
        #expect(single.status == 0, "\(single.standardError)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(single.standardOutput.utf8)) as? [String: Any])
        #expect(object["job"] as? String == "slurm:777.0")
        #expect((object["notes"] as? [String])?.contains { $0.contains("taken as slurm:777.0") } == true)

        for bare in ["4242", "slurm:4242"] {
            let several = try binary.run(["show", "--db", "runs.sqlite", "--job", bare], in: directory)
            #expect(several.status == 1)
            let line = several.standardError.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(!line.contains("\n"), "one line: \(line)")
            #expect(line.contains("slurm:4242.0 (1 run), slurm:4242.1 (2 runs)"), "\(line)")
            #expect(!line.contains("42424"), "another job whose id starts alike is not a step: \(line)")
            #expect(line.contains("pick one with --job slurm:4242.0"), "\(line)")
        }
        let exact = try binary.run(["show", "--db", "runs.sqlite", "--job", "slurm:4242.1", "--json"], in: directory)
        #expect(exact.status == 0, "\(exact.standardError)")
        #expect(!exact.standardOutput.contains("taken as"))
        let none = try binary.run(["show", "--db", "runs.sqlite", "--job", "999"], in: directory)
        #expect(none.status == 1 && none.standardError.contains("no run of job '999'"), "\(none.standardError)")
    }

    @Test func anUnwritableJSONOutputSaysWhyAndTheRunNumberItWasRecordedAs() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        try record(binary, job: "first", in: directory)
        // Tests run as root, which no mode bit stops; a directory where the file should go
        // cannot be replaced by any user.
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("out.json"), withIntermediateDirectories: false)
        let outcome = try binary.run(
            ["wrap", "--db", "runs.sqlite", "--meter", "estimate", "--json-output", "out.json", "--", "true"], in: directory)
        #expect(outcome.status == 1)
        let lines = outcome.standardError.split(separator: "\n").filter { $0.contains("json-output") }
        #expect(lines.count == 1, "\(outcome.standardError)")
        let line = String(lines.first ?? "")
        #expect(line.contains("cannot write --json-output out.json: Is a directory (errno 21)"), "\(line)")
        #expect(line.contains("recorded all the same, as run 2 in"), "\(line)")
        #expect(line.contains("`footprint show 2 --json`"), "\(line)")
        #expect(!line.contains("permission") && !line.contains(" ID "), "\(line)")
        let shown = try binary.run(["show", "--db", "runs.sqlite", "2", "--json"], in: directory)
        #expect(shown.status == 0, "\(shown.standardError)")

        let repeated = try binary.run(
            ["wrap", "--db", "runs.sqlite", "--meter", "estimate", "--repeat", "2", "--json-output", "out.json", "--", "true"],
            in: directory)
        #expect(repeated.status == 1)
        #expect(repeated.standardError.contains("as runs 3, 4 in"), "\(repeated.standardError)")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains(".footprint-") }
        #expect(leftovers.isEmpty, "no temporary file is left behind: \(leftovers)")
    }
}
