import RunModel

/// Short names for the configurations of a comparison, from what differs between them:
/// `H = 100` for MLPs of different widths, `L = 2, H = 100` when depth differs too, `d = 3`
/// for polynomials, else the model name. Two configurations that would read the same get the
/// hyper-parameters that tell them apart (`H = 100, learningRate 0.1`), or failing that their
/// run ids (`H = 100 (runs 3, 4)`).
enum RunLabel {
    /// - Parameter groups: Each configuration's runs, first run first.
    /// - Returns: One label per group, in order.
    static func labels(for groups: [[RunDocument]]) -> [String] {
        let representatives = groups.compactMap(\.first)
        guard representatives.count == groups.count else { return groups.map { _ in "no runs" } }
        let kinds = Set(
            representatives.map { $0.hyperparameters?["model"] ?? $0.model.name?.split(separator: ":").first.map(String.init) ?? "" })
        func varies(_ key: String) -> Bool { Set(representatives.map { $0.hyperparameters?[key] ?? "" }).count > 1 }
        var labels = representatives.map { document -> String in
            let values = document.hyperparameters ?? [:]
            if kinds == ["mlp"], let hidden = values["hidden"] {
                let depth = varies("layers") ? values["layers"].map { "L = \($0), " } ?? "" : ""
                return depth + "H = \(hidden)"
            }
            if kinds == ["poly"], let degree = values["degree"] { return "d = \(degree)" }
            return document.model.name ?? document.name
        }
        let shown: Set<String> = ["model", "hidden", "layers", "degree"]
        for clash in clashes(labels) {
            let values = clash.map { representatives[$0].hyperparameters ?? [:] }
            let keys = Set(values.flatMap(\.keys)).subtracting(shown).sorted().filter { key in
                Set(values.map { $0[key] ?? "" }).count > 1
            }
            guard !keys.isEmpty else { continue }
            // Only the values a configuration sets: the one at defaults keeps the plain label.
            for (index, value) in zip(clash, values) {
                let parts = keys.compactMap { key in value[key].map { "\(key) \($0)" } }
                if !parts.isEmpty { labels[index] += ", " + parts.joined(separator: ", ") }
            }
        }
        for clash in clashes(labels) {
            for index in clash {
                let ids = groups[index].map { "\($0.id)" }
                labels[index] += ids.count == 1 ? " (run \(ids[0]))" : " (runs \(ids.joined(separator: ", ")))"
            }
        }
        return labels
    }

    /// Index sets of labels that read the same, each with more than one member.
    private static func clashes(_ labels: [String]) -> [[Int]] {
        let byLabel = Dictionary(grouping: labels.indices, by: { labels[$0] })
        return byLabel.values.filter { $0.count > 1 }.map { $0.sorted() }.sorted { $0[0] < $1[0] }
    }
}
