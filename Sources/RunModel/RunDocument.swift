import Carbon
import Foundation
import RunStore
import Vocabulary

/// The JSON shape of one run, printed by `train --json`, `wrap --json` and `show --json`.
public struct RunDocument: Codable, Sendable {
    public struct Model: Codable, Sendable {
        public var name: String?
        public var parameters: Int64?
        public var description: String?
        /// Training FLOPs per sample a wrapped program declared (forward + backward); absent
        /// otherwise.
        public var flopsPerSample: Int64? = nil
    }
    /// The final quality figures, under `trainLoss`, `validationLoss`, `accuracy`, `mse`, `r2`
    /// and `evaluatedOn`.
    public typealias Metrics = QualityMetrics
    public struct Flops: Codable, Sendable {
        public var forward: Int64
        public var backward: Int64
        public var optimizer: Int64
        public var evaluation: Int64
        public var total: Int64
        public var matmul: Int64
    }
    public struct MeterJoules: Codable, Sendable {
        public var name: String
        public var zone: String
        public var joules: Double
        public var includedInTotal: Bool
        /// Seconds bridged across intervals this zone's counter lost; absent when none.
        public var bridgedSeconds: Double? = nil
        /// The joules of `joules` bridged over `bridgedSeconds`; absent when none.
        public var bridgedJoules: Double? = nil
    }
    public struct Energy: Codable, Sendable {
        public var joules: Double
        /// The stated uncertainty band: measured ×0.9–×1.2, estimated ×0.5–×2 (see Carbon's
        /// `RelativeBand` for the reasons), widened to contain `minimumJoules`…`maximumJoules`
        /// when a counter lost an interval.
        public var low: Double?
        public var high: Double?
        public var attributedJoules: Double?
        /// `measured`, `estimated` or `mixed` (a meter distrusted mid-run; the notes say when).
        public var provenance: EnergyProvenance
        /// False when `joules` is under ten steps or ten update periods of the meters: noise,
        /// not a result ("below resolution" in text); false too when more than 5 % of it is
        /// bridged across intervals a counter lost.
        public var resolved: Bool
        /// The meters' resolution the figure was judged against.
        public var resolution: EnergyResolution
        public var meters: [MeterJoules]
        public var idleWatts: Double?
        public var netJoules: Double?
        public var estimateModel: String?
        public var notes: [String]
        /// Joules of `joules` bridged across intervals a counter lost; absent when none.
        public var bridgedJoules: Double? = nil
        /// Seconds bridged, the zones in the total together; absent when none.
        public var bridgedSeconds: Double? = nil
        /// The interval that holds the true energy once bridges are allowed for; absent when
        /// nothing was bridged.
        public var minimumJoules: Double? = nil
        public var maximumJoules: Double? = nil
        /// The part of `joules` spent before a wrapped program's `train_begin` (its startup);
        /// absent when the program sent none.
        public var startupJoules: Double? = nil
        /// `joules` less `startupJoules`: what the training itself cost; absent without a startup.
        public var trainingJoules: Double? = nil
    }
    public struct CarbonFigures: Codable, Sendable {
        public var gramsCO2e: Double
        public var low: Double?
        public var high: Double?
        public var intensity: Double?
        public var intensitySource: String?
        public var intensityYear: Int?
        public var country: String?
        public var pue: Double?
        public var embodiedGrams: Double?
    }
    /// One row of `history`: an epoch's quality figures (under the keys of ``Metrics``, without
    /// `evaluatedOn`) beside its index, samples, FLOPs, time and energy. Its figures read as its
    /// own: `epoch.trainLoss` is `epoch.quality.trainLoss`.
    @dynamicMemberLookup
    public struct Epoch: Codable, Sendable {
        public var epoch: Int
        public var quality: QualityMetrics
        public var samples: Int64?
        public var flops: Int64?
        public var seconds: Double?
        public var elapsedSeconds: Double?
        public var joules: Double?
        /// False when this epoch's energy is below the meters' resolution; nil without energy.
        public var resolved: Bool?

        /// A quality figure of this epoch.
        public subscript(dynamicMember figure: WritableKeyPath<QualityMetrics, Double?>) -> Double? {
            get { quality[keyPath: figure] }
            set { quality[keyPath: figure] = newValue }
        }

        enum CodingKeys: String, CodingKey {
            case epoch, samples, flops, seconds, elapsedSeconds, joules, resolved
        }

        init(
            epoch: Int, quality: QualityMetrics, samples: Int64?, flops: Int64?, seconds: Double?, elapsedSeconds: Double?,
            joules: Double?, resolved: Bool?
        ) {
            self.epoch = epoch
            self.quality = quality
            self.samples = samples
            self.flops = flops
            self.seconds = seconds
            self.elapsedSeconds = elapsedSeconds
            self.joules = joules
            self.resolved = resolved
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            epoch = try container.decode(Int.self, forKey: .epoch)
            // The quality keys share the row's object.
            quality = try QualityMetrics(from: decoder)
            quality.split = nil
            samples = try container.decodeIfPresent(Int64.self, forKey: .samples)
            flops = try container.decodeIfPresent(Int64.self, forKey: .flops)
            seconds = try container.decodeIfPresent(Double.self, forKey: .seconds)
            elapsedSeconds = try container.decodeIfPresent(Double.self, forKey: .elapsedSeconds)
            joules = try container.decodeIfPresent(Double.self, forKey: .joules)
            resolved = try container.decodeIfPresent(Bool.self, forKey: .resolved)
        }

        public func encode(to encoder: any Encoder) throws {
            var rowQuality = quality
            rowQuality.split = nil
            try rowQuality.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(epoch, forKey: .epoch)
            try container.encodeIfPresent(samples, forKey: .samples)
            try container.encodeIfPresent(flops, forKey: .flops)
            try container.encodeIfPresent(seconds, forKey: .seconds)
            try container.encodeIfPresent(elapsedSeconds, forKey: .elapsedSeconds)
            try container.encodeIfPresent(joules, forKey: .joules)
            try container.encodeIfPresent(resolved, forKey: .resolved)
        }
    }
    public struct Layer: Codable, Sendable {
        public var index: Int
        public var name: String
        public var outputShape: String
        public var parameters: Int64
        public var forwardFlops: Int64
        public var backwardFlops: Int64
    }

    /// The job a run is one rank of (`--job`, Slurm, torchrun).
    public struct Job: Codable, Sendable {
        public var key: String
        public var attempt: Int?
        public var rank: Int?
        public var localRank: Int?
        public var worldSize: Int?
        public var node: String?
        public var visibleDevices: String?
    }
    public var id: Int64
    /// The run's identity in every store (`footprint sync` copies by it); absent from
    /// documents written before run UUIDs (schema 5).
    public var uuid: String?
    public var name: String
    public var kind: String
    /// The job, when the run is one rank of one.
    public var job: Job?
    public var status: String
    public var startedAt: String
    public var endedAt: String?
    public var host: String
    public var command: [String]?
    public var commandLine: String?
    public var exitStatus: Int32?
    public var error: String?
    public var model: Model
    public var dataset: String?
    public var task: String?
    public var epochs: Int
    public var hyperparameters: [String: String]?
    public var tags: [String]
    public var gitCommit: String?
    public var metrics: Metrics
    public var coefficients: [Double]?
    public var flops: Flops?
    public var seconds: [String: Double]
    public var gflopsPerSecond: Double?
    public var kernel: String?
    public var energy: Energy?
    public var carbon: CarbonFigures?
    public var prediction: RunPrediction?
    public var history: [Epoch]
    public var layers: [Layer]
    /// Seconds before a wrapped program's `train_begin` (imports, data loading); absent when
    /// it sent none.
    public var startupSeconds: Double?
    /// Facts a wrapped program sent that Footprint has no field for; absent when none.
    public var extraFacts: [String: ExtraFact]?

    /// Everything recorded about one run.
    ///
    /// - Throws: `RunStoreError.runNotFound` and store errors.
    public static func load(id: Int64, from database: any RunStorage) throws -> RunDocument {
        try load(ids: [id], from: database)[0]
    }

    /// Several runs' documents, read in one snapshot with one query per table.
    ///
    /// - Parameter ids: Run ids; the result keeps their order.
    /// - Throws: `RunStoreError.runNotFound` and store errors.
    public static func load(ids: [Int64], from database: any RunStorage) throws -> [RunDocument] {
        try database.details(ids: ids).map(RunDocument.init(details:))
    }

    /// The document of a run's row and the rows below it, read together.
    init(details: RunDetails) {
        self.init(
            run: details.run, status: details.run.status, epochs: details.epochs, metrics: details.metrics, layers: details.layerCosts,
            meters: details.meterEnergy)
    }

    init(
        run: RunRecord, status: RunStatus, epochs: [EpochRecord], metrics: [MetricRecord], layers: [LayerCostRecord],
        meters: [MeterEnergyRecord]
    ) {
        id = run.id ?? 0
        uuid = run.uuid
        if let key = run.jobKey {
            job = Job(
                key: key, attempt: run.jobAttempt, rank: run.rank, localRank: run.localRank, worldSize: run.worldSize, node: run.node,
                visibleDevices: run.visibleDevices)
        }
        name = run.name
        kind = run.kind.rawValue
        self.status = status.rawValue
        startedAt = Self.format(run.startedAt)
        endedAt = run.endedAt.map(Self.format)
        host = run.host
        if run.kind == .wrap { command = JSONText.decode([String].self, from: run.command) }
        commandLine = run.kind == .wrap ? command?.joined(separator: " ") : run.command
        exitStatus = run.exitStatus
        error = run.errorText
        model = Model(
            name: run.modelName, parameters: run.parameterCount, description: run.modelDescription, flopsPerSample: run.flopsPerSample)
        dataset = run.dataset
        task = run.task
        self.epochs = epochs.count
        hyperparameters = JSONText.decode([String: String].self, from: run.hyperparametersJSON)
        tags = run.tags
        gitCommit = run.gitCommit
        self.metrics = QualityMetrics(rows: metrics)
        let coefficientRows = metrics.compactMap { row -> (index: Int, value: Double)? in
            guard case .coefficient(let index)? = row.metric else { return nil }
            return (index, row.value)
        }.sorted { $0.index < $1.index }
        coefficients = coefficientRows.isEmpty ? nil : coefficientRows.map(\.value)
        if let total = run.flopsTotal {
            flops = Flops(
                forward: run.flopsForward ?? 0, backward: run.flopsBackward ?? 0, optimizer: run.flopsOptimizer ?? 0,
                evaluation: run.flopsEvaluation ?? 0, total: total, matmul: run.flopsMatmul ?? 0)
        }
        var seconds = JSONText.decode([String: Double].self, from: run.phaseSecondsJSON) ?? [:]
        if let wall = run.wallSeconds { seconds["wall"] = wall }
        if let cpu = run.cpuSeconds { seconds["cpu"] = cpu }
        self.seconds = seconds
        if let total = run.flopsTotal {
            let computeSeconds = Phase.allCases.compactMap { seconds[$0.description] }.reduce(0, +)
            gflopsPerSecond = computeSeconds > 0 ? Double(total) / computeSeconds / 1e9 : nil
        }
        kernel = run.gemmKernel
        let resolution = Self.resolution(of: run)
        if let joules = run.energyJoules, let provenance = run.energyProvenance {
            energy = Self.energy(of: run, joules: joules, provenance: provenance, resolution: resolution, meters: meters)
            energy?.startupJoules = run.startupJoules
            energy?.trainingJoules = run.startupJoules.map { joules - $0 }
        }
        startupSeconds = run.startupSeconds
        extraFacts = Self.extraFacts(of: run)
        if let grams = run.gramsCO2e {
            carbon = CarbonFigures(
                gramsCO2e: grams, low: run.gramsCO2eLow, high: run.gramsCO2eHigh, intensity: run.intensityGramsPerKilowattHour,
                intensitySource: run.intensitySource, intensityYear: run.intensityYear, country: run.country, pue: run.pue,
                embodiedGrams: run.embodiedGrams)
        }
        prediction = JSONText.decode(RunPrediction.self, from: run.predictionJSON)
        history = epochs.map { epoch in
            let facts = epoch.facts
            return Epoch(
                epoch: epoch.epochIndex, quality: facts.quality, samples: epoch.samples, flops: facts.flops.map { Int64($0.total) },
                seconds: epoch.wallSeconds, elapsedSeconds: epoch.elapsedSeconds, joules: epoch.energyJoules,
                resolved: epoch.energyJoules.map { resolution.resolves(joules: $0, seconds: epoch.wallSeconds ?? 0) })
        }
        self.layers = layers.map {
            Layer(
                index: $0.layerIndex, name: $0.name, outputShape: $0.outputShape, parameters: $0.parameters, forwardFlops: $0.forwardFlops,
                backwardFlops: $0.backwardFlops)
        }
    }

    /// The resolution stored with the run, or the one assumed for its provenance (runs from
    /// before resolutions were recorded).
    static func resolution(of run: RunRecord) -> EnergyResolution {
        if let step = run.energyResolutionJoules, let period = run.energyResolutionSeconds {
            return EnergyResolution(stepJoules: step, periodSeconds: period, source: run.energyResolutionSource ?? "as recorded")
        }
        return .assumed(measured: run.energyProvenance == .measured)
    }

    /// UTC ISO 8601 with milliseconds, as the store writes dates.
    static func format(_ date: Date) -> String {
        Timestamp.text(date)
    }

    /// Pretty-printed JSON with sorted keys.
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
