import Foundation
import RunStore
import Vocabulary

/// One distributed job added up from its ranks' runs: what `footprint show --job KEY --json`
/// prints and `footprint report --job KEY` writes.
///
/// A node's energy is read once: by the run that read its host meters (local rank 0, or a
/// single `footprint wrap` around the node's launcher), plus the GPUs that other ranks measured
/// as their own (`CUDA_VISIBLE_DEVICES`). Each rank is then attributed its node's host energy
/// in proportion to its CPU time, plus its own GPUs. Restarted attempts are separate rows; the
/// totals include every attempt, because a failed attempt's energy was spent too.
public struct JobDocument: Codable, Sendable {
    /// One node in one attempt.
    public struct Node: Codable, Sendable {
        /// The node's name.
        public var node: String
        /// The attempt (0 first; nil when the launcher gave none).
        public var attempt: Int?
        /// The ranks that ran there (global ranks; run ids for runs without one).
        public var ranks: [Int]
        /// The runs that ran there.
        public var runs: [Int64]
        /// The run whose host meters measured the node, when one did.
        public var hostMeterRun: Int64?
        /// The node's energy: host meters once, plus each rank's own GPUs.
        public var energy: RunDocument.Energy?
        /// The node's CO2e, from its runs' own intensity and PUE.
        public var carbon: RunDocument.CarbonFigures?
        /// The meter zones counted for the node.
        public var meters: [RunDocument.MeterJoules]
    }

    /// One rank's part of the job's energy.
    public struct Rank: Codable, Sendable {
        /// The rank's run.
        public var run: Int64
        /// Global rank, local rank, node and attempt.
        public var rank: Int?
        public var localRank: Int?
        public var node: String
        public var attempt: Int?
        /// The run's status.
        public var status: String
        /// CPU seconds of the rank's process tree.
        public var cpuSeconds: Double?
        /// Its share of the node's host energy (by CPU time) plus its own GPUs, joules.
        public var attributedJoules: Double?
        /// The fraction of its node's host energy attributed to it.
        public var hostShare: Double?
    }

    /// The job key.
    public var job: String
    /// Attempts seen, in order.
    public var attempts: [Int]
    /// Every rank's run, as `footprint show ID --json` prints it.
    public var runs: [RunDocument]
    /// A row per node and attempt.
    public var nodes: [Node]
    /// The attribution per rank.
    public var ranks: [Rank]
    /// The job's energy: the sum of its nodes'. Nil when no node measured or estimated any.
    public var energy: RunDocument.Energy?
    /// The job's CO2e: the sum of its nodes'.
    public var carbon: RunDocument.CarbonFigures?
    /// Floating-point operations of every rank, when the ranks counted them.
    public var flops: Int64?
    /// `wall`: from the first rank's start to the last rank's end; `cpu`: every rank's CPU time.
    public var seconds: [String: Double]
    /// What the totals rest on: double readings dropped, ranks still running, nodes unmeasured.
    public var notes: [String]

    /// The job `key` as `store` holds it.
    ///
    /// - Throws: ``JobDocumentError/noRuns(job:location:)`` when no run has the key, and store errors.
    public static func load(job key: String, from store: any RunStorage) throws -> JobDocument {
        try loadWithRecords(job: key, from: store).document
    }

    /// The job and the stored records it was added up from (oldest first), for readers that
    /// need more than the document holds (start dates, power samples) without reading them again.
    ///
    /// - Throws: ``JobDocumentError/noRuns(job:location:)`` when no run has the key, and store errors.
    public static func loadWithRecords(job key: String, from store: any RunStorage) throws -> (document: JobDocument, records: [RunRecord])
    {
        var key = key
        var records = try store.runs(job: key)
        var resolution: String?
        if records.isEmpty {
            // A bare Slurm job id (4242) or a key without its step (slurm:4242) names the job's
            // steps (slurm:4242.0, slurm:4242.1): one is shown, several are listed to pick from.
            let steps = Dictionary(grouping: try store.runs().filter { $0.jobKey.map { isStep($0, of: key) } ?? false }) { $0.jobKey ?? "" }
            if steps.count > 1 {
                throw JobDocumentError.severalSteps(
                    job: key, steps: steps.keys.sorted().map { JobDocumentError.Step(key: $0, runs: steps[$0]?.count ?? 0) },
                    location: store.locationDescription)
            }
            if let (step, stepRecords) = steps.first {
                resolution = "job '\(key)' is taken as \(step), its only step in \(store.locationDescription)"
                key = step
                records = stepRecords
            }
        }
        records.sort { ($0.id ?? 0) < ($1.id ?? 0) }
        guard !records.isEmpty else { throw JobDocumentError.noRuns(job: key, location: store.locationDescription) }
        let documents = try RunDocument.load(ids: records.compactMap(\.id), from: store)
        var document = JobDocument(job: key, records: records, documents: documents)
        if let resolution { document.notes.insert(resolution, at: 0) }
        return (document, records)
    }

    /// Whether job key `candidate` is a step of the job `bare` names: `4242` and `slurm:4242`
    /// name `slurm:4242.0`; `4242` also names `slurm:4242` and `torchelastic:4242`.
    static func isStep(_ candidate: String, of bare: String) -> Bool {
        let bare = bare.trimmingCharacters(in: .whitespaces)
        guard !bare.isEmpty, candidate != bare else { return false }
        let unscoped = candidate.firstIndex(of: ":").map { String(candidate[candidate.index(after: $0)...]) } ?? candidate
        return [candidate, unscoped].contains { $0 == bare || $0.hasPrefix(bare + ".") }
    }

    /// Adds up `records` (with their documents, in the same order) as one job.
    init(job: String, records: [RunRecord], documents: [RunDocument]) {
        self.job = job
        runs = documents
        attempts = Array(Set(records.map { $0.jobAttempt ?? 0 })).sorted()
        var notes: [String] = []
        let pairs = zip(records, documents).map { (record: $0, document: $1) }
        let groups = Dictionary(grouping: pairs) { NodeKey(node: $0.record.node ?? $0.record.host, attempt: $0.record.jobAttempt) }
        var nodes: [Node] = []
        var ranks: [Rank] = []
        for key in groups.keys.sorted() {
            let members = groups[key] ?? []
            let (node, nodeRanks) = Self.addUp(key: key, members: members, notes: &notes)
            nodes.append(node)
            ranks += nodeRanks
        }
        self.nodes = nodes
        self.ranks = ranks.sorted { ($0.attempt ?? 0, $0.rank ?? Int($0.run)) < ($1.attempt ?? 0, $1.rank ?? Int($1.run)) }
        energy = Self.sum(nodes.compactMap(\.energy))
        carbon = Self.sum(nodes.compactMap(\.carbon))
        let measuredNodes = nodes.filter { $0.energy != nil }.count
        if measuredNodes < nodes.count {
            let missing = nodes.filter { $0.energy == nil }.map { "\($0.node)" + ($0.attempt.map { " (attempt \($0))" } ?? "") }
            notes.append(
                "no energy for \(missing.joined(separator: ", ")): no run there read host meters (local rank 0 missing or still running); the totals leave those nodes out"
            )
        }
        let running = records.filter { $0.status == .running }
        if !running.isEmpty {
            notes.append(
                "\(running.count) rank(s) still running (runs \(running.compactMap(\.id).map(String.init).joined(separator: ", "))): totals so far"
            )
        }
        let flopCounts = records.compactMap(\.flopsTotal)
        flops = flopCounts.count == records.count ? flopCounts.reduce(0, +) : nil
        var seconds: [String: Double] = [:]
        if let first = records.map(\.startedAt).min() {
            let ends = records.map { $0.endedAt ?? $0.startedAt.addingTimeInterval($0.wallSeconds ?? 0) }
            if let last = ends.max() { seconds["wall"] = last.timeIntervalSince(first) }
        }
        let cpu = records.compactMap(\.cpuSeconds)
        if !cpu.isEmpty { seconds["cpu"] = cpu.reduce(0, +) }
        self.seconds = seconds
        self.notes = notes
    }

    /// Node and attempt, ordered by attempt, then node name.
    struct NodeKey: Hashable, Comparable {
        var node: String
        var attempt: Int?

        static func < (left: NodeKey, right: NodeKey) -> Bool {
            (left.attempt ?? 0, left.node) < (right.attempt ?? 0, right.node)
        }
    }

    /// One node's energy and its ranks' shares.
    private static func addUp(key: NodeKey, members: [(record: RunRecord, document: RunDocument)], notes: inout [String])
        -> (Node, [Rank])
    {
        let readsHost = { (record: RunRecord) in (record.localRank ?? 0) == 0 }
        let hostReaders = members.filter { readsHost($0.record) && $0.document.energy != nil }
        // Two host readings of one node in one attempt would count it twice: keep the larger
        // and say so (two `footprint wrap` without ranks on one node, say).
        let host = hostReaders.max { ($0.document.energy?.joules ?? 0) < ($1.document.energy?.joules ?? 0) }
        if hostReaders.count > 1, let host {
            let dropped = hostReaders.filter { $0.record.id != host.record.id }.compactMap(\.record.id)
            notes.append(
                "\(key.node): runs \(hostReaders.compactMap(\.record.id).map(String.init).joined(separator: ", ")) all read the node's host meters; "
                    + "counted run \(host.record.id ?? 0) only (dropped \(dropped.map(String.init).joined(separator: ", "))) so the node is not counted twice"
            )
        }
        let deviceReaders = members.filter { !readsHost($0.record) && $0.document.energy != nil }
        let parts = (host.map { [$0] } ?? []) + deviceReaders
        let energy = sum(parts.compactMap(\.document.energy))
        let carbon = sum(parts.compactMap(\.document.carbon))
        let hostJoules = host?.document.energy?.joules
        let totalCPU = members.compactMap(\.record.cpuSeconds).reduce(0, +)
        let ranks = members.map { member -> Rank in
            let record = member.record
            let share = hostJoules != nil && totalCPU > 0 ? (record.cpuSeconds ?? 0) / totalCPU : nil
            let ownDevices = readsHost(record) ? 0 : (member.document.energy?.joules ?? 0)
            let attributed = hostJoules.flatMap { joules in share.map { joules * $0 + ownDevices } }
            return Rank(
                run: record.id ?? 0, rank: record.rank, localRank: record.localRank, node: key.node, attempt: record.jobAttempt,
                status: member.document.status, cpuSeconds: record.cpuSeconds, attributedJoules: attributed, hostShare: share)
        }
        let node = Node(
            node: key.node, attempt: key.attempt, ranks: members.map { $0.record.rank ?? Int($0.record.id ?? 0) }.sorted(),
            runs: members.compactMap(\.record.id), hostMeterRun: host?.record.id, energy: energy, carbon: carbon,
            meters: parts.flatMap { $0.document.energy?.meters ?? [] })
        return (node, ranks)
    }

    /// The sum of several energies: joules and bands add; the provenance is shared or mixed;
    /// resolved only when every part is.
    static func sum(_ parts: [RunDocument.Energy]) -> RunDocument.Energy? {
        guard let first = parts.first else { return nil }
        if parts.count == 1 { return first }
        let provenances = Set(parts.map(\.provenance))
        let provenance = provenances.count == 1 ? first.provenance : .mixed
        let coarsest = parts.map(\.resolution).max { $0.stepJoules < $1.stepJoules } ?? first.resolution
        let addOptional = { (values: [Double?]) -> Double? in values.contains(nil) ? nil : values.compactMap { $0 }.reduce(0, +) }
        return RunDocument.Energy(
            joules: parts.map(\.joules).reduce(0, +), low: addOptional(parts.map(\.low)), high: addOptional(parts.map(\.high)),
            attributedJoules: nil, provenance: provenance, resolved: parts.allSatisfy(\.resolved), resolution: coarsest,
            meters: parts.flatMap(\.meters), idleWatts: nil, netJoules: nil, estimateModel: nil,
            notes: [])
    }

    /// The sum of several CO2e figures; intensity and PUE are kept only when every part shares them.
    static func sum(_ parts: [RunDocument.CarbonFigures]) -> RunDocument.CarbonFigures? {
        guard let first = parts.first else { return nil }
        if parts.count == 1 { return first }
        let addOptional = { (values: [Double?]) -> Double? in values.contains(nil) ? nil : values.compactMap { $0 }.reduce(0, +) }
        return RunDocument.CarbonFigures(
            gramsCO2e: parts.map(\.gramsCO2e).reduce(0, +), low: addOptional(parts.map(\.low)), high: addOptional(parts.map(\.high)),
            intensity: shared(parts, \.intensity), intensitySource: shared(parts, \.intensitySource),
            intensityYear: shared(parts, \.intensityYear), country: shared(parts, \.country), pue: shared(parts, \.pue),
            embodiedGrams: addOptional(parts.map(\.embodiedGrams)))
    }

    /// The value every part has, or nil when they differ.
    private static func shared<Value: Equatable>(_ parts: [RunDocument.CarbonFigures], _ value: KeyPath<RunDocument.CarbonFigures, Value?>)
        -> Value?
    {
        guard let first = parts.first?[keyPath: value] else { return nil }
        return parts.allSatisfy { $0[keyPath: value] == first } ? first : nil
    }

    /// Pretty-printed JSON with sorted keys.
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}

/// Why a job cannot be shown.
public enum JobDocumentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One job key a bare job id could mean, and how many runs it has.
    public struct Step: Sendable, Equatable {
        public var key: String
        public var runs: Int
    }

    /// No run in the store has the job key.
    case noRuns(job: String, location: String)
    /// No run has the key itself, but several job keys are steps of it (`4242` for
    /// `slurm:4242.0` and `slurm:4242.1`).
    case severalSteps(job: String, steps: [Step], location: String)

    public var description: String {
        switch self {
        case .severalSteps(let job, let steps, let location):
            let listed = steps.map { "\($0.key) (\($0.runs) run\($0.runs == 1 ? "" : "s"))" }.joined(separator: ", ")
            return "job '\(job)' has \(steps.count) steps in \(location): \(listed); pick one with --job \(steps.first?.key ?? job)"
        case .noRuns(let job, let location):
            return "no run of job '\(job)' in \(location); `footprint runs` shows each run's job, and ranks record "
                + "one with --job KEY or under Slurm (SLURM_JOB_ID) or torchrun (TORCHELASTIC_RUN_ID)"
        }
    }
}
