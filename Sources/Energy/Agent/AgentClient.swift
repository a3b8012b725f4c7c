import Foundation

/// Opens the meters `footprint agent` serves: the node's counters, read as root by the agent
/// and handed to this unprivileged process over its Unix socket.
enum AgentClient {
    /// The meters read through the agent's socket: one for the host's zones, one for devices.
    struct Opened {
        var meters: [any EnergyMeter]
        var notes: [String]
    }

    /// Connects to the agent at `options.agentSocketPath` and builds up to two meters over one
    /// shared connection: `.host` for its CPU and memory zones, `.devices` for its GPUs (those
    /// `CUDA_VISIBLE_DEVICES` / `HIP_VISIBLE_DEVICES` leave visible).
    ///
    /// - Parameter options: The socket path, the visible GPUs and the peak power bound.
    /// - Returns: The meters and notes on what the agent serves.
    /// - Throws: `EnergyError.meterUnavailable` when no agent listens there (naming the path,
    ///   `FOOTPRINT_AGENT_SOCKET` and `footprint agent`), when it refuses this process (its
    ///   words), speaks another protocol version, or serves no zone this process may read.
    static func openMeters(options: MeterOptions) throws(EnergyError) -> Opened {
        let path = options.agentSocketPath
        let connection: AgentConnection
        do {
            connection = try AgentConnection(path: path)
        } catch {
            if error.isAbsent {
                throw EnergyError.meterUnavailable(
                    meter: "agent",
                    reason:
                        "\(error.reason) (FOOTPRINT_AGENT_SOCKET); an administrator can run `footprint agent` as root, once per node, "
                        + "to serve the node's energy counters to every user's runs")
            }
            if error.isRefusal {
                throw EnergyError.meterUnavailable(meter: "agent", reason: "the agent at \(path) refused this process: \(error.reason)")
            }
            throw EnergyError.meterUnavailable(meter: "agent", reason: error.reason)
        }
        let hello = connection.hello
        var notes: [String] = []
        var hostZones: [Int] = []
        var deviceZones: [Int] = []
        for (index, zone) in hello.zones.enumerated() {
            switch zone.role {
            case "host": hostZones.append(index)
            case "devices":
                if zone.meter == MeterKind.hwmon.rawValue, options.devicesOnly, zone.driver == "xe" || zone.driver == "i915" {
                    // As the local hwmon meter does: Intel GPUs ignore ZE_AFFINITY_MASK here, so the
                    // node's first rank counts them all and the other ranks none.
                    notes.append("agent: \(zone.meter) \(zone.label) is left to the node's first rank (ZE_AFFINITY_MASK is not read)")
                    continue
                }
                if let visible = visibleDevices(for: zone, options: options), let device = zone.deviceIndex,
                    !visible.contains(device)
                {
                    notes.append("agent: \(zone.meter) \(zone.label) is not among this process's visible GPUs; not measured")
                    continue
                }
                deviceZones.append(index)
            default:
                notes.append("agent: zone \(zone.meter) \(zone.label) has an unknown role '\(zone.role)'; not measured")
            }
        }
        guard !hostZones.isEmpty || !deviceZones.isEmpty else {
            throw EnergyError.meterUnavailable(
                meter: "agent",
                reason: hello.zones.isEmpty
                    ? "the agent at \(path) (pid \(hello.pid)) serves no zones: it found no counter it can read on this node (its log says why)"
                    : "none of the \(hello.zones.count) zones the agent at \(path) serves is visible to this process")
        }
        let session = Session(connection: connection)
        var meters: [any EnergyMeter] = []
        if !hostZones.isEmpty {
            meters.append(AgentMeter(role: .host, zoneIndices: hostZones, session: session, options: options, hello: hello))
        }
        if !deviceZones.isEmpty {
            meters.append(AgentMeter(role: .devices, zoneIndices: deviceZones, session: session, options: options, hello: hello))
        }
        let served = (hostZones + deviceZones).map { "\(hello.zones[$0].meter) \(hello.zones[$0].label)" }
        notes.insert("agent: footprint agent (pid \(hello.pid)) at \(path) serves \(served.joined(separator: ", "))", at: 0)
        return Opened(meters: meters, notes: notes)
    }

    /// The GPU indices this process may measure for a device zone, nil for all: NVML's from
    /// `CUDA_VISIBLE_DEVICES`, AMD SMI's and amdgpu's hwmon from the AMD variables.
    static func visibleDevices(for zone: AgentWire.Zone, options: MeterOptions) -> [Int]? {
        switch zone.meter {
        case MeterKind.nvml.rawValue: options.visibleGPUs
        case MeterKind.amdsmi.rawValue: options.visibleAMDGPUs
        case MeterKind.hwmon.rawValue where zone.driver == "amdgpu": options.visibleAMDGPUs
        default: nil
        }
    }

    /// The connection both meters of one agent share, so one `read` per poll serves both: the
    /// monitor polls its meters one after the other at the same time stamp.
    final class Session {
        /// What one poll time got from the agent.
        enum Outcome {
            case reading(AgentWire.Reading)
            /// The agent cannot be reached any more; why.
            case lost(String)
        }

        /// How long the first read of a poll may wait before the connection is taken as lost
        /// and opened again; the reconnection gets the rest of ``AgentConnection/timeoutSeconds``.
        static let firstReadSeconds = 0.3

        let path: String
        private var connection: AgentConnection?
        /// Index of each zone key (`meter|role|label`) in the current hello.
        private(set) var zoneIndex: [String: Int] = [:]
        private(set) var lostReason: String?
        /// How many times the connection was opened again after failing.
        private(set) var reconnections = 0
        private var latest: (seconds: Double, outcome: Outcome)?
        private var openMeters = 0

        init(connection: AgentConnection) {
            path = connection.path
            self.connection = connection
            zoneIndex = Self.index(connection.hello)
        }

        static func key(_ zone: AgentWire.Zone) -> String { "\(zone.meter)|\(zone.role)|\(zone.label)" }

        private static func index(_ hello: AgentWire.Hello) -> [String: Int] {
            var index: [String: Int] = [:]
            for (position, zone) in hello.zones.enumerated() where index[key(zone)] == nil { index[key(zone)] = position }
            return index
        }

        /// The agent's counts at poll time `seconds`, read once however many meters ask.
        func outcome(atSeconds seconds: Double) -> Outcome {
            if let latest, latest.seconds == seconds { return latest.outcome }
            let outcome = fetch()
            latest = (seconds, outcome)
            return outcome
        }

        /// One read; on failure one reconnection (an agent restarted answers again, its counts
        /// started over, which the accumulators bridge as a reset); else lost for good.
        private func fetch() -> Outcome {
            if let lostReason { return .lost(lostReason) }
            let start = AgentConnection.now()
            let deadline = start + AgentConnection.timeoutSeconds
            var failure = "not connected"
            if let connection {
                do {
                    return .reading(try connection.read(deadline: start + Self.firstReadSeconds))
                } catch {
                    failure = error.reason
                }
            }
            connection = nil
            do {
                let remaining = max(deadline - AgentConnection.now(), 0.05)
                let fresh = try AgentConnection(path: path, timeoutSeconds: remaining)
                let reading = try fresh.read(deadline: max(deadline, AgentConnection.now() + 0.05))
                connection = fresh
                zoneIndex = Self.index(fresh.hello)
                reconnections += 1
                return .reading(reading)
            } catch {
                // The path once, not in every part.
                let parts = [failure, error.reason].map { $0.replacingOccurrences(of: " at \(path)", with: "") }
                let reason = "agent: the connection to \(path) was lost (\(parts[0]); reconnecting: \(parts[1]))"
                lostReason = reason
                return .lost(reason)
            }
        }

        func retain() { openMeters += 1 }

        /// Closes the connection once every meter on it is closed.
        func release() {
            openMeters -= 1
            if openMeters <= 0 { connection = nil }
        }
    }
}
