import Footprint

/// Short names for runs in a comparison, from what differs between them: `H = 100` for MLPs
/// of different widths, `L = 2, H = 100` when depth differs too, `d = 3` for polynomials,
/// else the model name; `(run 12)` is added where two runs would read the same.
enum RunLabel {
    static func labels(for documents: [RunDocument]) -> [Int64: String] {
        let kinds = Set(documents.map { $0.hyperparameters?["model"] ?? $0.model.name?.split(separator: ":").first.map(String.init) ?? "" })
        func varies(_ key: String) -> Bool { Set(documents.map { $0.hyperparameters?[key] ?? "" }).count > 1 }
        var labels: [Int64: String] = [:]
        for document in documents {
            let values = document.hyperparameters ?? [:]
            var label: String?
            if kinds == ["mlp"], let hidden = values["hidden"] {
                let depth = varies("layers") ? values["layers"].map { "L = \($0), " } ?? "" : ""
                label = depth + "H = \(hidden)"
            } else if kinds == ["poly"], let degree = values["degree"] {
                label = "d = \(degree)"
            }
            labels[document.id] = label ?? document.model.name ?? document.name
        }
        let counts = Dictionary(grouping: labels.values, by: { $0 }).mapValues(\.count)
        for (id, label) in labels where (counts[label] ?? 0) > 1 {
            labels[id] = "\(label) (run \(id))"
        }
        return labels
    }
}
