import Vocabulary

/// A loss over a batch that also writes its gradient with respect to the model's output.
package protocol Loss {
    /// Mean loss over the batch. When `gradient` is given it receives ∂loss/∂output
    /// (same shape as `output`). FLOPs go to `ledger`'s loss slot: the value under `phase`,
    /// the gradient under `.backward`.
    func evaluate(
        output: Matrix, targets: Matrix, gradient: Matrix?, ledger: inout FlopLedger, phase: Phase
    ) -> Double
}
