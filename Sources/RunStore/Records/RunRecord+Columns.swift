import Foundation
import GRDB

extension RunRecord {
    /// The column of each property in `runs`: snake_case, units spelled out where SQL users
    /// would otherwise guess (`intensity_g_per_kwh`, `embodied_kg`).
    public enum CodingKeys: String, CodingKey, CaseIterable, Sendable {
        case id, name, kind, status
        case startedAt = "started_at"
        case endedAt = "ended_at"
        case host, pid
        case processStartTicks = "process_start_ticks"
        case os, kernel
        case cpuModel = "cpu_model"
        case cpuCount = "cpu_count"
        case memoryBytes = "memory_bytes"
        case command
        case modelDescription = "model_description"
        case modelName = "model_name"
        case parameterCount = "parameter_count"
        case dataset, task
        case hyperparametersJSON = "hyperparameters_json"
        case seed
        case gitCommit = "git_commit"
        case tags
        case errorText = "error_text"
        case exitStatus = "exit_status"
        case wallSeconds = "wall_seconds"
        case cpuSeconds = "cpu_seconds"
        case flopsForward = "flops_forward"
        case flopsBackward = "flops_backward"
        case flopsOptimizer = "flops_optimizer"
        case flopsEvaluation = "flops_evaluation"
        case flopsTotal = "flops_total"
        case flopsMatmul = "flops_matmul"
        case phaseSecondsJSON = "phase_seconds_json"
        case gemmKernel = "gemm_kernel"
        case samplesProcessed = "samples_processed"
        case predictionJSON = "prediction_json"
        case energyJoules = "energy_joules"
        case attributedJoules = "attributed_joules"
        case energyProvenance = "energy_provenance"
        case idleWatts = "idle_watts"
        case netJoules = "net_joules"
        case energyNotesJSON = "energy_notes_json"
        case estimateModel = "estimate_model"
        case energyResolutionJoules = "energy_resolution_joules"
        case energyResolutionSeconds = "energy_resolution_seconds"
        case energyResolutionSource = "energy_resolution_source"
        case bridgedJoules = "bridged_joules"
        case energyMinimumJoules = "energy_minimum_joules"
        case energyMaximumJoules = "energy_maximum_joules"
        case energyResolved = "energy_resolved"
        case startupSeconds = "startup_seconds"
        case startupJoules = "startup_joules"
        case flopsPerSample = "flops_per_sample"
        case extraFactsJSON = "extra_facts_json"
        case gramsCO2e = "grams_co2e"
        case gramsCO2eLow = "grams_co2e_low"
        case gramsCO2eHigh = "grams_co2e_high"
        case intensityGramsPerKilowattHour = "intensity_g_per_kwh"
        case intensitySource = "intensity_source"
        case intensityYear = "intensity_year"
        case country, pue
        case embodiedGrams = "embodied_grams"
        case embodiedKilograms = "embodied_kg"
        case lifetimeYears = "lifetime_years"
        case uuid
        case jobKey = "job_key"
        case jobAttempt = "job_attempt"
        case rank
        case localRank = "local_rank"
        case worldSize = "world_size"
        case node
        case visibleDevices = "visible_devices"
        case heartbeatAt = "heartbeat_at"
    }

    /// Query-interface columns for the filters ``RunDatabase`` builds.
    enum Field {
        static let id = Column(CodingKeys.id)
        static let status = Column(CodingKeys.status)
        static let startedAt = Column(CodingKeys.startedAt)
        static let modelName = Column(CodingKeys.modelName)
        static let host = Column(CodingKeys.host)
        static let uuid = Column(CodingKeys.uuid)
        static let jobKey = Column(CodingKeys.jobKey)
    }
}

extension RunRecord: FetchableRecord, MutablePersistableRecord {
    /// `runs`.
    public static let databaseTableName = "runs"

    /// Dates are ISO 8601 text with milliseconds, UTC (sortable, readable in `sqlite3`).
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy {
        Timestamp.encoding
    }

    /// Reads the text ``databaseDateEncodingStrategy(for:)`` writes.
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy {
        Timestamp.decoding
    }

    /// Keeps the row id SQLite assigned.
    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
