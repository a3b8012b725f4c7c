import Foundation
import RunModel

/// Hand-made run documents for comparisons, decoded from JSON (RunDocument's own initializer is
/// internal to Footprint; its Codable shape is public).
enum DocumentFixtures {
    struct Spec {
        var id: Int64
        var hidden: Int? = nil
        var parameters: Int64?
        var joules: Double?
        var provenance = "estimated"
        var mse: Double? = nil
        var accuracy: Double? = nil
        var evaluatedOn = "validation"
        var gramsCO2e: Double? = nil
        var intensity = 473.0
        var dataset = "terrain"
        var resolved = true
        /// Total FLOPs (default 3 MFLOP × id).
        var flops: Int64? = nil
        /// Wall seconds (default 1.5 s × id).
        var wallSeconds: Double? = nil
        /// Hyper-parameters beyond the model's (a learning rate, say), to make configurations differ.
        var extraHyperparameters: [String: String] = [:]
        /// A wrapped program (kind `wrap`, this command line, no dataset or hyper-parameters).
        var wrapped: Wrapped? = nil
        /// The model's name (default `mlp:1-H-1` from `hidden`).
        var modelName: String? = nil
    }

    /// What `footprint wrap` records of a program beyond a `train` run's facts.
    struct Wrapped {
        var command: [String]
        /// Joules before the program's `train_begin` (nil: it sent none).
        var startupJoules: Double? = nil
        /// Seconds before `train_begin`.
        var startupSeconds: Double? = nil
        /// Training FLOPs per sample from its `model` event.
        var flopsPerSample: Int64? = nil
    }

    static func document(_ spec: Spec) throws -> RunDocument {
        var object: [String: Any] = [
            "id": spec.id, "name": "run-\(spec.id)", "kind": "train", "status": "completed",
            "startedAt": "2025-01-15T10:00:00.000Z", "host": "testhost", "epochs": 3, "tags": [String](),
            "seconds": ["wall": spec.wallSeconds ?? 1.5 * Double(spec.id)], "history": [Any](), "layers": [Any](), "dataset": spec.dataset,
        ]
        var model: [String: Any] = [:]
        if let hidden = spec.hidden {
            model["name"] = "mlp:1-\(hidden)-1"
            object["hyperparameters"] = ["model": "mlp", "hidden": "\(hidden)", "layers": "1"].merging(spec.extraHyperparameters) { $1 }
        } else if !spec.extraHyperparameters.isEmpty {
            object["hyperparameters"] = spec.extraHyperparameters
        }
        if let parameters = spec.parameters { model["parameters"] = parameters }
        if let name = spec.modelName { model["name"] = name }
        if let wrapped = spec.wrapped {
            object["kind"] = "wrap"
            object["command"] = wrapped.command
            object["commandLine"] = wrapped.command.joined(separator: " ")
            object["dataset"] = nil
            object["hyperparameters"] = nil
            if let flopsPerSample = wrapped.flopsPerSample { model["flopsPerSample"] = flopsPerSample }
            if let startupSeconds = wrapped.startupSeconds { object["startupSeconds"] = startupSeconds }
        }
        object["model"] = model
        var metrics: [String: Any] = ["evaluatedOn": spec.evaluatedOn]
        if let mse = spec.mse { metrics["mse"] = mse }
        if let accuracy = spec.accuracy { metrics["accuracy"] = accuracy }
        object["metrics"] = metrics
        if let joules = spec.joules {
            let band = spec.provenance == "measured" ? (0.9, 1.2) : (0.5, 2.0)
            var energy: [String: Any] = [
                "joules": joules, "low": joules * band.0, "high": joules * band.1, "provenance": spec.provenance, "notes": [String](),
                "resolved": spec.resolved,
                "resolution": [
                    "stepJoules": 1.0 / 16384, "periodSeconds": 0.001, "source": "RAPL: steps of 2^-14 J (61 µJ), updated about every 1 ms",
                ],
            ]
            if spec.provenance != "measured" {
                energy["estimateModel"] = "TDP 65 W × CPU share"
                energy["meters"] = [["name": "estimate", "zone": "cpu", "joules": joules, "includedInTotal": true]]
            } else {
                energy["meters"] = [["name": "rapl", "zone": "package-0", "joules": joules, "includedInTotal": true]]
            }
            if let startup = spec.wrapped?.startupJoules {
                energy["startupJoules"] = startup
                energy["trainingJoules"] = joules - startup
            }
            object["energy"] = energy
            let grams = spec.gramsCO2e ?? joules / 3.6e6 * spec.intensity
            object["carbon"] = [
                "gramsCO2e": grams, "low": grams / 2, "high": grams * 2, "intensity": spec.intensity, "country": "WLD", "pue": 1.0,
            ]
        }
        object["flops"] = [
            "forward": 1, "backward": 2, "optimizer": 0, "evaluation": 0, "total": spec.flops ?? 3_000_000 * spec.id, "matmul": 3,
        ]
        let data = try JSONSerialization.data(withJSONObject: object)
        return try JSONDecoder().decode(RunDocument.self, from: data)
    }

    /// `count` repeats of one configuration: ids from `firstID`, energies `joules` times the
    /// factors (cycled), the other fields from `spec`.
    static func repeats(_ spec: Spec, firstID: Int64, joules: Double, factors: [Double], count: Int = 3) throws -> [RunDocument] {
        try (0..<count).map { index in
            var run = spec
            run.id = firstID + Int64(index)
            run.joules = joules * factors[index % factors.count]
            return try document(run)
        }
    }

    /// The lecture's experiment: H = 10, 100, 1000 on terrain, energy estimated.
    static func terrainMLPs() throws -> [RunDocument] {
        try [
            document(Spec(id: 7, hidden: 1000, parameters: 3001, joules: 3800, mse: 0.0480)),
            document(Spec(id: 5, hidden: 10, parameters: 31, joules: 40, mse: 0.0900)),
            document(Spec(id: 6, hidden: 100, parameters: 301, joules: 100, mse: 0.0500)),
        ]
    }
}
