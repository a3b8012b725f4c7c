import ArgumentParser
import Foundation
import Learning
import RunStore
import Testing
@testable import FootprintCommand

/// Closed value sets, the shared `--threads` group, flag names in configuration errors and the
/// `runs` table, checked in process where the parser suffices.
@Suite struct ArgumentIdiomTests {
    /// Parses as the binary would, returning the error message and exit code of a refusal.
    private func refusal(_ arguments: [String]) -> (message: String, code: Int32)? {
        do {
            _ = try FootprintCommand.parseAsRoot(arguments)
            return nil
        } catch {
            return (FootprintCommand.message(for: error), FootprintCommand.exitCode(for: error).rawValue)
        }
    }

    @Test func unknownModelIsAUsageErrorListingPolyAndMLP() throws {
        let refused = try #require(refusal(["train", "--model", "cnn"]))
        #expect(refused.code == 64)
        #expect(refused.message.contains("'cnn'"))
        #expect(refused.message.contains("'poly' and 'mlp'"), "\(refused.message)")
    }

    @Test func everyClosedOptionListsItsValuesWhenRefused() throws {
        let cases: [([String], String)] = [
            (["train", "--optimizer", "rmsprop"], "'sgd' and 'adam'"),
            (["train", "--task", "ranking"], "'automatic', 'regression' or 'classification'"),
            (["estimate", "--arch", "alexnet", "--optimizer", "lbfgs"], "'sgd' and 'adam'"),
            (["estimate", "--arch", "alexnet", "--calibrate", "guess"], "'measure' and 'store'"),
        ]
        for (arguments, values) in cases {
            let refused = try #require(refusal(arguments), "\(arguments) was accepted")
            #expect(refused.code == 64, "\(arguments)")
            #expect(refused.message.contains(values), "\(arguments): \(refused.message)")
        }
    }

    @Test func helpListsAllowedValuesAndTheCatalogsDatasets() {
        let train = TrainCommand.helpMessage(columns: 400)
        #expect(train.contains("values: poly, mlp; default: mlp"), "\(train)")
        #expect(train.contains("values: sgd, adam"))
        #expect(train.contains("values: automatic, regression, classification; default: automatic"))
        #expect(train.contains(DatasetCatalog.builtInNames.joined(separator: ", ")))
        #expect(train.contains("--threads <n>"))
        let estimate = EstimateCommand.helpMessage(columns: 400)
        #expect(estimate.contains("values: measure, store; default: measure"), "\(estimate)")
        #expect(estimate.contains("values: sgd, adam; default: sgd"))
        #expect(estimate.contains("--threads <n>"))
    }

    @Test func threadsOutsideOneTo256AreRefusedByEveryCommandSharingTheGroup() throws {
        for command in [["train"], ["estimate", "--arch", "alexnet"]] {
            for threads in ["0", "257"] {
                let refused = try #require(refusal(command + ["--threads", threads]), "\(command) --threads \(threads) was accepted")
                #expect(refused.code == 64)
                #expect(refused.message.contains("--threads must be between 1 and 256, got \(threads)."), "\(refused.message)")
            }
            #expect(refusal(command + ["--threads", "256"]) == nil)
        }
        let train = try #require(try FootprintCommand.parseAsRoot(["train", "--threads", "3"]) as? TrainCommand)
        #expect(train.makeConfiguration().threads == 3)
    }

    @Test func configurationErrorsNameTheFlagNotTheParameter() throws {
        let cases: [([String], String)] = [
            (["train", "--lr=-0.5"], "Invalid --lr -0.5: must be a positive finite number"),
            (["train", "--lr", "inf"], "Invalid --lr inf:"),
            (["train", "--batch-size", "0"], "Invalid --batch-size 0: must be at least 1"),
            (["train", "--epochs", "0"], "Invalid --epochs 0: must be at least 1"),
            (["train", "--layers=-1"], "Invalid --layers -1: must be 0 or more"),
            (["train", "--model", "poly", "--degree=-1"], "Invalid --degree -1: must be 0 or more"),
            (["train", "--optimizer", "sgd", "--momentum", "1"], "Invalid --momentum 1.0: must be in [0, 1)"),
            (["train", "--momentum", "1"], "--momentum must be in [0, 1), got 1.0."),
        ]
        for (arguments, message) in cases {
            let refused = try #require(refusal(arguments), "\(arguments) was accepted")
            #expect(refused.code == 64, "\(arguments)")
            #expect(refused.message.contains(message), "\(arguments): \(refused.message)")
            for parameter in ["learningRate", "batchSize", "hiddenLayers"] {
                #expect(!refused.message.contains(parameter), "\(arguments): \(refused.message)")
            }
        }
    }

    @Test func parameterWithoutAFlagKeepsTheLibrarysName() {
        let error = LearningError.invalidHyperparameter(name: "evaluationPolicy", value: "1.5", allowed: "x")
        #expect(error.renamingParameter { TrainingConfiguration.flagNames[$0] } == error)
        let renamed = LearningError.invalidHyperparameter(name: "learningRate", value: "0", allowed: "x")
            .renamingParameter { TrainingConfiguration.flagNames[$0] }
        #expect(renamed.parameterName == "--lr")
    }

    @Test func runsTableHasAHeaderAboveEveryColumn() {
        var wrap = RunRecord(name: "sh", kind: .wrap, startedAt: Date(timeIntervalSince1970: 0), host: "h", status: .failed)
        wrap.id = 2
        wrap.exitStatus = 3
        var train = RunRecord(name: "mlp", kind: .train, startedAt: Date(timeIntervalSince1970: 0), host: "h", status: .completed)
        train.id = 1
        train.wallSeconds = 1.5
        let table = RunsCommand.table([wrap, train], status: \.status)
        #expect(table.rows.count == 2)
        for row in table.rows { #expect(row.count == table.headers.count) }
        #expect(!table.headers.contains { $0.trimmingCharacters(in: .whitespaces).isEmpty })
        #expect(table.headers.last == "Exit")
        #expect(table.rows.map(\.last) == ["3", ""])
    }
}
