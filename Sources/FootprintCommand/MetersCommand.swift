import ArgumentParser
import Energy
import Foundation

/// `footprint meters`: which energy meters work here, and exactly why not when they do not.
struct MetersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meters",
        abstract: "Diagnose the energy meters: what can be read here, whether it counts, why not, zones and power over one second.",
        discussion: """
            Every counter (RAPL, perf, NVML) must advance during a short busy probe (about 100 ms) before it is trusted: virtual machines often expose counters that never count. The chain is rapl, then perf, then the estimate for the CPU, with nvml on top; --meter restricts it.
            """)

    @Option(
        name: .customLong("powercap-root"),
        help: ArgumentHelp(
            "Read RAPL zones under this one directory, which may be a zone such as .../intel-rapl:0 ($FOOTPRINT_POWERCAP_ROOT).",
            valueName: "path"))
    var powercapRoot: String?

    @Flag(name: .customLong("psys"), help: "Use the RAPL psys (whole SoC) zone instead of package + dram, as a run with --psys would.")
    var preferPsys = false

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
        if let powercapRoot { options.usePowercapRoot(powercapRoot) }
        if preferPsys { options.preferPsys = true }
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
