/// The two 5-point examples of the seed lecture (G. Bourmaud, "Introduction to neural networks
/// for supervised learning"), trained and evaluated on all their points as
/// the lecture does.
enum SeedDatasets {
    static let source = "G. Bourmaud, Introduction to neural networks for supervised learning (lecture example)"

    /// `seed-regression`: x → y, fitted by polynomials and MLPs in the lecture.
    static let regressionPoints: [(x: Float, y: Float)] = [
        (-3.1, 23.7), (1.2, 31.3), (4.3, 79.9), (6.2, 101.9), (9.1, 205.5),
    ]

    /// `seed-classification`: points in R² and their class among 3.
    static let classificationPoints: [(x1: Float, x2: Float, label: Int)] = [
        (1.2, -3.4, 0), (2.3, 2.8, 0), (-0.7, 1.2, 1), (3.2, -0.4, 1), (-1.3, 2.3, 2),
    ]

    static func makeRegression() throws -> Dataset {
        try Dataset(
            name: "seed-regression",
            features: Tensor(rows: regressionPoints.count, columns: 1, scalars: regressionPoints.map(\.x)),
            targets: Tensor(rows: regressionPoints.count, columns: 1, scalars: regressionPoints.map(\.y)),
            task: .regression,
            featureNames: ["x"],
            targetName: "y",
            evaluationPolicy: .trainOnAll,
            source: source)
    }

    static func makeClassification() throws -> Dataset {
        try Dataset(
            name: "seed-classification",
            features: Tensor(
                rows: classificationPoints.count, columns: 2,
                scalars: classificationPoints.flatMap { [$0.x1, $0.x2] }),
            targets: Tensor(rows: classificationPoints.count, columns: 1, scalars: classificationPoints.map { Float($0.label) }),
            task: .classification(classCount: 3),
            featureNames: ["x1", "x2"],
            targetName: "class",
            evaluationPolicy: .trainOnAll,
            source: source)
    }
}
