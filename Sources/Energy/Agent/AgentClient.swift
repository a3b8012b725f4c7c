/// Placeholder until the agent client lands: opens the meters `footprint agent` serves.
enum AgentClient {
    /// The meters read through the agent's socket: one for the host's zones, one for devices.
    struct Opened {
        var meters: [any EnergyMeter]
        var notes: [String]
    }

    static func openMeters(options: MeterOptions) throws(EnergyError) -> Opened {
        throw EnergyError.meterUnavailable(meter: "agent", reason: "no agent socket at \(options.agentSocketPath)")
    }
}
