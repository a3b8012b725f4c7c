/// The shape of one sample's activations: height × width × channels (HWC).
///
/// A flat vector of D features is 1 × 1 × D, so dense layers and convolutions share one shape
/// type and an architecture can be checked layer by layer.
public struct FeatureMapShape: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Rows of the feature map (1 for a vector).
    public var height: Int
    /// Columns of the feature map (1 for a vector).
    public var width: Int
    /// Channels, or the features of a vector.
    public var channels: Int

    /// Creates a shape.
    ///
    /// - Parameters:
    ///   - height: Rows, at least 1.
    ///   - width: Columns, at least 1.
    ///   - channels: Channels, at least 1.
    public init(height: Int, width: Int, channels: Int) {
        self.height = height
        self.width = width
        self.channels = channels
    }

    /// A flat vector of `features` values.
    public static func vector(_ features: Int) -> FeatureMapShape {
        FeatureMapShape(height: 1, width: 1, channels: features)
    }

    /// Values per sample, H·W·C.
    public var elementCount: Int { height * width * channels }

    /// True for a 1 × 1 × D shape.
    public var isVector: Bool { height == 1 && width == 1 }

    /// `"55×55×96"`, or `"4096"` for a vector.
    public var description: String {
        isVector ? "\(channels)" : "\(height)×\(width)×\(channels)"
    }
}
