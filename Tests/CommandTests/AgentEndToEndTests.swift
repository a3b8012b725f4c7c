import Foundation
import FootprintTestKit
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `footprint agent` as a real root process over a fixture powercap tree whose `energy_uj` is
/// root-only (0400), as since CVE-2020-8694, driven at a known power; `footprint wrap` as
/// `nobody` reads it through the agent. Serialized: real processes in real time.
@Suite(.serialized) struct AgentEndToEndTests {
    static let watts = 25.0

    /// Whether `runuser -u nobody` can be used: root, with runuser installed. Skipped
    /// elsewhere, except in CI where it must run.
    static var canRunAsNobody: Bool { getuid() == 0 && TestEnvironment.executable(named: "runuser") != nil }

    /// Skips (returns false) without runuser or root, unless in CI, where that is a failure.
    static func runs() -> Bool {
        if canRunAsNobody { return true }
        if TestEnvironment.isCI { Issue.record("runuser and root are required in CI for the agent's end-to-end tests") }
        return false
    }

    /// A fixture node: one RAPL package whose counter only root may read, written in place at
    /// `watts` from a thread, and a socket path inside the tree.
    final class Node {
        let machine: FixtureMachine
        let writer: InPlaceCounterWriter
        let socket: String
        let database: URL

        init() throws {
            machine = try FixtureMachine()
            try machine.addZone("intel-rapl:0", name: "package-0")
            let counter = machine.root + machine.zoneDirectory("intel-rapl:0") + "/energy_uj"
            #expect(chmod(counter, 0o400) == 0)
            #expect(chmod(machine.root, 0o755) == 0)
            writer = InPlaceCounterWriter(path: counter, watts: AgentEndToEndTests.watts)
            writer.start()
            socket = machine.root + "/run/footprint/agent.sock"
            database = try FootprintBinary.scratchDirectory()
            #expect(chown(database.path, 65534, 65534) == 0)
        }

        deinit { writer.stop() }

        var powercapRoot: String { machine.root + "/sys/class/powercap" }

        /// Starts the agent and waits until it serves.
        func startAgent(_ binary: FootprintBinary, arguments: [String] = []) throws -> Process {
            let (process, _, error) = binary.process(
                ["agent", "--socket", socket, "--powercap-root", powercapRoot] + arguments, in: database)
            try process.run()
            let ready = FootprintBinary.waitForOutput("serving", on: error, seconds: 30)
            #expect(ready, "footprint agent did not start serving")
            // Drain its log so it never blocks on a full pipe.
            Thread {
                _ = error.fileHandleForReading.readDataToEndOfFile()
            }.start()
            return process
        }

        /// `footprint wrap --json -- sleep SECONDS` as nobody; the run's JSON and standard error.
        func wrapAsNobody(_ binary: FootprintBinary, seconds: Double, whileRunning: (Process) -> Void = { _ in }) throws
            -> (json: [String: Any], standardError: String, status: Int32)
        {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try #require(TestEnvironment.executable(named: "runuser")))
            process.arguments = [
                "-u", "nobody", "--", "env", "FOOTPRINT_AGENT_SOCKET=\(socket)", "FOOTPRINT_POWERCAP_ROOT=\(powercapRoot)",
                "FOOTPRINT_DB=\(database.path)/footprint.sqlite", try AgentEndToEndTests.pathForNobody(binary), "wrap", "--json", "--",
                "sleep", "\(seconds)",
            ]
            process.currentDirectoryURL = database
            let output = Pipe(), error = Pipe()
            process.standardOutput = output
            process.standardError = error
            process.standardInput = FileHandle.nullDevice
            try process.run()
            whileRunning(process)
            let outData = output.fileHandleForReading.readDataToEndOfFile()
            let errData = error.fileHandleForReading.readDataToEndOfFile()
            #expect(FootprintBinary.waitForExit(process, seconds: 60))
            let json = try JSONSerialization.jsonObject(with: outData) as? [String: Any] ?? [:]
            return (json, String(decoding: errData, as: UTF8.self), process.terminationStatus)
        }
    }

    /// The binary as `nobody` can run it: the build's own when every directory above it lets
    /// others through (a checkout under /tmp), else a copy in a world-readable temporary
    /// directory (a checkout under /root or a 0700 CI workspace), made once per test process.
    static func pathForNobody(_ binary: FootprintBinary) throws -> String {
        try nobodyCopy.withLock { copy in
            if let copy { return copy }
            let path = binary.url.path
            var directories: [String] = []
            var directory = (path as NSString).deletingLastPathComponent
            while directory != "/" && !directory.isEmpty {
                directories.append(directory)
                directory = (directory as NSString).deletingLastPathComponent
            }
            let othersMayRun = ([path] + directories).allSatisfy { entry in
                var status = stat()
                return stat(entry, &status) == 0 && status.st_mode & S_IXOTH != 0
            }
            if othersMayRun {
                copy = path
                return path
            }
            // Removed when the test process exits, with the other scratch directories.
            let folder = try FootprintBinary.scratchDirectory().path
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder)
            try FileManager.default.copyItem(atPath: path, toPath: folder + "/footprint")
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder + "/footprint")
            copy = folder + "/footprint"
            return folder + "/footprint"
        }
    }

    /// Where `pathForNobody` put the binary, once it has.
    private static let nobodyCopy = NobodyCopy()

    /// Waits until a process with exactly this command line exists, at most `seconds`.
    static func waitForProcess(commandLine: [String], seconds: Double) -> Bool {
        let wanted = commandLine.joined(separator: "\u{0}") + "\u{0}"
        return FootprintBinary.waitUntil(seconds: seconds) {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return entries.contains { entry in
                guard Int32(entry) != nil, let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return false }
                return String(decoding: data, as: UTF8.self) == wanted
            }
        }
    }

    static func energy(_ json: [String: Any]) -> [String: Any] { json["energy"] as? [String: Any] ?? [:] }
    static func notes(_ json: [String: Any]) -> [String] { energy(json)["notes"] as? [String] ?? [] }
    static func meters(_ json: [String: Any]) -> [[String: Any]] { energy(json)["meters"] as? [[String: Any]] ?? [] }
    static func wallSeconds(_ json: [String: Any]) -> Double { (json["seconds"] as? [String: Any])?["wall"] as? Double ?? 0 }

    /// User and system CPU seconds of process `pid` so far (/proc/PID/stat, clock ticks).
    static func cpuSeconds(of pid: Int32) -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return 0 }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    static func stop(_ agent: Process) {
        guard agent.isRunning else { return }
        kill(agent.processIdentifier, SIGTERM)
        _ = FootprintBinary.waitForExit(agent, seconds: 10)
    }

    @Test func nobodyIsMeasuredThroughTheAgentWithinTwoPercent() throws {
        guard Self.runs() else { return }
        let binary = try FootprintBinary.locate()
        let node = try Node()
        let agent = try node.startAgent(binary)
        defer { Self.stop(agent) }
        let run = try node.wrapAsNobody(binary, seconds: 3)
        #expect(run.status == 0, "\(run.standardError)")
        #expect(Self.energy(run.json)["provenance"] as? String == "measured", "\(Self.notes(run.json))")
        let zone = try #require(Self.meters(run.json).first { $0["name"] as? String == "agent" }, "\(Self.meters(run.json))")
        #expect(zone["zone"] as? String == "rapl package-0")
        let joules = try #require(Self.energy(run.json)["joules"] as? Double)
        let truth = Self.watts * Self.wallSeconds(run.json)
        print("agent end to end: \(joules) J measured as nobody against \(truth) J driven (\(Self.wallSeconds(run.json)) s)")
        #expect(abs(joules - truth) <= 0.02 * truth, "\(joules) J against \(truth) J; notes \(Self.notes(run.json))")
        #expect(Self.notes(run.json).contains { $0.hasPrefix("agent: footprint agent (pid \(agent.processIdentifier)) at \(node.socket)") })
    }

    @Test func withoutTheAgentNobodyGetsTheEstimateAndIsToldOfTheAgent() throws {
        guard Self.runs() else { return }
        let binary = try FootprintBinary.locate()
        let node = try Node()
        let run = try node.wrapAsNobody(binary, seconds: 0.3)
        #expect(run.status == 0, "\(run.standardError)")
        #expect(Self.energy(run.json)["provenance"] as? String == "estimated")
        let notes = Self.notes(run.json)
        let rapl = try #require(notes.first { $0.hasPrefix("rapl unavailable") }, "\(notes)")
        #expect(rapl.contains("permission denied") && rapl.contains("Remedies: ask the node's administrator to run `footprint agent`"))
        let agent = try #require(notes.first { $0.hasPrefix("agent unavailable") }, "\(notes)")
        #expect(agent.contains("no agent at \(node.socket) (FOOTPRINT_AGENT_SOCKET)"), "\(agent)")
    }

    @Test func aUserOutsideTheAllowedGroupIsRefusedWithTheRule() throws {
        guard Self.runs() else { return }
        let binary = try FootprintBinary.locate()
        let node = try Node()
        let agent = try node.startAgent(binary, arguments: ["--allow-group", "root"])
        defer { Self.stop(agent) }
        let run = try node.wrapAsNobody(binary, seconds: 0.3)
        #expect(run.status == 0, "\(run.standardError)")
        #expect(Self.energy(run.json)["provenance"] as? String == "estimated")
        let notes = Self.notes(run.json)
        let refusal = try #require(notes.first { $0.hasPrefix("agent unavailable") }, "\(notes)")
        #expect(refusal.contains("refused this process: footprint agent refused"), "\(refusal)")
        #expect(refusal.contains("nobody") && refusal.contains("'root'"), "\(refusal)")
    }

    @Test func theAgentKilledMidRunLosesNoRunAndTheGapIsBridged() throws {
        guard Self.runs() else { return }
        let binary = try FootprintBinary.locate()
        let node = try Node()
        let agent = try node.startAgent(binary)
        defer { Self.stop(agent) }
        // Killed once the wrapped program runs (its meters are open by then), however slowly the
        // binary started (a loaded CI machine, the thread sanitizer), and a second into it.
        let run = try node.wrapAsNobody(binary, seconds: 4.25) { _ in
            #expect(Self.waitForProcess(commandLine: ["sleep", "4.25"], seconds: 60), "the wrapped sleep never started")
            Thread.sleep(forTimeInterval: 1)
            kill(agent.processIdentifier, SIGKILL)
        }
        #expect(run.status == 0, "\(run.standardError)")
        let notes = Self.notes(run.json)
        let lost = try #require(notes.first { $0.hasPrefix("agent: the connection to \(node.socket) was lost") }, "\(notes)")
        #expect(lost.contains("energy is estimated"), "\(lost)")
        #expect(notes.contains { $0.hasPrefix("agent rapl package-0: read failure") && $0.contains("bridged") }, "\(notes)")
        #expect(Self.meters(run.json).contains { $0["name"] as? String == "estimate" && $0["includedInTotal"] as? Bool == true })
        let joules = try #require(Self.energy(run.json)["joules"] as? Double)
        #expect(joules > 0.5 * Self.watts * 1.0, "the measured part before the kill counts: \(joules) J")
    }

    @Test func fiftyConcurrentClientsForTenSecondsEachCountWithinTwoPercent() throws {
        guard Self.runs() else { return }
        let binary = try FootprintBinary.locate()
        let node = try Node()
        let agent = try node.startAgent(binary)
        defer { Self.stop(agent) }
        let cpuBefore = Self.cpuSeconds(of: agent.processIdentifier)
        let totals = AgentLoad.run(path: node.socket, clients: 50, seconds: 10, intervalSeconds: 0.05)
        let cpu = Self.cpuSeconds(of: agent.processIdentifier) - cpuBefore
        let latencies = totals.map(\.meanLatencySeconds).sorted()
        print(
            "agent load: 50 clients at 20 reads/s for 10 s, \(totals.map(\.reads).reduce(0, +)) reads, mean read latency median "
                + "\(latencies[latencies.count / 2] * 1000) ms, worst mean \((latencies.last ?? 0) * 1000) ms, worst single "
                + "\((totals.map(\.maximumLatencySeconds).max() ?? 0) * 1000) ms; agent CPU \(cpu) s = \(cpu / 500 * 1000) ms per client-second"
        )
        for (index, total) in totals.enumerated() {
            #expect(total.failure == nil, "client \(index): \(total.failure ?? "")")
            let joules = Double(total.microjoules.first ?? 0) / 1e6
            let truth = Self.watts * total.seconds
            #expect(total.seconds > 9 && abs(joules - truth) <= 0.02 * truth, "client \(index): \(joules) J against \(truth) J")
        }
    }
}

/// Drives a root-only `energy_uj` at a known power from a thread, writing the file in place
/// (no new inode, so its 0400 mode stays) as the kernel updates a sysfs attribute. The
/// counter only grows, so a new value is never shorter than the old and needs no truncation
/// (a reader never sees an empty file).
final class InPlaceCounterWriter: @unchecked Sendable {
    // @unchecked: `stopRequested` is only touched under `lock`.
    private let lock = NSLock()
    private let path: String
    private let watts: Double
    private var stopRequested = false
    private let done = DispatchSemaphore(value: 0)
    private var started = false

    private static func monotonicSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    init(path: String, watts: Double) {
        self.path = path
        self.watts = watts
    }

    func start() {
        started = true
        Thread { [self] in
            let descriptor = open(path, O_WRONLY)
            let begin = Self.monotonicSeconds()
            while descriptor >= 0 && !lock.withLock({ stopRequested }) {
                let text = Array("\(UInt64((Self.monotonicSeconds() - begin) * watts * 1e6))\n".utf8)
                _ = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
                Thread.sleep(forTimeInterval: 0.002)
            }
            if descriptor >= 0 { close(descriptor) }
            done.signal()
        }.start()
    }

    func stop() {
        guard started else { return }
        started = false
        lock.withLock { stopRequested = true }
        done.wait()
    }
}

/// The path `pathForNobody` chose, behind a lock: the suite's tests run one at a time, but
/// nothing else keeps another suite from asking at once.
final class NobodyCopy: @unchecked Sendable {
    // @unchecked: `path` is only touched under `lock`.
    private let lock = NSLock()
    private var path: String?

    func withLock<T>(_ body: (inout String?) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&path)
    }
}
