import ArgumentParser
import Footprint
import Foundation
import RunModel
import RunStore
import RunStores

/// `footprint sync --to URL`: copy runs from one store to another, once each.
struct SyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Copy runs to another store (a team's PostgreSQL server), each once, by UUID.",
        discussion: """
            Runs already in the target are skipped, so syncing again copies only what is new. A run the target holds unfinished (running, or crashed after its server stopped answering) is replaced by the source's finished copy. Runs still running in the source are left for a later sync unless --include-running. Large runs are copied in batches of a few thousand rows, each its own transaction, and appear in the target only once complete; an interrupted copy is cleaned up by the next sync. Progress (rows copied, for large runs) goes to stderr; the summary to stdout.
            """)

    @OptionGroup var store: StoreOptions

    @Option(
        name: .customLong("to"),
        help: ArgumentHelp("The store to copy into: a postgres:// URL or a SQLite file (created if missing).", valueName: "url|path"))
    var target: String

    @Flag(help: "Say what would be copied without writing anything.")
    var dryRun = false

    @Flag(help: "Also copy runs still running in the source, as far as they got.")
    var includeRunning = false

    func validate() throws {
        if target.isEmpty { throw ValidationError("--to needs a postgres:// URL or a file path.") }
    }

    func run() throws {
        let source = try store.open()
        defer { try? source.close() }
        let targetLocation = RunStoreLocation(target)
        if targetLocation == store.location {
            throw ValidationError("--to names the same store as --db (\(targetLocation)); nothing to copy.")
        }
        let destination = try RunStores.openForRecording(targetLocation, busyTimeoutSeconds: TrackerOptions.busyTimeout())
        defer { try? destination.close() }
        let sync = RunSync(source: source, target: destination, includeRunning: includeRunning)
        let summary = try sync.run(dryRun: dryRun) { step, copied in
            // Runs copied in one transaction report once, at the end; large ones after each batch.
            guard copied.rowsCopied < copied.rowsTotal else { return }
            printError(
                "[\(step.index)/\(step.total)] run \(step.run.id ?? 0) \(step.run.uuid.prefix(8)) \(DisplayText.terminal(step.run.name, width: DisplayText.nameWidth)): "
                    + "\(copied.rowsCopied) of \(copied.rowsTotal) rows copied")
        } progress: { step in
            let verb: String
            switch step.action {
            case .copy: verb = dryRun ? "would copy" : "copied"
            case .replace: verb = dryRun ? "would replace" : "replaced"
            case .skipPresent: verb = "already there"
            case .skipRunning: verb = "still running, skipped"
            }
            printError(
                "[\(step.index)/\(step.total)] run \(step.run.id ?? 0) \(step.run.uuid.prefix(8)) \(DisplayText.terminal(step.run.name, width: DisplayText.nameWidth)): \(verb)"
            )
        }
        print("sync \(source.locationDescription) → \(destination.locationDescription): \(summary.line(dryRun: dryRun))")
    }
}
