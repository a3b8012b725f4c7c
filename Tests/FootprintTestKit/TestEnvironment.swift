import Foundation

/// What a test that needs an outside tool or server asks of its environment: such a test
/// skips on a developer's machine without the tool, and fails in CI (`CI=true`), where
/// `.ci/run` installs it, so a broken install is never a silent pass.
public enum TestEnvironment {
    /// Whether the tests run in CI (`CI=true`).
    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// A non-empty environment variable.
    public static func value(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }

    /// The path of an executable on `PATH`, or nil.
    public static func executable(named name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = String(directory) + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Whether a test needing `available` should run: always in CI (where it then fails if the
    /// requirement is missing), elsewhere only when it is met.
    public static func runs(needing available: Bool) -> Bool { available || isCI }
}
