import ArgumentParser
import Energy
import Foundation

extension MeterKind: ExpressibleByArgument {}

/// `--meter NAME` (repeatable) and `FOOTPRINT_METERS`: which meters of the chain may be used.
struct MeterChoice: ParsableArguments {
    @Option(
        name: .customLong("meter"),
        help: ArgumentHelp(
            "Use only this meter (repeatable): \(MeterKind.knownNames). Default: $FOOTPRINT_METERS, else the whole chain.",
            valueName: "name"))
    var meters: [MeterKind] = []

    func validate() throws {
        do {
            _ = try MeterOptions.meterChoice(from: ProcessInfo.processInfo.environment)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// The chosen meters: `--meter` first, else `FOOTPRINT_METERS`, else nil (all of them).
    var allowed: Set<MeterKind>? {
        if !meters.isEmpty { return Set(meters) }
        return try? MeterOptions.meterChoice(from: ProcessInfo.processInfo.environment)
    }
}
