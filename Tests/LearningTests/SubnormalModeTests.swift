import CKernels
import Synchronization
import Testing

@testable import Learning

/// Training flushes subnormal floats to zero (they made epochs up to 8× slower once an
/// optimizer's moments decayed) and gives the caller its floating-point mode back.
@Suite struct SubnormalModeTests {
    /// The current control bits, read without changing them; the six sticky exception flags
    /// (set by any arithmetic, this test's included) are left out.
    private func currentMode() -> UInt32 {
        let mode = fp_flush_subnormals()
        fp_restore_float_mode(mode)
        return mode & ~0x3F
    }

    /// Half the smallest normal float, computed at run time so the compiler cannot fold it.
    private static func halfOfSmallestNormal(_ values: [Float]) -> Float {
        values[0] / values[1]
    }

    @Test func subnormalsAreZeroDuringTrainingAndTheModeIsRestoredAfter() throws {
        let before = currentMode()
        #expect(Self.halfOfSmallestNormal([.leastNormalMagnitude, 2]) != 0, "outside training, IEEE subnormals")
        let seen = Mutex<[Float]>([])
        let hooks = TrainingHooks(epochDidEnd: { _ in
            let value = Self.halfOfSmallestNormal([.leastNormalMagnitude, 2])
            seen.withLock { $0.append(value) }
        })
        let configuration = TrainingConfiguration(model: .mlp(hiddenLayers: 1, hiddenWidth: 4), epochs: 2, batchSize: 5, seed: 1)
        _ = try Trainer(configuration: configuration, dataset: SeedDatasets.makeClassification()).train(hooks: hooks)
        #expect(seen.withLock { $0 } == [0, 0], "inside training, subnormal results flush to zero")
        #expect(currentMode() == before)
        #expect(Self.halfOfSmallestNormal([.leastNormalMagnitude, 2]) != 0)
    }
}
