import Foundation
import Testing

/// The frameworks' Python of `FOOTPRINT_TEST_PYTHON` (`.ci/python-env.sh` makes the venv: torch,
/// lightning, transformers with accelerate, keras with jax, scikit-learn, mlflow). Without it the
/// tests that need one are skipped on a developer's machine and fail when `CI` is `true`, so a
/// CI run that lost its venv cannot pass by skipping.
enum FrameworkPython {
    static let path = ProcessInfo.processInfo.environment["FOOTPRINT_TEST_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
    static var shouldRun: Bool { path != nil || ProcessInfo.processInfo.environment["CI"] == "true" }

    static func requirePath() throws -> String {
        guard let path else {
            Issue.record("CI=true but FOOTPRINT_TEST_PYTHON is unset: these tests need the frameworks' venv (.ci/python-env.sh).")
            throw CancellationError()
        }
        return path
    }

    /// The repository's root, from this file's place in it.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A fixture program under `Tests/CommandTests/Fixtures/frameworks`.
    static func fixture(_ name: String) -> String {
        repository.appendingPathComponent("Tests/CommandTests/Fixtures/frameworks/\(name)").path
    }

    /// The environment a wrapped program needs to import this repository's `footprint` package;
    /// Keras on JAX, and no MLflow run inherited from the machine running the tests.
    static var environment: [String: String] {
        [
            "PYTHONPATH": repository.appendingPathComponent("python").path, "KERAS_BACKEND": "jax",
            "PYTHONDONTWRITEBYTECODE": "1", "MLFLOW_RUN_ID": "", "MLFLOW_TRACKING_URI": "",
        ]
    }

    /// Runs `footprint wrap --json-output` over `arguments` in `directory`, the program's own
    /// figures written to `facts.json` beside it; returns the run document and those figures.
    static func wrap(
        _ binary: FootprintBinary, in directory: URL, options: [String] = [], program: [String],
        environment extra: [String: String] = [:]
    ) throws -> (outcome: FootprintBinary.Outcome, document: [String: Any]) {
        let output = directory.appendingPathComponent("run-\(UUID().uuidString.prefix(8)).json")
        let outcome = try binary.run(
            ["wrap", "--db", "runs.sqlite", "--meter", "estimate", "--json-output", output.path] + options + ["--"] + program,
            in: directory, environment: environment.merging(extra) { $1 })
        #expect(outcome.status == 0, "wrap failed: \(outcome.standardError.suffix(3000))")
        let data = try Data(contentsOf: output)
        let document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return (outcome, document)
    }

    /// The figures a fixture wrote about its model, from the framework's own count.
    static func facts(in directory: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: directory.appendingPathComponent("facts.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
}
