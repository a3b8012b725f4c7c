import Foundation
import Footprint

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
    }

    static func document(_ spec: Spec) throws -> RunDocument {
        var object: [String: Any] = [
            "id": spec.id, "name": "run-\(spec.id)", "kind": "train", "status": "completed",
            "startedAt": "2025-01-15T10:00:00.000Z", "host": "testhost", "epochs": 3, "tags": [String](),
            "seconds": ["wall": 1.5 * Double(spec.id)], "history": [Any](), "layers": [Any](), "dataset": spec.dataset,
        ]
        var model: [String: Any] = [:]
        if let hidden = spec.hidden {
            model["name"] = "mlp:1-\(hidden)-1"
            object["hyperparameters"] = ["model": "mlp", "hidden": "\(hidden)", "layers": "1"]
        }
        if let parameters = spec.parameters { model["parameters"] = parameters }
        object["model"] = model
        var metrics: [String: Any] = ["evaluatedOn": spec.evaluatedOn]
        if let mse = spec.mse { metrics["mse"] = mse }
        if let accuracy = spec.accuracy { metrics["accuracy"] = accuracy }
        object["metrics"] = metrics
        if let joules = spec.joules {
            var energy: [String: Any] = ["joules": joules, "provenance": spec.provenance, "notes": [String]()]
            if spec.provenance == "estimated" {
                energy["estimateModel"] = "TDP 65 W × CPU share"
                energy["meters"] = [["name": "estimate", "zone": "cpu", "joules": joules, "includedInTotal": true]]
            } else {
                energy["meters"] = [["name": "rapl", "zone": "package-0", "joules": joules, "includedInTotal": true]]
            }
            object["energy"] = energy
            let grams = spec.gramsCO2e ?? joules / 3.6e6 * spec.intensity
            object["carbon"] = ["gramsCO2e": grams, "low": grams / 2, "high": grams * 2, "intensity": spec.intensity, "country": "WLD", "pue": 1.0]
        }
        object["flops"] = ["forward": 1, "backward": 2, "optimizer": 0, "evaluation": 0, "total": 3_000_000 * spec.id, "matmul": 3]
        let data = try JSONSerialization.data(withJSONObject: object)
        return try JSONDecoder().decode(RunDocument.self, from: data)
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
