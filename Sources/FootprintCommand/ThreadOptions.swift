import ArgumentParser

/// `--threads N`, shared by every command that runs the matrix kernel.
struct ThreadOptions: ParsableArguments {
    /// The most threads the kernel's pool accepts (`TrainingConfiguration.validate()` agrees).
    static let range = 1...256

    @Option(name: .customLong("threads"), help: ArgumentHelp("Threads for the matrix kernel, from 1 to 256.", valueName: "n"))
    var count: Int = 1

    func validate() throws {
        guard Self.range.contains(count) else {
            throw ValidationError("--threads must be between \(Self.range.lowerBound) and \(Self.range.upperBound), got \(count).")
        }
    }
}
