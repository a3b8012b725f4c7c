import ArgumentParser
import Energy
import EnergyAgent
import Foundation

/// `footprint agent`: the node's energy counters, read as root, served to unprivileged jobs.
struct AgentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Serve this node's energy counters (RAPL, perf, GPUs) read-only to unprivileged users over a Unix socket.",
        discussion: """
            Since CVE-2020-8694 RAPL's energy_uj is readable by root only, so a job run as an ordinary user falls back to the estimate. Run `footprint agent` once per node as root (deploy/systemd/footprint-agent.service, or the DaemonSet in deploy/kubernetes/): every `footprint` run on the node then reads the same counters through the socket, first in the meter chain, and its provenance says `measured (agent: rapl package-0, …)`.

            It serves exactly what the rapl, perf, nvml, amdsmi and hwmon meters read as root (zones, resolutions, microjoules since the agent started), and nothing else: clients can only send `read`. Every client is identified by SO_PEERCRED; --allow-group admits only root and that group's members. Requests are limited to 64 bytes, 200 a second per connection (bursts of 100), 64 connections per user (--max-connections-per-user) and 512 in all; a client that leaves 64 KiB of answers unread is dropped.

            Example:
              sudo footprint agent --allow-group footprint
              FOOTPRINT_AGENT_SOCKET=/run/footprint/agent.sock footprint wrap -- python train.py
            """)

    @Option(
        name: .customLong("socket"),
        help: ArgumentHelp(
            "Unix socket to serve on (default $FOOTPRINT_AGENT_SOCKET, else \(MeterOptions.defaultAgentSocketPath)); its directory is created 0755.",
            valueName: "path"))
    var socketPath: String?

    @Option(
        name: .customLong("allow-group"),
        help: ArgumentHelp(
            "Serve only root and members of this group (primary or supplementary), given by name or numeric id. Default: every local user.",
            valueName: "name"))
    var allowGroup: String?

    @Option(
        name: .customLong("max-connections-per-user"),
        help: ArgumentHelp(
            "Connections one user (uid) may hold at once; each measured run holds one. On Kubernetes most pods run as uid 0 and share this cap.",
            valueName: "n"))
    var maximumConnectionsPerUser = AgentServer.Limits().maximumConnectionsPerUser

    @OptionGroup var sources: MeterSourceOptions

    @Flag(
        name: .customLong("check"),
        help: "Open and probe the meters, print what would be served, and exit (0 when something can be served).")
    var check = false

    @OptionGroup var choice: MeterChoice

    func validate() throws {
        if let socketPath, socketPath.isEmpty { throw ValidationError("--socket needs a path.") }
        if let allowGroup, allowGroup.isEmpty { throw ValidationError("--allow-group needs a group name.") }
        let total = AgentServer.Limits().maximumConnections
        guard (1...total).contains(maximumConnectionsPerUser) else {
            throw ValidationError("--max-connections-per-user must be between 1 and \(total) (the agent's limit for all users).")
        }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        var options = MeterOptions.fromEnvironment(environment)
        sources.apply(to: &options)
        options.allowedMeters = choice.allowed
        // The agent serves every GPU; each client keeps the ones its CUDA_VISIBLE_DEVICES names.
        options.visibleGPUs = nil
        options.visibleAMDGPUs = nil
        let path = socketPath ?? options.agentSocketPath

        let counters: AgentCounterSet
        do {
            counters = try AgentCounterSet(options: options)
        } catch {
            let root = geteuid() == 0 ? "" : " footprint agent is not running as root: run it with sudo or as the systemd service."
            printError("footprint agent: \(error.description)\(root)")
            throw ExitCode(1)
        }
        let startup = AgentStartup.lines(counters: counters, socketPath: path, allowGroup: allowGroup)
        if check {
            print(startup.joined(separator: "\n"))
            counters.close()
            return
        }
        let log: @Sendable (String) -> Void = { printError($0) }
        let server: AgentServer
        do {
            var configuration = AgentServer.Configuration(socketPath: path, allowGroup: allowGroup, log: log)
            configuration.limits.maximumConnectionsPerUser = maximumConnectionsPerUser
            server = try AgentServer(configuration: configuration, counters: counters)
            try server.start()
        } catch {
            counters.close()
            printError("footprint agent: \(error.description)")
            throw ExitCode(1)
        }
        for line in startup { printError(line) }
        // SIGTERM (systemd, kubelet) and SIGINT end the loop; run() then removes the socket.
        let signals = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { server.stop() }
            source.resume()
            return source
        }
        server.run()
        for source in signals { source.cancel() }
        printError("footprint agent: stopped; \(path) removed")
    }
}
