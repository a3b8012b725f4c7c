import Foundation
import RunStore
import Vocabulary

/// CSV rows whose columns carry CodeCarbon's `emissions.csv` names and units wherever the
/// meaning is the same, so dashboards and notebooks built for CodeCarbon read Footprint's runs.
///
/// CodeCarbon's `emissions` is operational carbon only (the electricity used × PUE × grid
/// intensity); its tracker knows nothing of the hardware's manufacturing. Footprint's stored
/// `grams_co2e` adds the embodied share when one was given, so the export splits it:
/// - `emissions` (kg): operational, `grams_co2e − embodied_grams`, so sums and charts built
///   for CodeCarbon compare like with like;
/// - `emissions_rate` (kg/s): `emissions / duration`, CodeCarbon's definition, so operational
///   too (the embodied share, amortised per second of run time, would only add a constant);
/// - `emissions_low`, `emissions_high` (kg): the range of `emissions`, operational, as
///   Footprint's stored bounds with the embodied share (stated, not banded) taken out;
/// - `embodied_emissions` (kg): the amortised manufacturing share, 0 when none was given.
///
/// Every one of them is empty for a run without carbon figures.
///
/// `emissions + embodied_emissions` is Footprint's total, the figure its reports show.
public enum CodeCarbonCSV {
    /// CodeCarbon's columns (v2/v3 `emissions.csv`), then Footprint's own.
    public static let header = [
        "timestamp", "project_name", "run_id", "experiment_id", "duration", "emissions", "emissions_rate",
        "cpu_power", "gpu_power", "ram_power", "cpu_energy", "gpu_energy", "ram_energy", "energy_consumed",
        "country_name", "country_iso_code", "region", "cloud_provider", "cloud_region", "os", "python_version",
        "codecarbon_version", "cpu_count", "cpu_model", "gpu_count", "gpu_model", "longitude", "latitude",
        "ram_total_size", "tracking_mode", "on_cloud", "pue",
        "footprint_run_id", "name", "kind", "status", "model", "parameters", "dataset", "flops_total", "flops_matmul",
        "energy_provenance", "attributed_energy", "emissions_low", "emissions_high", "embodied_emissions",
        "intensity_g_per_kwh", "intensity_source", "accuracy", "mse", "r2", "validation_loss", "exit_status",
    ]

    /// CSV rows for several runs, read in one batched snapshot.
    ///
    /// - Throws: `RunStoreError.runNotFound` and store errors.
    public static func rows(for ids: [Int64], from database: any RunStorage) throws -> [[String]] {
        try database.details(ids: ids).map { details in
            let document = RunDocument(
                run: details.run, status: details.run.status, epochs: details.epochs, metrics: details.metrics,
                layers: details.layerCosts, meters: details.meterEnergy)
            return row(record: details.run, document: document)
        }
    }

    /// One run as CSV cells, in `header` order. Energies in kWh, powers in W, emissions in kg
    /// (operational in `emissions*`, embodied in `embodied_emissions`; see the type's summary).
    public static func row(record: RunRecord, document: RunDocument) -> [String] {
        let joulesPerKilowattHour = EnergyUnits.joulesPerKilowattHour
        let duration = record.wallSeconds
        func sum(_ predicate: (RunDocument.MeterJoules) -> Bool) -> Double? {
            guard let meters = document.energy?.meters.filter({ $0.includedInTotal && predicate($0) }), !meters.isEmpty else { return nil }
            return meters.reduce(0) { $0 + $1.joules }
        }
        let isGPU: (RunDocument.MeterJoules) -> Bool = { $0.name == "nvml" }
        let isMemory: (RunDocument.MeterJoules) -> Bool = { $0.zone.hasPrefix("dram") || $0.zone == "memory" }
        let gpuJoules = sum(isGPU)
        let ramJoules = sum { !isGPU($0) && isMemory($0) }
        let cpuJoules = sum { !isGPU($0) && !isMemory($0) }
        func kWh(_ joules: Double?) -> String { joules.map { number($0 / joulesPerKilowattHour) } ?? "" }
        func watts(_ joules: Double?) -> String {
            guard let joules, let duration, duration > 0 else { return "" }
            return number(joules / duration)
        }
        // Runs stored before embodied carbon existed have none to take out.
        let embodiedGrams = record.embodiedGrams ?? 0
        func operationalKilograms(_ grams: Double?) -> Double? { grams.map { ($0 - embodiedGrams) / 1000 } }
        let kilograms = operationalKilograms(record.gramsCO2e)
        let rate: String = if let kilograms, let duration, duration > 0 { number(kilograms / duration) } else { "" }
        let gpuCount = document.energy?.meters.filter(isGPU).count ?? 0
        return [
            document.startedAt, record.tags.first ?? "footprint", document.startedAt + "-\(record.id ?? 0)", "",
            duration.map(number) ?? "", kilograms.map(number) ?? "", rate,
            watts(cpuJoules), watts(gpuJoules), watts(ramJoules), kWh(cpuJoules), kWh(gpuJoules), kWh(ramJoules), kWh(record.energyJoules),
            "", record.country ?? "", "", "", "", record.os ?? "", "", "",
            record.cpuCount.map(String.init) ?? "", record.cpuModel ?? "", gpuCount > 0 ? "\(gpuCount)" : "", "", "", "",
            record.memoryBytes.map { number(Double($0) / 1_073_741_824) } ?? "", "machine", "N", record.pue.map(number) ?? "",
            "\(record.id ?? 0)", record.name, record.kind.rawValue, document.status, record.modelName ?? "",
            record.parameterCount.map(String.init) ?? "", record.dataset ?? "", record.flopsTotal.map(String.init) ?? "",
            record.flopsMatmul.map(String.init) ?? "", record.energyProvenance?.rawValue ?? "", kWh(record.attributedJoules),
            operationalKilograms(record.gramsCO2eLow).map(number) ?? "", operationalKilograms(record.gramsCO2eHigh).map(number) ?? "",
            record.embodiedGrams.map { number($0 / 1000) } ?? "", record.intensityGramsPerKilowattHour.map(number) ?? "",
            record.intensitySource ?? "", document.metrics.accuracy.map(number) ?? "", document.metrics.mse.map(number) ?? "",
            document.metrics.r2.map(number) ?? "", document.metrics.validationLoss.map(number) ?? "",
            record.exitStatus.map(String.init) ?? "",
        ]
    }

    /// Quotes a cell when it holds a comma, quote or newline (RFC 4180).
    public static func escape(_ cell: String) -> String {
        guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func number(_ value: Double) -> String {
        String(format: "%.10g", value)
    }
}
