import Foundation
import GRDB
import PostgresNIO
import RunStore

extension PostgresRunStore {
    /// Runs, newest first (by start time, then id), with crashed runs reported as such.
    ///
    /// The filters mean what ``RunDatabase/runs(_:)`` makes them mean: `model` is a name or its
    /// family (`mlp` matches `mlp:1-100-1`), `tag` one of the JSON array's strings, and a
    /// `running` or `crashed` filter is decided in Swift (the process check and the lease), so
    /// the limit is applied after it.
    ///
    /// - Returns: The runs.
    /// - Throws: ``RunStoreError``.
    public func runs(_ query: RunQuery) throws -> [RunRecord] {
        var conditions = [Self.completeRunsOnly]
        var bindings = PostgresBindings()
        func parameter(_ value: String) -> String {
            bindings.append(value)
            return "$\(bindings.count)"
        }
        if let job = query.job { conditions.append("job_key = \(parameter(job))") }
        if let model = query.model {
            let mark = parameter(model)
            conditions.append("(model_name = \(mark) OR left(model_name, length(\(mark)) + 1) = \(mark) || ':')")
        }
        if let tag = query.tag { conditions.append("tags::jsonb ? \(parameter(tag))") }
        let decidedInSwift = query.status == .running || query.status == .crashed
        if let status = query.status {
            conditions.append(decidedInSwift ? "status IN ('running', 'crashed')" : "status = \(parameter(status.rawValue))")
        }
        var sql = "SELECT * FROM runs WHERE " + conditions.joined(separator: " AND ")
        sql += " ORDER BY started_at COLLATE \"C\" DESC, id DESC"
        if let limit = query.limit, !decidedInSwift { sql += " LIMIT \(max(0, limit))" }
        let statement = PostgresQuery(unsafeSQL: sql, binds: bindings)
        var result = try fetch(RunRecord.self, statement).map(withEffectiveStatus)
        if let status = query.status, decidedInSwift {
            result = result.filter { $0.status == status }
            if let limit = query.limit { result = Array(result.prefix(max(0, limit))) }
        }
        return result
    }

    /// One run by number, with its effective status.
    ///
    /// - Throws: ``RunStoreError/runNotFound(id:)``.
    public func run(id: Int64) throws -> RunRecord {
        guard let run = try fetch(RunRecord.self, "SELECT * FROM runs WHERE id = \(id) AND uuid NOT LIKE 'partial-import:%'").first else {
            throw RunStoreError.runNotFound(id: id)
        }
        return withEffectiveStatus(run)
    }

    /// One run by UUID, with its effective status, or nil.
    ///
    /// - Throws: ``RunStoreError``.
    public func run(uuid: String) throws -> RunRecord? {
        try fetch(RunRecord.self, "SELECT * FROM runs WHERE uuid = \(uuid)").first.map(withEffectiveStatus)
    }

    /// How many runs the store holds.
    ///
    /// - Throws: ``RunStoreError``.
    public func runCount() throws -> Int {
        try withConnection { connection in
            Int(try Self.firstInteger(connection.rows("SELECT count(*) FROM runs WHERE uuid NOT LIKE 'partial-import:%'")))
        }
    }

    /// A run's epochs, in index order.
    ///
    /// - Throws: ``RunStoreError``.
    public func epochs(runID: Int64) throws -> [EpochRecord] {
        try fetch(EpochRecord.self, "SELECT * FROM epochs WHERE run_id = \(runID) ORDER BY epoch_index")
    }

    /// A run's per-layer costs, in layer order.
    ///
    /// - Throws: ``RunStoreError``.
    public func layerCosts(runID: Int64) throws -> [LayerCostRecord] {
        try fetch(LayerCostRecord.self, "SELECT * FROM layer_costs WHERE run_id = \(runID) ORDER BY layer_index")
    }

    /// A run's final metrics, by split then name (byte order, as SQLite sorts).
    ///
    /// - Throws: ``RunStoreError``.
    public func metrics(runID: Int64) throws -> [MetricRecord] {
        try fetch(MetricRecord.self, "SELECT * FROM metrics WHERE run_id = \(runID) ORDER BY split COLLATE \"C\", name COLLATE \"C\"")
    }

    /// A run's power samples in time order, then by meter, zone and insertion.
    ///
    /// - Throws: ``RunStoreError``.
    public func powerSamples(runID: Int64) throws -> [PowerSampleRecord] {
        try fetch(
            PowerSampleRecord.self,
            """
            SELECT run_id, elapsed_seconds, meter, zone, watts FROM power_samples WHERE run_id = \(runID)
            ORDER BY elapsed_seconds, meter COLLATE "C", zone COLLATE "C", id
            """)
    }

    /// The energy each meter zone counted during a run, by meter and zone.
    ///
    /// - Throws: ``RunStoreError``.
    public func meterEnergy(runID: Int64) throws -> [MeterEnergyRecord] {
        try fetch(
            MeterEnergyRecord.self, "SELECT * FROM meter_energy WHERE run_id = \(runID) ORDER BY meter COLLATE \"C\", zone COLLATE \"C\"")
    }

    func fetch<Record: FetchableRecord>(_ type: Record.Type, _ query: PostgresQuery) throws -> [Record] {
        let rows = try withConnection { connection in try connection.rows(query) }
        do {
            return try PostgresRecordCoding.records(type, from: rows)
        } catch {
            throw PostgresFailure.translating(error, address: address)
        }
    }
}
