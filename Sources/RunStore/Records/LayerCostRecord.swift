import GRDB

/// One row of `layer_costs`: the shape and the FLOPs one layer executed over the whole run.
/// Unique per (`run_id`, `layer_index`).
public struct LayerCostRecord: Codable, Sendable, Equatable {
    /// The run (`runs.id`); deleting the run deletes its layer costs.
    public var runID: Int64
    /// Zero-based position of the layer in the model.
    public var layerIndex: Int
    /// Layer name (`dense1`, `tanh`, `conv2`).
    public var name: String
    /// Output shape as text (`100`, `27x27x96`).
    public var outputShape: String
    /// Trainable parameters of the layer.
    public var parameters: Int64
    /// Forward FLOPs of the run's training steps (evaluation passes excluded).
    public var forwardFlops: Int64
    /// Backward FLOPs of the run's training steps.
    public var backwardFlops: Int64

    /// Creates a layer-cost row.
    ///
    /// - Parameters:
    ///   - runID: The run it belongs to.
    ///   - layerIndex: Zero-based position in the model.
    ///   - name: Layer name.
    ///   - outputShape: Output shape as text.
    ///   - parameters: Trainable parameters.
    ///   - forwardFlops: Forward FLOPs over the run.
    ///   - backwardFlops: Backward FLOPs over the run.
    public init(
        runID: Int64, layerIndex: Int, name: String, outputShape: String,
        parameters: Int64, forwardFlops: Int64, backwardFlops: Int64
    ) {
        self.runID = runID
        self.layerIndex = layerIndex
        self.name = name
        self.outputShape = outputShape
        self.parameters = parameters
        self.forwardFlops = forwardFlops
        self.backwardFlops = backwardFlops
    }

    /// The column of each property in `layer_costs`.
    public enum CodingKeys: String, CodingKey, CaseIterable, Sendable {
        case runID = "run_id"
        case layerIndex = "layer_index"
        case name
        case outputShape = "output_shape"
        case parameters
        case forwardFlops = "forward_flops"
        case backwardFlops = "backward_flops"
    }
}

extension LayerCostRecord: FetchableRecord, PersistableRecord {
    /// `layer_costs`.
    public static let databaseTableName = "layer_costs"
}
