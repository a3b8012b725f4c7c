import Learning

/// How much training a projection covers: samples per epoch and passes over them, as the
/// caller gives them or, for an architecture with a published training, as its paper states.
public struct TrainingWork: Sendable, Equatable {
    /// Training samples per epoch.
    public var samples: Int
    /// Passes over the samples.
    public var epochs: Int
    /// Where the published figures come from, when any were used; nil when the caller gave both.
    public var publishedSource: String?

    /// Creates work.
    ///
    /// - Parameters:
    ///   - samples: Training samples per epoch.
    ///   - epochs: Passes over the samples.
    ///   - publishedSource: Where published figures come from, if any were used.
    public init(samples: Int, epochs: Int, publishedSource: String? = nil) {
        self.samples = samples
        self.epochs = epochs
        self.publishedSource = publishedSource
    }

    /// AlexNet's training: ImageNet 2012's 1.2 M training images and "roughly 90 cycles through
    /// the training set" (Krizhevsky, Sutskever & Hinton 2012, §5).
    public static let alexNet = TrainingWork(
        samples: 1_200_000, epochs: 90, publishedSource: "ImageNet 2012's 1.2 M training images, ~90 epochs (Krizhevsky et al. 2012)")

    /// The published training of `architecture`, for those that have one (AlexNet).
    ///
    /// - Parameter architecture: The architecture.
    /// - Returns: Its work, or nil.
    public static func published(for architecture: ArchitectureSpec) -> TrainingWork? {
        architecture.name == ArchitectureSpec.alexNet.name ? alexNet : nil
    }

    /// The work the caller gave, with the architecture's published figures for what they left out.
    ///
    /// - Parameters:
    ///   - samples: Training samples per epoch, or nil for the published figure.
    ///   - epochs: Passes over the samples, or nil for the published figure.
    ///   - architecture: The architecture.
    /// - Returns: The work (``publishedSource`` set when a published figure filled a gap), or nil
    ///   when a figure is missing and the architecture has no published training.
    public static func resolve(samples: Int?, epochs: Int?, for architecture: ArchitectureSpec) -> TrainingWork? {
        if let samples, let epochs { return TrainingWork(samples: samples, epochs: epochs) }
        guard let published = published(for: architecture) else { return nil }
        return TrainingWork(
            samples: samples ?? published.samples, epochs: epochs ?? published.epochs, publishedSource: published.publishedSource)
    }
}
