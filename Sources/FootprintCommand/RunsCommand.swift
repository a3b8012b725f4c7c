import ArgumentParser
import Footprint
import Foundation
import Reporting
import RunStore
import RunModel

/// `footprint runs`: the recorded runs, newest first.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runs", abstract: "List recorded runs, newest first.")

    @Option(help: "Show at most N runs.")
    var limit: Int = 20

    @Option(help: ArgumentHelp("Only runs of this model (for example mlp:1-100-1).", valueName: "name"))
    var model: String?

    @Option(help: ArgumentHelp("Only runs with this status: running, completed, failed, interrupted or crashed.", valueName: "status"))
    var status: String?

    @Option(help: "Only runs with this tag.")
    var tag: String?

    @Option(help: ArgumentHelp("Only the ranks of this job (see footprint show --job).", valueName: "key"))
    var job: String?

    @Flag(help: "Print a JSON array of run objects.")
    var json = false

    @Flag(
        name: .customLong("mark-crashed"), help: "Record as crashed every run still 'running' whose process no longer exists on this host.")
    var markCrashed = false

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if limit < 1 { throw ValidationError("--limit must be at least 1, got \(limit).") }
        if let status, RunStatus(rawValue: status) == nil {
            throw ValidationError("--status must be one of \(RunStatus.allCases.map(\.rawValue).joined(separator: ", ")), got '\(status)'.")
        }
    }

    func run() throws {
        if case .file(let path) = store.location, !FileManager.default.fileExists(atPath: path) {
            if json {
                print("[]")
            } else {
                print("No runs yet: there is no run database at \(path). Try: footprint train --dataset terrain")
            }
            return
        }
        let database = try store.open()
        if markCrashed {
            let marked = try database.markCrashedRuns()
            printError(
                marked.isEmpty ? "No crashed run to mark." : "Marked as crashed: run \(marked.map(String.init).joined(separator: ", ")).")
        }
        let runs = try database.runs(limit: limit, model: model, status: status.flatMap(RunStatus.init(rawValue:)), tag: tag, job: job)
        if json {
            let documents = try RunDocument.load(ids: runs.compactMap(\.id), from: database)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(documents), as: UTF8.self))
            return
        }
        guard !runs.isEmpty else {
            print("No runs in \(database.locationDescription) yet. Try: footprint train --dataset terrain")
            return
        }
        print(Self.table(runs, status: database.effectiveStatus(of:)).text())
    }

    /// The runs as a table, one header per column. Exit is a wrapped command's exit status,
    /// empty for runs of other kinds.
    ///
    /// - Parameters:
    ///   - runs: The runs, in the order to list them.
    ///   - status: A run's status as the store reports it (`crashed` for a dead `running` run).
    /// - Returns: The table, numbers right-aligned; names, job keys and nodes cut to
    ///   ``DisplayText/nameWidth`` in a terminal (`--json` has them whole).
    static func table(_ runs: [RunRecord], status: (RunRecord) -> RunStatus) -> Table {
        let rows: [[String]] = runs.map { run in
            [
                "\(run.id ?? 0)", run.name, run.kind.rawValue, status(run).rawValue,
                RunDocument.shortDate(run.startedAt), run.wallSeconds.map(UnitFormat.seconds) ?? "",
                run.flopsTotal.map { UnitFormat.flops(Double($0)) } ?? "",
                run.energyJoules.map { UnitFormat.joules($0) + (run.energyProvenance == .estimated ? " est." : "") } ?? "",
                run.gramsCO2e.map(UnitFormat.gramsCO2e) ?? "",
                run.kind == .wrap ? (run.exitStatus.map { "\($0)" } ?? "") : "",
            ]
        }
        let headers = ["ID", "Name", "Kind", "Status", "Started (UTC)", "Wall", "FLOPs", "Energy", "CO2e", "Exit"]
        guard runs.contains(where: { $0.jobKey != nil }) else {
            return Table(headers: headers, rows: rows, rightAligned: [0, 5, 6, 7, 8, 9]).limitingWidth(ofColumns: [1])
        }
        // Ranks of jobs: which job, rank and node, so a job's runs read as one.
        let jobRows = zip(runs, rows).map { run, row in
            row + [run.jobKey ?? "", run.rank.map(String.init) ?? "", run.node ?? ""]
        }
        return Table(headers: headers + ["Job", "Rank", "Node"], rows: jobRows, rightAligned: [0, 5, 6, 7, 8, 9, 11])
            .limitingWidth(ofColumns: [1, 10, 12])
    }
}
