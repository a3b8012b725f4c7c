/// The model a wrapped program trains, as its `model` event declares it
/// (`{"event":"model","name":"mlp-256","parameters":19210,"flops_per_sample":76800}`).
public struct ModelFacts: Equatable, Sendable {
    /// A short name (`mlp-256`, the model's class), at most ``EventLimits/modelNameCharacters``.
    public var name: String
    /// Trainable parameters, 0…``EventLimits/maximumParameters``.
    public var parameters: Int64
    /// Training FLOPs per sample, forward + backward (FlopCounterMode's convention), when the
    /// program counted them: 0…``EventLimits/maximumFlopsPerSample``.
    public var flopsPerSample: Int64?

    /// Creates a model's facts.
    ///
    /// - Parameters:
    ///   - name: The model's name.
    ///   - parameters: Its trainable parameters.
    ///   - flopsPerSample: Its training FLOPs per sample, when counted.
    public init(name: String, parameters: Int64, flopsPerSample: Int64? = nil) {
        self.name = name
        self.parameters = parameters
        self.flopsPerSample = flopsPerSample
    }

    /// The run's FLOP total: FLOPs per sample × the samples of its epochs; nil without FLOPs
    /// per sample or samples, or when the product does not fit 64 bits.
    ///
    /// - Parameter samples: The samples of the epochs, all together.
    /// - Returns: The FLOPs of the training.
    public func flopsTotal(samples: Int64?) -> Int64? {
        guard let flopsPerSample, let samples else { return nil }
        let (product, overflow) = flopsPerSample.multipliedReportingOverflow(by: samples)
        return overflow ? nil : product
    }
}
