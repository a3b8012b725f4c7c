import ArgumentParser
import Energy
import Foundation

/// `footprint meters`: which energy meters work here, and exactly why not when they do not.
struct MetersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meters",
        abstract: "Diagnose the energy meters: what can be read here, whether it counts, why not, zones and power over one second.",
        discussion: """
            Every counter (the agent's, RAPL, perf, NVML, AMD SMI, hwmon) must advance during a short busy probe (about 100 ms) before it is trusted: virtual machines often expose counters that never count.

            The chain: the node's `footprint agent` when its socket exists ($FOOTPRINT_AGENT_SOCKET, default /run/footprint/agent.sock), which lets a user who is not root read the counters; else rapl, then perf, then the estimate for the CPU and memory; GPUs through nvml, amdsmi and hwmon on top. --meter restricts it.

            Libraries and roots for unusual installs and test fixtures: $FOOTPRINT_NVML_LIBRARY, $FOOTPRINT_AMDSMI_LIBRARY (paths handed to dlopen), $FOOTPRINT_POWERCAP_ROOT, $FOOTPRINT_HWMON_ROOT.

            Example: footprint meters --seconds 2
            """)

    @OptionGroup var sources: MeterSourceOptions

    @Option(name: .customLong("seconds"), help: "How long to measure power for.")
    var sampleSeconds: Double = 1

    @Flag(help: "Print JSON.")
    var json = false

    @OptionGroup var choice: MeterChoice

    func validate() throws {
        if !(sampleSeconds > 0 && sampleSeconds <= 3600) {
            throw ValidationError("--seconds must be between 0 and 3600, got \(sampleSeconds).")
        }
    }

    func run() throws {
        var options = MeterOptions.fromEnvironment(ProcessInfo.processInfo.environment)
        sources.apply(to: &options)
        options.allowedMeters = choice.allowed
        let diagnoses = diagnoseMeters(options: options, sampleSeconds: sampleSeconds)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(diagnoses), as: UTF8.self))
        } else {
            print(renderMeterDiagnosis(diagnoses))
        }
    }
}
