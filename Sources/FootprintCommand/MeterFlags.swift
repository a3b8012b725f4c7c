import ArgumentParser
import Energy
import Foundation

/// Energy measurement flags.
struct MeterFlags: ParsableArguments {
    @OptionGroup var choice: MeterChoice

    @Option(
        name: .customLong("interval"),
        help: ArgumentHelp(
            "Longest gap between power samples (default 1 s): sampling starts at 10 ms and slows towards this as the run goes, so short runs still get about 20 samples.",
            valueName: "s"))
    var intervalSeconds: Double?

    @Option(
        name: .customLong("baseline"),
        help: ArgumentHelp("Measure idle power for this many seconds first, to report net energy.", valueName: "s"))
    var baselineSeconds: Double?

    @Option(
        name: .customLong("cpu-watts"),
        help: ArgumentHelp("CPU power for the estimate when no meter can be read, in watts (overrides the TDP table).", valueName: "W"))
    var cpuWatts: Double?

    @OptionGroup var sources: MeterSourceOptions

    func validate() throws {
        if let intervalSeconds, !(intervalSeconds >= 0.01 && intervalSeconds <= 3600) {
            throw ValidationError("--interval must be between 0.01 and 3600 seconds, got \(intervalSeconds).")
        }
        if let baselineSeconds, !(baselineSeconds > 0 && baselineSeconds <= 3600) {
            throw ValidationError("--baseline must be between 0 and 3600 seconds, got \(baselineSeconds).")
        }
        if let cpuWatts, !(cpuWatts > 0 && cpuWatts < 10_000) {
            throw ValidationError("--cpu-watts must be a positive number of watts, got \(cpuWatts).")
        }
    }

    func meterOptions() -> MeterOptions {
        var options = MeterOptions.fromEnvironment(ProcessInfo.processInfo.environment)
        sources.apply(to: &options)
        if let intervalSeconds { options.samplingIntervalSeconds = intervalSeconds }
        if let cpuWatts { options.cpuWatts = cpuWatts }
        options.allowedMeters = choice.allowed
        return options
    }
}
