import Foundation
import Learning
import Testing
@testable import FootprintCommand

/// The command-line parser fuzzed with seeded random argument vectors: an accepted vector is
/// the subcommand it names first (or help, when it asks for it), a refused one exits 64 with a
/// message, and a value moved out of its
/// range is always refused by name while one moved within it is kept.
@Suite struct ArgumentFuzzTests {
    static let words = [
        "train", "wrap", "runs", "show", "report", "compare", "estimate", "export", "delete", "meters", "bench", "demo",
        "--model", "poly", "mlp", "--degree", "--layers", "--hidden", "--dataset", "terrain", "digits", "csv:", "idx:a,b",
        "--epochs", "--batch-size", "--lr", "--optimizer", "sgd", "adam", "--seed", "--json", "--db", "--country", "FRA",
        "--pue", "datacentre", "--intensity", "--interval", "--baseline", "--limit", "--status", "--format", "csv", "--",
        "-o", "--arch", "alexnet", "mlp:1-2-3", "--samples", "--threads", "-1", "0", "1", "1e308", "nan", "-inf", "",
        "--help", "-h", "--version", "é", "\u{0}", "--tag", "--yes", "--embodied-kg", "--lifetime-years", "999999999999999999999",
    ]

    /// Whether `word` asks for help: `help`, `--help`, or a group of short flags with `h` in it
    /// (`-hA` is `-h -A`).
    static func asksForHelp(_ word: String) -> Bool {
        word == "help" || word == "--help" || (word.hasPrefix("-") && !word.hasPrefix("--") && word.dropFirst().contains("h"))
    }

    /// Refusals that are usage errors exit 64; `--help` and `--version` end the parse cleanly
    /// (exit 0) and only when the vector asked for them.
    static func checkRefusal(_ error: any Error, of arguments: [String]) {
        let code = FootprintCommand.exitCode(for: error)
        let message = FootprintCommand.message(for: error)
        let asked = arguments.contains { asksForHelp($0) || $0 == "--version" }
        if code == .success {
            #expect(asked, "\(arguments) ended the parse cleanly without asking for help or the version")
        } else {
            #expect(code == .validationFailure, "\(arguments) was refused with exit \(code.rawValue), not 64: \(message)")
            #expect(!message.isEmpty, "\(arguments) was refused without a message")
        }
    }

    @Test func randomArgumentVectorsAreParsedAsTheirSubcommandOrRefusedWithExit64() {
        var generator = SeededGenerator(seed: UInt64(ProcessInfo.processInfo.environment["FOOTPRINT_FUZZ_SEED"] ?? "") ?? 7)
        let iterations = Int(ProcessInfo.processInfo.environment["FOOTPRINT_FUZZ_ITERATIONS"] ?? "") ?? 800
        let subcommands = FootprintCommand.configuration.subcommands
        var parsed = 0, refused = 0
        for _ in 0..<iterations {
            let count = Int(generator.next() % 7)
            var arguments: [String] = []
            for _ in 0..<count {
                var word = Self.words[Int(generator.next() % UInt64(Self.words.count))]
                if generator.next() % 8 == 0 { word += String(UnicodeScalar(UInt8(generator.next() % 128))) }
                arguments.append(word)
            }
            do {
                let command = try FootprintCommand.parseAsRoot(arguments)
                parsed += 1
                // An accepted vector is the root (no words before `--`), ArgumentParser's help (it
                // asked for help), or the subcommand it names first.
                let name = type(of: command).configuration.commandName
                if arguments.first == nil || arguments.first == "--" {
                    #expect(command is FootprintCommand, "\(arguments) parsed as \(type(of: command))")
                } else if name == "help" {
                    #expect(arguments.contains { Self.asksForHelp($0) }, "\(arguments) parsed as help")
                } else {
                    #expect(
                        subcommands.contains { ObjectIdentifier($0) == ObjectIdentifier(type(of: command)) },
                        "\(arguments) parsed as \(type(of: command))")
                    #expect(arguments.first == name, "\(arguments) parsed as \(name ?? "?")")
                }
            } catch {
                refused += 1
                Self.checkRefusal(error, of: arguments)
            }
        }
        #expect(parsed > 0 && refused > 0)  // the vocabulary reaches both outcomes
    }

    /// A valid `train` line whose options all have a range; the fuzz below moves one value at a
    /// time in or out of it.
    static let validTrain = [
        "train", "--model", "mlp", "--layers", "2", "--hidden", "8", "--epochs", "3", "--batch-size", "16",
        "--lr", "0.01", "--momentum", "0.5", "--threads", "2", "--degree", "2",
    ]

    /// Values each option must refuse, and values it must accept.
    static let ranges: [(flag: String, outside: [String], inside: [String])] = [
        ("--layers", ["-1", "-100", "x", "1.5", ""], ["0", "1", "7"]),
        ("--hidden", ["0", "-1", "nan", "1e3"], ["1", "64", "4096"]),
        ("--epochs", ["0", "-5", "999999999999999999999"], ["1", "100000"]),
        ("--batch-size", ["0", "-1", "inf"], ["1", "512"]),
        ("--lr", ["0", "-0.1", "nan", "inf", "-inf", "fast"], ["1e-6", "0.5", "3"]),
        ("--momentum", ["1", "1.5", "-0.01", "nan"], ["0", "0.9", "0.999"]),
        ("--threads", ["0", "257", "-1"], ["1", "256"]),
        ("--degree", ["-1", "two"], ["0", "9"]),
        ("--model", ["cnn", "MLP", ""], ["mlp"]),
    ]

    @Test func movingOneValueOutOfItsRangeIsAlwaysRefusedWithExit64NamingTheFlag() throws {
        _ = try FootprintCommand.parseAsRoot(Self.validTrain)
        var generator = SeededGenerator(seed: UInt64(ProcessInfo.processInfo.environment["FOOTPRINT_FUZZ_SEED"] ?? "") ?? 11)
        for _ in 0..<300 {
            let range = Self.ranges[Int(generator.next() % UInt64(Self.ranges.count))]
            let value = range.outside[Int(generator.next() % UInt64(range.outside.count))]
            var arguments = Self.validTrain
            let index = try #require(arguments.firstIndex(of: range.flag))
            arguments[index + 1] = value
            do {
                let command = try FootprintCommand.parseAsRoot(arguments)
                Issue.record("\(range.flag) \(value) was accepted as \(command)")
            } catch {
                let message = FootprintCommand.message(for: error)
                #expect(FootprintCommand.exitCode(for: error) == .validationFailure, "\(range.flag) \(value): \(message)")
                #expect(message.contains(range.flag), "the refusal of \(range.flag) \(value) does not name the flag: \(message)")
            }
        }
    }

    @Test func movingOneValueWithinItsRangeIsAcceptedAndParsedToThatValue() throws {
        for range in Self.ranges {
            for value in range.inside {
                var arguments = Self.validTrain
                let index = try #require(arguments.firstIndex(of: range.flag))
                arguments[index + 1] = value
                let command = try #require(try FootprintCommand.parseAsRoot(arguments) as? TrainCommand, "\(arguments)")
                let parsed: String? =
                    switch range.flag {
                    case "--layers": command.layers.map(String.init)
                    case "--hidden": command.hidden.map(String.init)
                    case "--epochs": command.epochs.map(String.init)
                    case "--batch-size": command.batchSize.map(String.init)
                    case "--lr": command.learningRate.map { String($0) }
                    case "--momentum": String(command.momentum)
                    case "--threads": String(command.threads.count)
                    case "--degree": String(command.degree)
                    default: command.model.rawValue
                    }
                let expected = Double(value).map { String($0) } ?? value
                let actual = parsed.flatMap(Double.init).map { String($0) } ?? parsed
                #expect(actual == expected, "\(range.flag) \(value) parsed as \(parsed ?? "nil")")
            }
        }
    }
}
