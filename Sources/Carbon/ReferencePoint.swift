/// A well-known carbon figure to set a run beside, with its source.
public struct ReferencePoint: Sendable, Hashable, Codable {
    /// What it is: "New York ↔ San Francisco flight, one passenger".
    public var name: String
    /// Its footprint, gCO2e.
    public var gramsCO2e: Double
    /// Where the figure comes from.
    public var source: String

    /// Creates a reference point.
    ///
    /// - Parameters:
    ///   - name: What it is.
    ///   - gramsCO2e: Its footprint, gCO2e.
    ///   - source: Where the figure comes from.
    public init(name: String, gramsCO2e: Double, source: String) {
        self.name = name
        self.gramsCO2e = gramsCO2e
        self.source = source
    }

    /// Pounds to kilograms, exact by definition (international pound, 1959).
    public static let kilogramsPerPound = 0.45359237

    static let strubell = "Strubell et al. 2019"

    private static func strubell(_ name: String, pounds: Double) -> ReferencePoint {
        ReferencePoint(name: name, gramsCO2e: pounds * kilogramsPerPound * 1000, source: strubell)
    }

    /// Strubell, Ganesh & McCallum 2019, "Energy and Policy Considerations for Deep Learning in
    /// NLP", table 1 (the lecture's chart), converted from lbs CO2e.
    public static let strubell2019: [ReferencePoint] = [
        strubell("New York ↔ San Francisco flight, one passenger", pounds: 1_984),
        strubell("human life, one year (world average)", pounds: 11_023),
        strubell("American life, one year", pounds: 36_156),
        strubell("training one NLP model with tuning and experimentation", pounds: 78_468),
        strubell("car lifetime, fuel included", pounds: 126_000),
        strubell("training Transformer (big) with neural architecture search", pounds: 626_155),
    ]

    /// GPT-3 training: 1,287 MWh, 552 tCO2e (Patterson et al. 2021, Carbon Emissions and Large
    /// Neural Network Training).
    public static let gpt3Training = ReferencePoint(
        name: "training GPT-3", gramsCO2e: 552e6, source: "Patterson et al. 2021")

    /// BLOOM final training, dynamic power only: 433 MWh, 24.7 tCO2e (Luccioni, Viguier &
    /// Ligozat 2022, Estimating the Carbon Footprint of BLOOM).
    public static let bloomTrainingDynamic = ReferencePoint(
        name: "training BLOOM (176B), dynamic power only", gramsCO2e: 24.7e6,
        source: "Luccioni et al. 2022")

    /// BLOOM including idle consumption and embodied emissions: ≈ 50.5 tCO2e (same paper).
    public static let bloomTrainingTotal = ReferencePoint(
        name: "training BLOOM (176B), idle and embodied included", gramsCO2e: 50.5e6,
        source: "Luccioni et al. 2022")

    /// Every reference point, smallest first.
    public static let all: [ReferencePoint] =
        (strubell2019 + [gpt3Training, bloomTrainingDynamic, bloomTrainingTotal])
        .sorted { $0.gramsCO2e < $1.gramsCO2e }
}
