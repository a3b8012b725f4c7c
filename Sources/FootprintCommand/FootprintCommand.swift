import ArgumentParser
import Foundation

/// `footprint`: what training a model costs, in FLOPs, seconds, joules and grams of CO2e.
@main
struct FootprintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "footprint",
        abstract: "Measure what training a model costs: FLOPs, seconds, joules and grams of CO2e, beside its accuracy.",
        discussion: """
            Every run is recorded in a SQLite file (footprint.sqlite here; --db or FOOTPRINT_DB to change) or a shared PostgreSQL database (--db postgres://user@host/db; `footprint sync --to URL` copies local runs there). Energy is measured with RAPL, perf_event, NVML, AMD SMI or hwmon where the machine allows (through the node's `footprint agent` for a user who is not root), and estimated, labelled as such, where it does not: `footprint meters` says which and why.
            """,
        version: "0.1.0",
        subcommands: [
            DemoCommand.self, TrainCommand.self, WrapCommand.self, RunsCommand.self, ShowCommand.self,
            ReportCommand.self, CompareCommand.self, EstimateCommand.self, ExportCommand.self,
            DeleteCommand.self, SyncCommand.self, MetersCommand.self, BenchCommand.self, AgentCommand.self,
        ])
}
