import Testing
@testable import Learning

@Suite("terrain dataset")
struct TerrainTests {
    @Test func spansTenKilometresWithOverAThousandEvenlySpacedPoints() throws {
        let dataset = try DatasetCatalog.load("terrain")
        #expect(dataset.sampleCount >= 1000)
        #expect(dataset.features.columns == 1)
        #expect(dataset.features.scalars.first == 0)
        #expect(dataset.features.scalars.last == 10)
        let x = dataset.features.scalars
        #expect(zip(x, x.dropFirst()).allSatisfy { $0 < $1 })
        #expect(dataset.task == .regression)
        #expect(dataset.evaluationPolicy == .holdOut(fraction: 0.2))
        #expect(dataset.featureNames == ["distance_km"])
        #expect(dataset.targetName == "elevation_m")
    }

    @Test func isIdenticalOnEveryLoad() throws {
        let first = try DatasetCatalog.load("terrain")
        let second = try DatasetCatalog.load("terrain")
        #expect(first.features == second.features)
        #expect(first.targets == second.targets)
    }

    /// Pinned values: a change in the generator or in floating-point behaviour across machines
    /// shows up here. They were printed by this implementation; recompute them only when the
    /// dataset is meant to change (and say so in the commit).
    @Test func matchesItsPinnedElevationsBitForBit() throws {
        let y = TerrainProfile.elevationsMetres()
        var checksum: UInt64 = 0xCBF2_9CE4_8422_2325
        for value in y {
            checksum = (checksum ^ value.bitPattern) &* 0x0000_0100_0000_01B3
        }
        #expect(y.count == 2049)
        #expect(y[0] == TerrainPin.first)
        #expect(y[1024] == TerrainPin.middle)
        #expect(y[2048] == TerrainPin.last)
        #expect(checksum == TerrainPin.checksum)
    }

    @Test func isRuggedWithKinksEverywhere() throws {
        let y = TerrainProfile.elevationsMetres()
        let second: [Double] = (1..<(y.count - 1)).map { (index: Int) -> Double in y[index - 1] - 2 * y[index] + y[index + 1] }
        let signChanges = zip(second, second.dropFirst()).filter { ($0 < 0) != ($1 < 0) }.count
        #expect(signChanges > y.count / 3)
    }

    /// A one-hidden-layer ReLU network with H units is a piecewise-linear function with at most
    /// H kinks. Piecewise-linear interpolation through 10, 100 and 1000 segments stands in for
    /// it: the profile must keep plenty of detail at each of those scales, so that H = 10, 100
    /// and 1000 fit visibly differently.
    @Test func keepsDetailAtTheScalesOfTenHundredAndThousandUnits() throws {
        let y = TerrainProfile.elevationsMetres()
        let errors = [8, 128, 1024].map { segments in interpolationRMSError(y, segments: segments) }
        #expect(errors[0] > 2 * errors[1])
        #expect(errors[1] > 2 * errors[2])
        #expect(errors[2] > 0.5)
    }

    @Test func hasACliffMuchSteeperThanTheRest() throws {
        let y = TerrainProfile.elevationsMetres()
        let steps = zip(y, y.dropFirst()).map { abs($1 - $0) }.sorted()
        let median = steps[steps.count / 2]
        #expect(steps.last! > 50)
        #expect(median < 5)
        #expect(steps.last! > 15 * median)
    }

    private func interpolationRMSError(_ y: [Double], segments: Int) -> Double {
        let stride = (y.count - 1) / segments
        var sum = 0.0
        for index in y.indices {
            let left = min(index / stride * stride, y.count - 1 - stride)
            let t = Double(index - left) / Double(stride)
            let line = y[left] + t * (y[left + stride] - y[left])
            sum += (y[index] - line) * (y[index] - line)
        }
        return (sum / Double(y.count)).squareRoot()
    }
}

/// Values of the profile as first generated. They were computed twice, by this code and by an
/// independent Python reimplementation of SplitMix64 and the same `Double` arithmetic (CPython
/// floats are IEEE 754 binary64), which agreed bit for bit.
private enum TerrainPin {
    static let first = 320.26526854273345
    static let middle = 639.4306972850808
    static let last = 603.7078227734132
    /// FNV-1a 64 over the bit patterns of all 2049 elevations.
    static let checksum: UInt64 = 7_098_415_909_257_009_375
}
