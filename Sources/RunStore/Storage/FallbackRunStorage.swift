import Foundation

/// A shared store with a local file behind it: runs are recorded into `primary` (a team's
/// server) until a write to it fails with a server error, then into a fallback store (the local
/// SQLite file), so a long training run never dies with its server.
///
/// Every write for a run inserted here is also kept in a journal in memory (the record, its
/// updates, epochs, metrics, layer costs, meter energy, samples). At the first failed write the
/// fallback is opened, each journaled run is imported into it with its UUID, a note says once
/// what happened and where the runs went, and that write and every later one go to the
/// fallback. The caller keeps using the run numbers it was given: they are mapped to the
/// fallback's. Reads go to the primary, or to the fallback once it took over. `footprint sync`
/// later copies the fallback's runs to the server, where a finished copy replaces the
/// unfinished one the server kept.
///
/// The journal holds every row written through the store, so it grows with the samples of a
/// run (about 60 bytes each: a day at 10 Hz is about 50 MB).
public final class FallbackRunStorage: RunStorage, @unchecked Sendable {
    // @unchecked: every mutable property is only touched with `lock` held.

    /// The store written to while it answers.
    public let primary: any RunStorage
    /// The fallback's location, for messages (`./footprint.sqlite`).
    public let fallbackDescription: String
    /// What the primary is, for messages (`PostgreSQL at db:5432`).
    public let primaryName: String
    private let openFallback: @Sendable () throws -> any RunStorage
    private let notice: @Sendable (String) -> Void
    private let lock = NSLock()
    private var fallback: (any RunStorage)?
    private var journals: [Int64: RunJournal] = [:]
    private var toFallback: [Int64: Int64] = [:]
    private var fromFallback: [Int64: Int64] = [:]

    /// Wraps `primary`; nothing is opened or written elsewhere until a write fails.
    ///
    /// - Parameters:
    ///   - primary: The shared store.
    ///   - primaryName: How messages name it, such as `PostgreSQL at db.lab:5432`.
    ///   - fallbackDescription: How messages name the fallback, such as `./footprint.sqlite`.
    ///   - openFallback: Opens (or creates) the fallback, called at most once.
    ///   - notice: Receives the one line said when the fallback takes over (standard error).
    public init(
        primary: any RunStorage, primaryName: String, fallbackDescription: String,
        openFallback: @escaping @Sendable () throws -> any RunStorage, notice: @escaping @Sendable (String) -> Void
    ) {
        self.primary = primary
        self.primaryName = primaryName
        self.fallbackDescription = fallbackDescription
        self.openFallback = openFallback
        self.notice = notice
    }

    /// Whether the fallback has taken over.
    public var hasFailedOver: Bool { lock.withLock { fallback != nil } }

    /// The primary's location, or the fallback's once it took over.
    public var locationDescription: String { lock.withLock { fallback?.locationDescription ?? primary.locationDescription } }

    // MARK: Routing

    /// Runs a write on the store in charge, with run numbers mapped to it; when the primary
    /// fails with a server error, fails over and runs it again on the fallback. `journal`
    /// records what the write did, under the caller's run numbers.
    private func write<T>(
        _ body: (any RunStorage, (Int64) -> Int64) throws -> T, adopt: (T) -> T = { $0 },
        journal: (inout [Int64: RunJournal], T) -> Void = { _, _ in }
    ) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        if let fallback { return adopt(try body(fallback, mappedToFallback)) }
        do {
            let result = try body(primary, { $0 })
            journal(&journals, result)
            return result
        } catch let error as RunStoreError {
            guard case .server(_, let detail, _) = error else { throw error }
            let fallback = try failOver(because: detail)
            return adopt(try body(fallback, mappedToFallback))
        }
    }

    /// The caller's number for a run the fallback inserted as `localID`: the same number,
    /// unless the caller already uses it for a run that moved, then a number above all in use.
    private func callerID(forLocal localID: Int64) -> Int64 {
        guard toFallback[localID] != nil else { return localID }
        let callerID = max(toFallback.keys.max() ?? 0, fromFallback.keys.max() ?? 0) + 1
        toFallback[callerID] = localID
        fromFallback[localID] = callerID
        return callerID
    }

    /// Runs a read on the store in charge; `back` turns the fallback's run numbers into the
    /// caller's.
    private func read<T>(_ body: (any RunStorage, (Int64) -> Int64) throws -> T, back: (T, (Int64) -> Int64) -> T = { value, _ in value })
        throws -> T
    {
        lock.lock()
        defer { lock.unlock() }
        guard let fallback else { return try body(primary, { $0 }) }
        return back(try body(fallback, mappedToFallback), mappedFromFallback)
    }

    private func mappedToFallback(_ id: Int64) -> Int64 { toFallback[id] ?? id }
    private func mappedFromFallback(_ id: Int64) -> Int64 { fromFallback[id] ?? id }

    /// Opens the fallback, imports every journaled run into it and says so once.
    private func failOver(because detail: String) throws -> any RunStorage {
        let store: any RunStorage
        do {
            store = try openFallback()
        } catch {
            notice("footprint: \(primaryName) stopped answering (\(detail)), and the fallback \(fallbackDescription) failed too: \(error)")
            throw error
        }
        var moved: [String] = []
        for (callerID, journal) in journals.sorted(by: { $0.key < $1.key }) {
            let localID = try store.run(uuid: journal.run.uuid)?.id ?? store.importRun(journal.bundle)
            toFallback[callerID] = localID
            fromFallback[localID] = callerID
            if journal.run.status == .running { moved.append("run \(callerID) goes on as run \(localID)") }
        }
        journals = [:]
        fallback = store
        let what = moved.isEmpty ? "new runs go" : moved.joined(separator: ", ")
        notice(
            "footprint: \(primaryName) stopped answering (\(detail)); \(what) into \(fallbackDescription) — "
                + "`footprint sync --db \(fallbackDescription) --to \(primary.locationDescription)` copies them later.")
        return store
    }

    private func back(_ run: RunRecord, _ map: (Int64) -> Int64) -> RunRecord {
        var shown = run
        shown.id = run.id.map(map)
        return shown
    }

    // MARK: Writing

    @discardableResult
    public func insertRun(_ run: RunRecord) throws -> Int64 {
        try write { store, _ in
            try store.insertRun(run)
        } adopt: {
            callerID(forLocal: $0)
        } journal: { journals, id in
            var stored = run
            stored.id = id
            stored.status = .running
            stored.endedAt = nil
            journals[id] = RunJournal(run: stored)
        }
    }

    public func updateRun(_ run: RunRecord) throws {
        try write { store, map in
            var row = run
            row.id = run.id.map(map)
            try store.updateRun(row)
        } journal: { journals, _ in
            if let id = run.id { journals[id]?.run = run }
        }
    }

    public func finishRun(
        id: Int64, status: RunStatus, endedAt: Date, errorText: String?, exitStatus: Int32?, wallSeconds: Double?, cpuSeconds: Double?
    ) throws {
        try write { store, map in
            try store.finishRun(
                id: map(id), status: status, endedAt: endedAt, errorText: errorText, exitStatus: exitStatus, wallSeconds: wallSeconds,
                cpuSeconds: cpuSeconds)
        } journal: { journals, _ in
            guard var run = journals[id]?.run else { return }
            run.status = status
            run.endedAt = endedAt
            run.errorText = errorText ?? run.errorText
            run.exitStatus = exitStatus ?? run.exitStatus
            run.wallSeconds = wallSeconds ?? run.wallSeconds
            run.cpuSeconds = cpuSeconds ?? run.cpuSeconds
            journals[id]?.run = run
        }
    }

    @discardableResult
    public func completeRun(
        _ run: RunRecord, status: RunStatus, endedAt: Date, samples: [PowerSampleRecord], meterEnergy: [MeterEnergyRecord]
    ) throws -> RunRecord {
        try write { store, map in
            var row = run
            row.id = run.id.map(map)
            let mappedSamples = samples.map { $0.reassigned(map) }
            let mappedMeters = meterEnergy.map { $0.reassigned(map) }
            let finished = try store.completeRun(
                row, status: status, endedAt: endedAt, samples: mappedSamples, meterEnergy: mappedMeters)
            var shown = finished
            shown.id = run.id
            return shown
        } journal: { journals, finished in
            guard let id = run.id else { return }
            journals[id]?.run = finished
            journals[id]?.powerSamples += samples
            for row in meterEnergy { journals[id]?.record(row) }
        }
    }

    public func recordHeartbeat(runID: Int64, at date: Date) throws {
        try write { store, map in
            try store.recordHeartbeat(runID: map(runID), at: date)
        } journal: { journals, _ in
            journals[runID]?.run.heartbeatAt = date
        }
    }

    public func deleteRuns(ids: [Int64]) throws -> Int {
        try write { store, map in
            try store.deleteRuns(ids: ids.map(map))
        } journal: { journals, _ in
            for id in ids { journals[id] = nil }
        }
    }

    public func appendEpoch(_ epoch: EpochRecord) throws {
        try write { store, map in
            try store.appendEpoch(epoch.reassigned(map))
        } journal: { journals, _ in
            journals[epoch.runID]?.record(epoch)
        }
    }

    public func insertLayerCosts(_ layers: [LayerCostRecord]) throws {
        try write { store, map in
            try store.insertLayerCosts(layers.map { $0.reassigned(map) })
        } journal: { journals, _ in
            for row in layers { journals[row.runID]?.record(row) }
        }
    }

    public func insertMetrics(_ metrics: [MetricRecord]) throws {
        try write { store, map in
            try store.insertMetrics(metrics.map { $0.reassigned(map) })
        } journal: { journals, _ in
            for row in metrics { journals[row.runID]?.record(row) }
        }
    }

    public func insertMeterEnergy(_ meters: [MeterEnergyRecord]) throws {
        try write { store, map in
            try store.insertMeterEnergy(meters.map { $0.reassigned(map) })
        } journal: { journals, _ in
            for row in meters { journals[row.runID]?.record(row) }
        }
    }

    public func insertPowerSamples(_ samples: [PowerSampleRecord]) throws {
        try write { store, map in
            try store.insertPowerSamples(samples.map { $0.reassigned(map) })
        } journal: { journals, _ in
            for row in samples { journals[row.runID]?.powerSamples.append(row) }
        }
    }

    @discardableResult
    public func importRun(_ bundle: RunBundle) throws -> Int64 {
        try write { store, _ in
            try store.importRun(bundle)
        } adopt: {
            callerID(forLocal: $0)
        } journal: { journals, id in
            var journal = RunJournal(run: bundle.details.run)
            journal.run.id = id
            let copied = bundle.reassigned(to: id)
            copied.details.epochs.forEach { journal.record($0) }
            copied.details.metrics.forEach { journal.record($0) }
            copied.details.layerCosts.forEach { journal.record($0) }
            copied.details.meterEnergy.forEach { journal.record($0) }
            journal.powerSamples = copied.powerSamples
            journals[id] = journal
        }
    }

    // MARK: Reading

    public func runs(_ query: RunQuery) throws -> [RunRecord] {
        try read { store, _ in
            try store.runs(query)
        } back: { runs, map in
            runs.map { back($0, map) }
        }
    }

    public func run(id: Int64) throws -> RunRecord {
        try read { store, map in
            try store.run(id: map(id))
        } back: { run, map in
            back(run, map)
        }
    }

    public func run(uuid: String) throws -> RunRecord? {
        try read { store, _ in
            try store.run(uuid: uuid)
        } back: { run, map in
            run.map { back($0, map) }
        }
    }

    public func runCount() throws -> Int { try read { store, _ in try store.runCount() } }

    public func epochs(runID: Int64) throws -> [EpochRecord] {
        try read { store, map in
            try store.epochs(runID: map(runID))
        } back: { rows, map in
            rows.map { $0.reassigned(map) }
        }
    }

    public func layerCosts(runID: Int64) throws -> [LayerCostRecord] {
        try read { store, map in
            try store.layerCosts(runID: map(runID))
        } back: { rows, map in
            rows.map { $0.reassigned(map) }
        }
    }

    public func metrics(runID: Int64) throws -> [MetricRecord] {
        try read { store, map in
            try store.metrics(runID: map(runID))
        } back: { rows, map in
            rows.map { $0.reassigned(map) }
        }
    }

    public func powerSamples(runID: Int64) throws -> [PowerSampleRecord] {
        try read { store, map in
            try store.powerSamples(runID: map(runID))
        } back: { rows, map in
            rows.map { $0.reassigned(map) }
        }
    }

    public func meterEnergy(runID: Int64) throws -> [MeterEnergyRecord] {
        try read { store, map in
            try store.meterEnergy(runID: map(runID))
        } back: { rows, map in
            rows.map { $0.reassigned(map) }
        }
    }

    // MARK: Liveness

    public func effectiveStatus(of run: RunRecord) -> RunStatus {
        let store = lock.withLock { fallback ?? primary }
        return store.effectiveStatus(of: run)
    }

    @discardableResult
    public func markCrashedRuns() throws -> [Int64] {
        try read { store, _ in
            try store.markCrashedRuns()
        } back: { ids, map in
            ids.map(map)
        }
    }

    /// The fallback's number for the run the caller knows as `id`, once the fallback took
    /// over (the messages that name ``locationDescription`` must name the run as it is there).
    public func storedRunNumber(_ id: Int64) -> Int64 {
        lock.withLock { fallback == nil ? id : mappedToFallback(id) }
    }

    /// Closes both stores (the fallback only if it was opened).
    public func close() throws {
        let (primary, fallback) = lock.withLock { (self.primary, self.fallback) }
        try? primary.close()
        try fallback?.close()
    }
}
