import Carbon

/// A well-known training run or footprint set beside a projection, with the projection's ratio
/// to it for each figure the reference has.
public struct ReferenceComparison: Sendable, Codable, Equatable {
    public var name: String
    public var source: String
    public var gramsCO2e: Double?
    public var seconds: Double?
    public var joules: Double?
    /// Projection ÷ reference, for each figure the reference has.
    public var gramsCO2eRatio: Double?
    public var secondsRatio: Double?
    public var joulesRatio: Double?

    /// AlexNet's own training: "five to six days on two GTX 580 3GB GPUs" (Krizhevsky,
    /// Sutskever & Hinton 2012, §1; the lecture says 6 days). Its energy here is an upper bound
    /// for the GPUs alone at their 244 W board power (NVIDIA GTX 580 specification):
    /// 2 × 244 W × 6 days = 253 MJ (70 kWh); CPUs, memory and cooling are not included.
    public static let alexNetPaperSeconds = 6.0 * 86_400
    /// Board power of one GTX 580, W (NVIDIA specification).
    public static let gtx580Watts = 244.0

    /// The reference points of the lecture and the studies it cites (Strubell et al. 2019; Patterson et al. 2021; Luccioni et al. 2022), smallest CO2e first, with AlexNet's
    /// own run first.
    ///
    /// - Parameters:
    ///   - gramsCO2e: The projection's CO2e.
    ///   - seconds: Its time.
    ///   - joules: Its energy.
    /// - Returns: One comparison per reference point.
    public static func lectureReferences(gramsCO2e: Double, seconds: Double, joules: Double) -> [ReferenceComparison] {
        let alexNetJoules = 2 * gtx580Watts * alexNetPaperSeconds
        var list = [
            ReferenceComparison(
                name: "AlexNet in 2012: 6 days on 2 GTX 580 (GPUs at board power, an upper bound)",
                source: "Krizhevsky et al. 2012; GTX 580 spec, 244 W", gramsCO2e: nil,
                seconds: alexNetPaperSeconds, joules: alexNetJoules,
                gramsCO2eRatio: nil, secondsRatio: seconds / alexNetPaperSeconds, joulesRatio: joules / alexNetJoules)
        ]
        for point in ReferencePoint.all {
            list.append(
                ReferenceComparison(
                    name: point.name, source: point.source, gramsCO2e: point.gramsCO2e, seconds: nil, joules: nil,
                    gramsCO2eRatio: point.gramsCO2e > 0 ? gramsCO2e / point.gramsCO2e : nil, secondsRatio: nil, joulesRatio: nil))
        }
        return list
    }
}
