import PostgresNIO
import RunStore

extension PostgresRunStore {
    /// Inserts epochs inside the caller's transaction in one statement whose rows come from
    /// one array per column (`unnest`), as ``insert(samples:in:)`` does for samples. Each array
    /// is sent as one text literal (`{1,NULL,2.5}`) that the server casts: 20 parameters for the
    /// lot, where binding each value costs the client more than the server's whole insert
    /// (a 200,000-epoch sync spent most of 90 s encoding parameters one by one).
    static func insert(epochs: some Collection<EpochRecord>, in connection: PostgresConnection) throws {
        guard !epochs.isEmpty else { return }
        var columns = [ArrayLiteral](repeating: ArrayLiteral(), count: epochColumns.count)
        for epoch in epochs {
            columns[0].append(epoch.runID)
            columns[1].append(Int64(epoch.epochIndex))
            columns[2].append(epoch.trainLoss)
            columns[3].append(epoch.validationLoss)
            columns[4].append(epoch.accuracy)
            columns[5].append(epoch.mse)
            columns[6].append(epoch.r2)
            columns[7].append(epoch.flopsForward)
            columns[8].append(epoch.flopsBackward)
            columns[9].append(epoch.flopsOptimizer)
            columns[10].append(epoch.flopsEvaluation)
            columns[11].append(epoch.secondsData)
            columns[12].append(epoch.secondsForward)
            columns[13].append(epoch.secondsBackward)
            columns[14].append(epoch.secondsOptimizer)
            columns[15].append(epoch.secondsEvaluation)
            columns[16].append(epoch.wallSeconds)
            columns[17].append(epoch.elapsedSeconds)
            columns[18].append(epoch.samples)
            columns[19].append(epoch.energyJoules)
        }
        var bindings = PostgresBindings(capacity: columns.count)
        var arrays: [String] = []
        for (index, column) in epochColumns.enumerated() {
            bindings.append(columns[index].text + "}")
            arrays.append("$\(index + 1)::\(column.type)[]")
        }
        let names = epochColumns.map(\.name).joined(separator: ", ")
        try connection.run(
            PostgresQuery(
                unsafeSQL: "INSERT INTO epochs (\(names)) SELECT * FROM unnest(\(arrays.joined(separator: ", ")))", binds: bindings))
    }

    /// The columns of `epochs` (``EpochRecord/CodingKeys``), in the order ``insert(epochs:in:)`` fills them.
    static let epochColumns: [(name: String, type: String)] = [
        ("run_id", "BIGINT"), ("epoch_index", "BIGINT"), ("train_loss", "DOUBLE PRECISION"),
        ("validation_loss", "DOUBLE PRECISION"), ("accuracy", "DOUBLE PRECISION"), ("mse", "DOUBLE PRECISION"),
        ("r2", "DOUBLE PRECISION"), ("flops_forward", "BIGINT"), ("flops_backward", "BIGINT"), ("flops_optimizer", "BIGINT"),
        ("flops_evaluation", "BIGINT"), ("seconds_data", "DOUBLE PRECISION"), ("seconds_forward", "DOUBLE PRECISION"),
        ("seconds_backward", "DOUBLE PRECISION"), ("seconds_optimizer", "DOUBLE PRECISION"),
        ("seconds_evaluation", "DOUBLE PRECISION"), ("wall_seconds", "DOUBLE PRECISION"), ("elapsed_seconds", "DOUBLE PRECISION"),
        ("samples", "BIGINT"), ("energy_joules", "DOUBLE PRECISION"),
    ]
}

/// A PostgreSQL array literal being written, without its closing brace: `{1,NULL,2.5`.
struct ArrayLiteral {
    private(set) var text = "{"
    private var isEmpty = true

    mutating func append(_ value: Int64?) {
        separate()
        text += value.map { String($0) } ?? "NULL"
    }

    /// Doubles as Swift prints them (the shortest text that reads back to the same bits);
    /// PostgreSQL spells the non-finite ones its own way.
    mutating func append(_ value: Double?) {
        separate()
        guard let value else {
            text += "NULL"
            return
        }
        if value.isNaN {
            text += "NaN"
        } else if value.isInfinite {
            text += value < 0 ? "-Infinity" : "Infinity"
        } else {
            text += String(value)
        }
    }

    private mutating func separate() {
        if !isEmpty { text += "," }
        isEmpty = false
    }
}
