import RunStore
import Vocabulary

extension RunDocument {
    /// The energy of the training itself: the run's joules less a wrapped program's startup
    /// (before its `train_begin`) when it sent one, else the whole run's. What comparisons of
    /// model size against cost use, so that importing a framework is not charged to the model.
    public var trainingEnergyJoules: Double? {
        energy?.trainingJoules ?? energy?.joules
    }

    /// The stored extra facts, nil when none (or when the column does not hold an object).
    static func extraFacts(of run: RunRecord) -> [String: ExtraFact]? {
        guard let facts = JSONText.decode([String: ExtraFact].self, from: run.extraFactsJSON), !facts.isEmpty else { return nil }
        return facts
    }
}
