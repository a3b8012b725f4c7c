import Foundation
import RunModel

/// How reports say where an energy figure comes from: never a number without it.
public enum ProvenanceText {
    /// `measured (rapl: package-0, dram-0)`, `estimated (model: …)`, or `mixed: partly
    /// measured (rapl: package-0), partly estimated (model: …)` for a run whose meter was
    /// distrusted mid-run.
    ///
    /// - Returns: The provenance with the meters and zones counted, and the estimate's model.
    /// - Parameters:
    ///   - energy: A run's energy.
    ///   - modelLimit: Longest estimate model quoted in full; a longer one is left out (the
    ///     caller points to where it is written), nil for no limit.
    public static func describe(_ energy: RunDocument.Energy, modelLimit: Int? = nil) -> String {
        let zones = meterZones(energy)
        if energy.provenance == .estimated || energy.provenance == .mixed {
            let estimate: String
            if let model = energy.estimateModel {
                estimate = modelLimit.map { model.count > $0 } == true ? "estimated" : "estimated (model: \(model))"
            } else {
                estimate = "estimated (model not recorded)"
            }
            guard energy.provenance == .mixed else { return estimate }
            return "mixed: partly measured" + (zones.isEmpty ? "" : " (\(zones))") + ", partly " + estimate
        }
        return zones.isEmpty ? energy.provenance.rawValue : "\(energy.provenance.rawValue) (\(zones))"
    }

    /// The meters and zones in a run's total, grouped by meter: `rapl: package-0, dram-0`.
    ///
    /// - Parameter energy: A run's energy.
    /// - Returns: The zones; empty when no meter row was stored.
    public static func meterZones(_ energy: RunDocument.Energy) -> String {
        var order: [String] = []
        var zones: [String: [String]] = [:]
        for meter in energy.meters where meter.includedInTotal {
            if zones[meter.name] == nil { order.append(meter.name) }
            zones[meter.name, default: []].append(meter.zone)
        }
        return order.map { "\($0): " + (zones[$0] ?? []).joined(separator: ", ") }.joined(separator: "; ")
    }

    /// `measured`, `estimated`, `mixed` or `not recorded`.
    static func kind(_ energy: RunDocument.Energy?) -> String {
        energy?.provenance.rawValue ?? "not recorded"
    }

    /// Whether any of the figure comes from the estimate: `estimated` or `mixed`.
    static func involvesEstimate(_ energy: RunDocument.Energy) -> Bool {
        energy.provenance == .estimated || energy.provenance == .mixed
    }

    /// `below resolution: 4.00 mJ is under ten steps or update periods of its meters (RAPL: …),
    /// so it is noise, not a result`.
    static func belowResolution(_ energy: RunDocument.Energy) -> String {
        "below resolution: \(UnitFormat.joules(energy.joules)) is under ten steps or update periods of its meters "
            + "(\(energy.resolution.source)), so it is noise, not a result"
    }

    /// The grid figures behind a CO2e value: `473 gCO2e/kWh, grid WLD, Ember 2024, PUE 1`.
    ///
    /// - Parameter carbon: A run's carbon figures.
    /// - Returns: Intensity, country, source with its year (once), PUE.
    public static func grid(_ carbon: RunDocument.CarbonFigures) -> String {
        var parts: [String] = []
        parts.append(carbon.intensity.map { String(format: "%g gCO2e/kWh", $0) } ?? "intensity not stated")
        parts.append(carbon.country.map { "grid \($0)" } ?? "grid not stated")
        if let source = carbon.intensitySource {
            parts.append(source + (carbon.intensityYear.map { source.contains("\($0)") ? "" : " \($0)" } ?? ""))
        }
        if let pue = carbon.pue { parts.append(String(format: "PUE %g", pue)) }
        return parts.joined(separator: ", ")
    }
}
