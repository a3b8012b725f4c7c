import ArgumentParser
import Footprint
import Foundation
import Reporting
import RunStore
import RunModel

/// `footprint show RUN`: everything recorded about one run.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show everything recorded about one run.")

    @Argument(help: ArgumentHelp("The run id (see footprint runs).", valueName: "run"))
    var runID: Int64

    @Flag(help: "Print the run as one JSON object.")
    var json = false

    @OptionGroup var store: StoreOptions

    func run() throws {
        let database = try store.open()
        let document = try RunDocument.load(id: runID, from: database)
        if json {
            print(try document.jsonText())
            return
        }
        print("Run \(document.id): \(document.name) [\(document.kind), \(document.status)]")
        print("Started \(document.startedAt) on \(document.host)" + (document.endedAt.map { ", ended \($0)" } ?? ""))
        if let line = document.commandLine { print("Command: \(line)") }
        if let model = document.model.name {
            print(
                "Model: \(model), \(UnitFormat.integer(document.model.parameters ?? 0)) parameters"
                    + (document.dataset.map { ", dataset \($0)" } ?? ""))
        }
        if let error = document.error { print("Error: \(error)") }
        print()
        print(RunText.results(document))
        if !document.history.isEmpty {
            print()
            let rows = document.history.map { (epoch: RunDocument.Epoch) -> [String] in
                let quality: String = epoch.accuracy.map(UnitFormat.percent) ?? epoch.r2.map { String(format: "R² %.3f", $0) } ?? ""
                let trainLoss: String = epoch.trainLoss.map(UnitFormat.number) ?? ""
                let validationLoss: String = epoch.validationLoss.map(UnitFormat.number) ?? ""
                let seconds: String = epoch.seconds.map(UnitFormat.seconds) ?? ""
                let joules: String = epoch.joules.map(UnitFormat.joules) ?? ""
                return ["\(epoch.epoch)", trainLoss, validationLoss, quality, seconds, joules]
            }
            print(
                Table(
                    headers: ["Epoch", "Train loss", "Val loss", "Quality", "Time", "Energy"], rows: rows, rightAligned: [0, 1, 2, 3, 4, 5]
                ).text())
        }
    }
}

extension RunDocument {
    static func shortDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }
}
