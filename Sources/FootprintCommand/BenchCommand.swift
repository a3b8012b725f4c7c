import ArgumentParser

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Not yet available.")
    func run() throws {
        printError("footprint bench is not available in this build yet.")
        throw ExitCode(1)
    }
}
