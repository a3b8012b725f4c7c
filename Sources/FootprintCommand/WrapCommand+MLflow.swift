import Footprint
import Foundation
import MLflowLogging
import RunModel
import RunStore

extension WrapCommand {
    /// Logs a finished wrapped run into the program's MLflow run, if it has one (a `tracking`
    /// event, or `MLFLOW_RUN_ID` in the environment the program inherited).
    ///
    /// Never fails the command: a server that does not answer, or a run that cannot be read back,
    /// costs one warning line on standard error; a program without MLflow costs nothing, not even
    /// the read of its epochs.
    static func logToMLflow(
        runID: Int64, record: RunRecord, mlflowRunID: String?, mlflowTrackingURI: String?, database: any RunStorage,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        let target: MLflowTarget
        switch MLflowTarget.resolve(runID: mlflowRunID, trackingURI: mlflowTrackingURI, environment: environment) {
        case .notRequested: return
        case .unsupported(let reason):
            printError("footprint: warning: \(reason)")
            return
        case .target(let found): target = found
        }
        let document: RunDocument
        do {
            document = try RunDocument.load(finished: record, from: database, history: true)
        } catch {
            printError("footprint: warning: not logged to \(target): run \(runID) could not be read back (\(error)).")
            return
        }
        let facts = MLflowRunFacts(document: document, record: record)
        if case .notLogged(let reason) = MLflowLogger().log(facts, to: target) {
            printError("footprint: warning: \(reason)")
        }
    }
}

extension MLflowRunFacts {
    /// A finished run's facts as MLflow receives them: its energy (whole and training), CO2e,
    /// FLOPs, wall time, each epoch's energy at its index, its UUID, provenance and meters.
    ///
    /// - Parameters:
    ///   - document: The run's document, with its history (the epochs).
    ///   - record: The run's record: the times the epochs' timestamps are counted from.
    init(document: RunDocument, record: RunRecord) {
        let energy = document.energy
        var meterNames: [String] = []
        for meter in energy?.meters ?? [] where !meterNames.contains(meter.name) { meterNames.append(meter.name) }
        let zones = (energy?.meters ?? []).filter(\.includedInTotal).map { "\($0.name) \($0.zone)" }
        let provenance =
            energy.map { "\($0.provenance)" + (zones.isEmpty ? "" : " (\(zones.joined(separator: ", ")))") } ?? "unknown"
        let startedAt = record.startedAt
        self.init(
            runUUID: document.uuid ?? record.uuid, provenance: provenance, meterNames: meterNames,
            energyJoules: energy?.joules, trainingEnergyJoules: document.trainingEnergyJoules,
            gramsCO2e: document.carbon?.gramsCO2e, flops: document.flops.map { Double($0.total) },
            seconds: document.seconds["wall"],
            epochs: document.history.map { epoch in
                EpochEnergy(
                    index: epoch.epoch, joules: epoch.joules,
                    endedAt: epoch.elapsedSeconds.map { startedAt.addingTimeInterval($0) })
            },
            endedAt: record.endedAt ?? Date())
    }
}
