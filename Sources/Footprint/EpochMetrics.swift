import Vocabulary

/// What a user's training loop reports at the end of an epoch: the index, and optionally its
/// losses and quality, samples, FLOPs and seconds by phase. Energy and time are measured by
/// the tracker. The same value Footprint's own trainer reports (``Vocabulary/EpochFacts``).
public typealias EpochMetrics = EpochFacts
