import Energy
import EnergyAgent
import Foundation
import FootprintTestKit

/// An agent served in-process on its own thread over a fixture machine with one RAPL package
/// zone, its socket inside the fixture tree.
final class AgentHarness {
    let machine: FixtureMachine
    let server: AgentServer
    let socketPath: String
    let logged = LogLines()
    private let finished = DispatchSemaphore(value: 0)
    private var running = false

    init(allowGroup: String? = nil, limits: AgentServer.Limits = .init(), socketPath: String? = nil) throws {
        machine = try FixtureMachine()
        try machine.addZone("intel-rapl:0", name: "package-0", microjoules: 1_000_000)
        let counters = try AgentCounterSet(options: machine.options)
        self.socketPath = socketPath ?? machine.root + "/run/footprint/agent.sock"
        var configuration = AgentServer.Configuration(socketPath: self.socketPath, allowGroup: allowGroup) { [logged] in logged.append($0) }
        configuration.limits = limits
        server = try AgentServer(configuration: configuration, counters: counters)
    }

    /// Binds and serves on a new thread.
    func start() throws {
        try server.start()
        running = true
        let server = server
        let finished = finished
        Thread {
            server.run()
            finished.signal()
        }.start()
    }

    /// Stops the server and waits for its thread.
    func stop() {
        guard running else { return }
        running = false
        server.stop()
        finished.wait()
    }

    deinit { stop() }

    func client(receiveBufferBytes: Int32? = nil) throws -> AgentTestClient {
        try AgentTestClient(path: socketPath, receiveBufferBytes: receiveBufferBytes)
    }

    /// A client that has read its hello.
    func greetedClient() throws -> AgentTestClient {
        let client = try client()
        guard try client.readMessage()?.hello != nil else { throw ClientError("no hello") }
        return client
    }
}

/// Lines the server logged, from its thread.
final class LogLines: @unchecked Sendable {
    // @unchecked: `lines` is only touched under `lock`.
    private let lock = NSLock()
    private var lines: [String] = []

    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
