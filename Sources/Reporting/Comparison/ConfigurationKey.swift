import RunModel

/// What makes runs one configuration, and so one point of a comparison: the run kind, the
/// model (name and size), the dataset, and every hyper-parameter — or, for a wrapped program,
/// its command line and the model its `model` event declared (the same script may train a
/// width read from a file or the environment). Tags, names, hosts and times are not part of it,
/// so `--repeat 3` and three separate commands with the same flags give the same point.
struct ConfigurationKey: Hashable {
    var kind: String
    var model: String?
    var parameters: Int64?
    var dataset: String?
    /// The hyper-parameters as sorted `key=value` lines, or the command line when there are none.
    var settings: String

    init(_ run: RunDocument) {
        kind = run.kind
        model = run.model.name
        parameters = run.model.parameters
        dataset = run.dataset
        if let values = run.hyperparameters, !values.isEmpty {
            settings = values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
        } else {
            settings = run.commandLine ?? ""
        }
    }

    /// The runs split into configurations, in order of each configuration's first run.
    static func groups(of runs: [RunDocument]) -> [[RunDocument]] {
        var order: [ConfigurationKey] = []
        var members: [ConfigurationKey: [RunDocument]] = [:]
        for run in runs {
            let key = ConfigurationKey(run)
            if members[key] == nil { order.append(key) }
            members[key, default: []].append(run)
        }
        return order.map { members[$0] ?? [] }
    }
}
