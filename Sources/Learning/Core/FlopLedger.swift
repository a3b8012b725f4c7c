import Vocabulary

/// FLOPs executed, kept per layer and per phase, plus the matrix-multiply share of training.
///
/// Convention (as PyTorch's `torch.utils.flop_counter.FlopCounterMode`): 2 FLOPs per multiply-add in a
/// matrix product; elementwise work counts one FLOP per arithmetic operation per element (a
/// comparison, `exp`, `log` and `sqrt` count as one each). Each kernel documents its formula.
/// Work that does not run is not counted: the first layer's input gradient is never computed.
public struct FlopLedger: Sendable, Equatable {
    /// FLOPs per slot and phase, flat: slot `i`, phase `p` at `i * phaseCount + p`. One flat
    /// array keeps an `add` to a single indexed increment (the ledger runs on every kernel call,
    /// so its cost is measured: `footprint bench mlp`).
    private var counts: [Int]
    private static let phaseCount = Phase.allCases.count
    /// Names of the slots, for reports: the layers' names then `"loss"`.
    public let slotNames: [String]
    /// Matrix-multiply FLOPs of training steps' forward and backward passes only: what
    /// PyTorch's FlopCounterMode counts for those steps.
    public private(set) var trainingMatmulFlops: Int = 0
    /// How many times `add` or `addMatmul` ran: lets a benchmark replay the ledger's own work.
    public private(set) var operationCount: Int = 0

    /// Creates an empty ledger with one slot per layer plus a loss slot.
    public init(layerNames: [String]) {
        slotNames = layerNames + ["loss"]
        counts = Array(repeating: 0, count: slotNames.count * Self.phaseCount)
    }

    /// The index of the loss slot.
    public var lossSlot: Int { slotNames.count - 1 }

    /// Adds elementwise or other non-matmul work.
    @inline(__always)
    public mutating func add(_ flops: Int, slot: Int, phase: Phase) {
        counts[slot &* Self.phaseCount &+ phase.rawValue] &+= flops
        operationCount &+= 1
    }

    /// Adds matrix-multiply work, also counted as training matmul work in forward and backward.
    @inline(__always)
    public mutating func addMatmul(_ flops: Int, slot: Int, phase: Phase) {
        counts[slot &* Self.phaseCount &+ phase.rawValue] &+= flops
        operationCount &+= 1
        if phase == .forward || phase == .backward { trainingMatmulFlops &+= flops }
    }

    /// Total FLOPs of one phase, over every slot.
    public func flops(in phase: Phase) -> Int {
        stride(from: phase.rawValue, to: counts.count, by: Self.phaseCount).reduce(0) { $0 + counts[$1] }
    }

    /// Total FLOPs of each phase, over every slot.
    public var phaseFlops: PhaseFlops {
        var flops = PhaseFlops()
        for phase in Phase.allCases { flops[phase] = self.flops(in: phase) }
        return flops
    }

    /// FLOPs of one slot in one phase.
    public func flops(slot: Int, phase: Phase) -> Int {
        counts[slot * Self.phaseCount + phase.rawValue]
    }

    /// Every FLOP counted.
    public var total: Int {
        counts.reduce(0, +)
    }

    /// Adds another ledger with the same slots (for example an epoch into a run).
    public mutating func merge(_ other: FlopLedger) {
        precondition(other.slotNames == slotNames, "Ledgers of different models cannot be merged")
        for index in counts.indices { counts[index] &+= other.counts[index] }
        trainingMatmulFlops &+= other.trainingMatmulFlops
        operationCount &+= other.operationCount
    }

    /// A ledger with the same slots and no FLOPs.
    public func emptyCopy() -> FlopLedger {
        FlopLedger(layerNames: Array(slotNames.dropLast()))
    }

    /// Runs `plan` (one `add` per entry) `repetitions` times: a benchmark's replay of the
    /// ledger's work, kept in this module so `add` inlines exactly as it does in the kernels.
    package mutating func replay(_ plan: [(slot: Int, phase: Phase)], repetitions: Int) {
        for repetition in 0..<repetitions {
            for operation in plan {
                add(repetition, slot: operation.slot, phase: operation.phase)
            }
        }
    }
}
