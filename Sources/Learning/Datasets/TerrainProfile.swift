/// The `terrain` dataset: a synthetic 1-D elevation profile for the lecture's model-size
/// experiment, where one-hidden-layer ReLU networks with H = 10, 100 and 1000 units are fitted
/// to a mountain's cross-section and fit it visibly differently.
///
/// The profile is rugged at every scale: fractional Brownian motion by midpoint displacement
/// (detail halves in size and shrinks by `roughness` at each level, as in Fournier, Fussell &
/// Carpenter 1982), plus sharp triangular ridges, a 150 m cliff and a gentle regional slope.
/// It is bit-identical on every machine: only `+ - * /` on `Double` (IEEE 754 rounds each
/// exactly), no transcendental function, and random numbers from `SeededGenerator`'s integers.
enum TerrainProfile {
    /// Samples along the profile: 2¹¹ + 1, as midpoint displacement produces.
    static let sampleCount = 2049
    /// The profile spans 0…10 km.
    static let lengthKilometres = 10.0
    /// The generator's fixed seed; changing it changes the dataset.
    static let seed: UInt64 = 0x7E44_A1A5_2024_0001
    /// Displacement at the first (coarsest) level, in metres.
    static let initialDisplacementMetres = 220.0
    /// Ratio of successive levels' displacements: 2^−H with Hurst exponent H ≈ 0.6, rougher
    /// than most real relief (H ≈ 0.7–0.8) so that fine detail is visible at every scale.
    static let roughness = 0.66
    /// Small rocky crags (tens of metres over tens of metres), placed at random: the detail
    /// that 100 ReLU units cannot follow and 1000 can.
    static let cragCount = 14

    /// A sharp ridge: a tent of `heightMetres` at `centreKilometres`, zero beyond `halfWidthKilometres`.
    private struct Ridge {
        var centreKilometres: Double
        var halfWidthKilometres: Double
        var heightMetres: Double
    }

    private static let ridges = [
        Ridge(centreKilometres: 1.9, halfWidthKilometres: 0.7, heightMetres: 170),
        Ridge(centreKilometres: 3.05, halfWidthKilometres: 0.22, heightMetres: 110),
        Ridge(centreKilometres: 7.4, halfWidthKilometres: 1.1, heightMetres: 280),
        Ridge(centreKilometres: 8.35, halfWidthKilometres: 0.12, heightMetres: 95),
    ]
    /// The cliff drops `cliffDropMetres` between these distances.
    private static let cliffStartKilometres = 5.3
    private static let cliffEndKilometres = 5.31
    private static let cliffDropMetres = 150.0

    /// Distances in kilometres, evenly spaced from 0 to `lengthKilometres`.
    static func distancesKilometres() -> [Double] {
        let intervals = Double(sampleCount - 1)
        return (0..<sampleCount).map { lengthKilometres * Double($0) / intervals }
    }

    /// Elevations in metres at `distancesKilometres()`.
    static func elevationsMetres() -> [Double] {
        let distances = distancesKilometres()
        var generator = SeededGenerator(seed: seed)
        let noise = fractionalBrownianMetres(&generator)
        let crags = (0..<cragCount).map { _ in
            Ridge(
                centreKilometres: lengthKilometres * (uniformSigned(&generator) + 1) / 2,
                halfWidthKilometres: 0.05 + 0.03 * uniformSigned(&generator),
                heightMetres: 30 * uniformSigned(&generator) + (uniformSigned(&generator) < 0 ? -15 : 15))
        }
        let tents = ridges + crags
        return zip(distances, noise).map { x, fbm in
            var elevation = 420 + 18 * x + fbm
            for ridge in tents {
                let fromCentre = x < ridge.centreKilometres ? ridge.centreKilometres - x : x - ridge.centreKilometres
                if fromCentre < ridge.halfWidthKilometres {
                    elevation += ridge.heightMetres * (1 - fromCentre / ridge.halfWidthKilometres)
                }
            }
            if x >= cliffEndKilometres {
                elevation -= cliffDropMetres
            } else if x > cliffStartKilometres {
                elevation -= cliffDropMetres * (x - cliffStartKilometres) / (cliffEndKilometres - cliffStartKilometres)
            }
            return elevation
        }
    }

    /// Midpoint displacement on `sampleCount` points: each level sets the midpoints of the
    /// previous level's intervals to their neighbours' mean plus a uniform displacement.
    private static func fractionalBrownianMetres(_ generator: inout SeededGenerator) -> [Double] {
        var heights = [Double](repeating: 0, count: sampleCount)
        heights[0] = initialDisplacementMetres * uniformSigned(&generator)
        heights[sampleCount - 1] = initialDisplacementMetres * uniformSigned(&generator)
        var step = (sampleCount - 1) / 2
        var displacement = initialDisplacementMetres
        while step >= 1 {
            var middle = step
            while middle < sampleCount - 1 {
                let mean = (heights[middle - step] + heights[middle + step]) / 2
                heights[middle] = mean + displacement * uniformSigned(&generator)
                middle += 2 * step
            }
            displacement *= roughness
            step /= 2
        }
        return heights
    }

    /// A uniform value in [−1, 1), exact in `Double` (53 random bits scaled by a power of two).
    private static func uniformSigned(_ generator: inout SeededGenerator) -> Double {
        Double(generator.next() >> 11) * (2.0 / 9_007_199_254_740_992.0) - 1
    }

    /// The dataset: x = distance (km), y = elevation (m), 20% held out.
    static func makeDataset() throws -> Dataset {
        let distances = distancesKilometres().map { Float($0) }
        let elevations = elevationsMetres().map { Float($0) }
        return try Dataset(
            name: "terrain",
            features: Tensor(rows: sampleCount, columns: 1, scalars: distances),
            targets: Tensor(rows: sampleCount, columns: 1, scalars: elevations),
            task: .regression,
            featureNames: ["distance_km"],
            targetName: "elevation_m",
            evaluationPolicy: .holdOut(fraction: 0.2),
            source: "synthetic elevation profile generated by Footprint (fractional Brownian motion by midpoint displacement, "
                + "seed 0x\(String(seed, radix: 16, uppercase: true)), with ridges and a cliff); public domain")
    }
}
