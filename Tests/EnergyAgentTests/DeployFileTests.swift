import Foundation
import Testing

/// The unit file and the DaemonSet manifest under deploy/ are what deploy/README.md says.
@Suite struct DeployFileTests {
    private static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    private var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    private func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func systemdAcceptsTheUnitFile() throws {
        let tool = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let tool else {
            #expect(!isCI, "systemd-analyze is missing: .ci/run installs Debian's systemd package")
            return
        }
        let unit = try String(contentsOf: Self.repository.appendingPathComponent("deploy/systemd/footprint-agent.service"), encoding: .utf8)
        #expect(unit.contains("ExecStart=/usr/local/bin/footprint agent --socket /run/footprint/agent.sock"))
        for setting in [
            "Type=simple", "RuntimeDirectory=footprint", "ProtectSystem=strict", "ProtectHome=yes", "NoNewPrivileges=yes",
            "PrivateTmp=yes", "ReadOnlyPaths=/sys", "Restart=on-failure", "CapabilityBoundingSet=",
        ] {
            #expect(unit.contains("\n\(setting)"), "the unit lacks \(setting)")
        }
        // verify checks that ExecStart's program exists: point it at one that does, in a copy.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("footprint-unit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let copy = directory.appendingPathComponent("footprint-agent.service")
        try unit.replacingOccurrences(of: "/usr/local/bin/footprint", with: "/bin/true").write(to: copy, atomically: true, encoding: .utf8)
        let result = try run(tool, ["verify", copy.path])
        #expect(result.status == 0, "systemd-analyze verify: \(result.output)")
        #expect(!result.output.contains(copy.lastPathComponent), "systemd-analyze verify: \(result.output)")
    }

    @Test func daemonSetManifestParsesWithTheDocumentedFields() throws {
        guard let python = ProcessInfo.processInfo.environment["FOOTPRINT_TEST_PYTHON"], !python.isEmpty else {
            #expect(!isCI, "FOOTPRINT_TEST_PYTHON (the venv with PyYAML) is unset")
            return
        }
        let manifest = Self.repository.appendingPathComponent("deploy/kubernetes/footprint-agent.yaml").path
        let script = """
            import sys, yaml
            documents = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
            assert len(documents) == 1, documents
            ds = documents[0]
            assert ds["apiVersion"] == "apps/v1" and ds["kind"] == "DaemonSet", ds.get("kind")
            pod = ds["spec"]["template"]["spec"]
            assert ds["spec"]["selector"]["matchLabels"] == ds["spec"]["template"]["metadata"]["labels"]
            assert any(t.get("operator") == "Exists" and t.get("effect") == "NoSchedule" for t in pod["tolerations"])
            assert pod["nodeSelector"]["kubernetes.io/os"] == "linux"
            volumes = {v["name"]: v for v in pod["volumes"]}
            assert volumes["footprint-run"]["hostPath"]["path"] == "/run/footprint"
            assert volumes["footprint-run"]["hostPath"]["type"] == "DirectoryOrCreate"
            assert volumes["sys"]["hostPath"]["path"] == "/sys"
            (agent,) = pod["containers"]
            assert agent["command"][-1] == "agent" and "--socket" in agent["args"]
            assert agent["args"][agent["args"].index("--socket") + 1] == "/run/footprint/agent.sock"
            mounts = {m["name"]: m for m in agent["volumeMounts"]}
            assert mounts["footprint-run"]["mountPath"] == "/run/footprint"
            assert mounts["sys"]["readOnly"] is True
            env = {e["name"]: e["value"] for e in agent["env"]}
            assert env["FOOTPRINT_POWERCAP_ROOT"].startswith(mounts["sys"]["mountPath"])
            assert env["FOOTPRINT_HWMON_ROOT"].startswith(mounts["sys"]["mountPath"])
            security = agent["securityContext"]
            assert security["runAsUser"] == 0 and security["privileged"] is False
            assert security["readOnlyRootFilesystem"] is True and security["allowPrivilegeEscalation"] is False
            assert security["capabilities"]["drop"] == ["ALL"] and "PERFMON" in security["capabilities"]["add"]
            assert agent["resources"]["limits"]["cpu"] and agent["resources"]["limits"]["memory"]
            print("ok")
            """
        let result = try run(python, ["-c", script, manifest])
        #expect(result.status == 0 && result.output.contains("ok"), "\(result.output)")
        // deploy/README.md documents the fields the job pod relies on.
        let readme = try String(contentsOf: Self.repository.appendingPathComponent("deploy/README.md"), encoding: .utf8)
        for text in ["FOOTPRINT_AGENT_SOCKET", "/run/footprint", "hostPath", "--allow-group", "readOnly: true"] {
            #expect(readme.contains(text), "deploy/README.md does not mention \(text)")
        }
    }

    @Test func unitLetsTheAgentOpenGPUDevices() throws {
        let unit = try String(contentsOf: Self.repository.appendingPathComponent("deploy/systemd/footprint-agent.service"), encoding: .utf8)
        let settings = unit.split(separator: "\n").filter { !$0.hasPrefix("#") }
        // ProtectClock= implies DeviceAllow=char-rtc: under DevicePolicy=auto, every other device
        // (/dev/nvidia*, /dev/kfd, /dev/dri) is denied on systemd < 253.
        for setting in ["ProtectClock=", "DeviceAllow=", "DevicePolicy=", "PrivateDevices="] {
            #expect(!settings.contains { $0.hasPrefix(setting) }, "the unit sets \(setting)")
        }
    }

    @Test func readmeExplainsTheSharedRootCapAndTheJobsHostPath() throws {
        let readme = try String(contentsOf: Self.repository.appendingPathComponent("deploy/README.md"), encoding: .utf8)
        for text in ["--max-connections-per-user", "uid 0", "Pod Security", "baseline"] {
            #expect(readme.contains(text), "deploy/README.md does not mention \(text)")
        }
    }
}
