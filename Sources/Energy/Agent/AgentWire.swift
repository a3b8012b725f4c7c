import Foundation

/// What `footprint agent` and its clients say over the agent's Unix socket: JSON lines.
///
/// On connecting, the agent identifies the client with `SO_PEERCRED` and writes one line: a
/// ``Message`` holding either `hello` (the zones it serves) or `error` (why the client is
/// refused), after which it closes. A client then sends `read` lines (at most
/// ``maximumRequestBytes`` bytes with the newline); each is answered by one `reading` line, or
/// by an `error` line and the connection closed (an unknown request, too long, too fast).
///
/// The agent accumulates every counter itself, polling often enough that none can wrap
/// unseen, so each zone reaches clients as a 64-bit count of microjoules since the agent
/// started: a counter that never wraps. A client turns it into joules with the same
/// accumulator, probe and watchdog as a local counter; an agent that restarts shows as a reset.
package enum AgentWire {
    /// The protocol's version; a client refuses a hello with another.
    package static let protocolVersion = 1
    /// The longest request line the agent reads, newline included; longer is an error.
    package static let maximumRequestBytes = 64
    /// The one request: the zones' counts now.
    package static let readRequest = "read"

    /// One line from the agent.
    package struct Message: Codable, Sendable, Equatable {
        package var hello: Hello?
        package var reading: Reading?
        /// Why the agent refused the client or the request, in words for the user.
        package var error: String?

        package init(hello: Hello? = nil, reading: Reading? = nil, error: String? = nil) {
            self.hello = hello
            self.reading = reading
            self.error = error
        }
    }

    /// What the agent serves, sent once per connection.
    package struct Hello: Codable, Sendable, Equatable {
        /// Always "footprint-agent".
        package var agent: String
        package var version: Int
        /// The agent's process id, for messages.
        package var pid: Int32
        /// The zones every `reading` lists, in this order.
        package var zones: [Zone]

        package init(agent: String = "footprint-agent", version: Int = AgentWire.protocolVersion, pid: Int32, zones: [Zone]) {
            self.agent = agent
            self.version = version
            self.pid = pid
            self.zones = zones
        }
    }

    /// One zone as the agent's own meter reads it as root.
    package struct Zone: Codable, Sendable, Equatable {
        /// The meter behind it: "rapl", "perf", "nvml", "amdsmi", "hwmon".
        package var meter: String
        /// "host" (CPU and memory) or "devices" (GPUs).
        package var role: String
        /// The meter's zone label: "package-0", "gpu-0 (NVIDIA H200)".
        package var label: String
        /// The counter behind it, for messages (a path on the agent's machine).
        package var counter: String
        /// Whether the agent's meter counts it in a total.
        package var included: Bool
        /// The GPU index (NVML, AMD SMI, hwmon card) a device zone belongs to, for
        /// `CUDA_VISIBLE_DEVICES` and a job rank's own GPUs.
        package var deviceIndex: Int?
        /// The meter's resolution: energy step, update period, and what sets them.
        package var stepJoules: Double
        package var periodSeconds: Double
        package var resolution: String
        /// Whether the energy is sampled power integrated over time rather than a counter.
        package var sampledPower: Bool
        /// The kernel driver behind a hwmon zone (`amdgpu`, `xe`, `i915`, `amd_energy`), so a
        /// client applies the same visible-device rules as a local hwmon meter; absent otherwise.
        package var driver: String?

        package init(
            meter: String, role: String, label: String, counter: String, included: Bool, deviceIndex: Int?, stepJoules: Double,
            periodSeconds: Double, resolution: String, sampledPower: Bool, driver: String? = nil
        ) {
            self.meter = meter
            self.role = role
            self.label = label
            self.counter = counter
            self.included = included
            self.deviceIndex = deviceIndex
            self.stepJoules = stepJoules
            self.periodSeconds = periodSeconds
            self.resolution = resolution
            self.sampledPower = sampledPower
            self.driver = driver
        }
    }

    /// Every zone's energy now, in the hello's order.
    package struct Reading: Codable, Sendable, Equatable {
        /// The agent's monotonic clock when it read, seconds.
        package var seconds: Double
        /// Microjoules counted since the agent started, bridged gaps included.
        package var microjoules: [UInt64]
        /// Of which bridged across intervals the agent's own counter lost.
        package var bridgedMicrojoules: [UInt64]
        /// Whether the agent's latest read of the zone failed.
        package var unreadable: [Bool]

        package init(seconds: Double, microjoules: [UInt64], bridgedMicrojoules: [UInt64], unreadable: [Bool]) {
            self.seconds = seconds
            self.microjoules = microjoules
            self.bridgedMicrojoules = bridgedMicrojoules
            self.unreadable = unreadable
        }
    }
}
