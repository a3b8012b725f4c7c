import Vocabulary

/// The zones of one role (host or devices) that `footprint agent` serves, read through a
/// connection shared with the agent's other meter.
///
/// The agent's counts are microjoules that never wrap, so each zone goes through a
/// `CounterAccumulator` as a local counter does: the probe, the incidents and the watchdog
/// apply unchanged, and an agent that restarts shows as a reset, bridged. An agent that cannot
/// be reached again is lost: every zone fails its read and the gap since the last good read is
/// bridged and marked (to the moment of loss for the host, whose energy the estimate then
/// takes over; to the end of the run for devices, which have no stand-in); no read is tried again.
final class AgentMeter: EnergyMeter {
    let kind = MeterKind.agent
    let role: MeterRole
    let provenance = EnergyProvenance.measured
    let resolution: EnergyResolution
    let coveredKinds: Set<MeterKind>
    private(set) var zones: [MeterZone] = []
    /// The agent's counters never wrap.
    let maximumPollIntervalSeconds: Double? = nil
    private let session: AgentClient.Session
    /// Each zone's key in the agent's hello (`meter|role|label`), found again after a reconnection.
    private let keys: [String]
    private var counters: [CounterAccumulator]
    private var lossHandled = false
    private var isOpen = true

    var lostReason: String? { session.lostReason }

    init(role: MeterRole, zoneIndices: [Int], session: AgentClient.Session, options: MeterOptions, hello: AgentWire.Hello) {
        self.role = role
        self.session = session
        let served = zoneIndices.map { hello.zones[$0] }
        keys = served.map(AgentClient.Session.key)
        zones = served.map { zone in
            MeterZone(
                label: "\(zone.meter) \(zone.label)", includedInTotal: zone.included,
                counter: "\(zone.counter) through the agent at \(session.path)", deviceIndex: zone.deviceIndex)
        }
        counters = served.map { _ in CounterAccumulator(joulesPerCount: 1e-6, rangeCounts: nil, peakWatts: options.peakWattsPerZone) }
        var sources: [String] = []
        for zone in served where !sources.contains(zone.resolution) { sources.append(zone.resolution) }
        resolution = EnergyResolution(
            stepJoules: max(served.map(\.stepJoules).max() ?? 0, 1e-6), periodSeconds: served.map(\.periodSeconds).max() ?? 0,
            source: "agent: " + sources.joined(separator: "; "))
        // amdgpu's hwmon power counted here measures the GPUs AMD SMI would: a local AMD SMI
        // must not count them again.
        let amdgpuPower = served.contains { $0.meter == MeterKind.hwmon.rawValue && $0.driver == "amdgpu" && $0.included }
        coveredKinds = Set(served.compactMap { MeterKind(rawValue: $0.meter) }.filter { $0 != .estimate })
            .union(amdgpuPower ? [.agent, .amdsmi] : [.agent])
        session.retain()
    }

    func poll(atSeconds seconds: Double) -> [(zone: Int, event: ZoneEvent)] {
        guard isOpen, !lossHandled else { return [] }
        var events: [(zone: Int, event: ZoneEvent)] = []
        switch session.outcome(atSeconds: seconds) {
        case let .reading(reading):
            for index in zones.indices {
                var counter = counters[index]
                let event: ZoneEvent?
                if let position = session.zoneIndex[keys[index]], position < reading.microjoules.count {
                    if reading.unreadable[position] {
                        event = counter.failRead(atSeconds: seconds, reason: "the agent could not read it")
                    } else {
                        event = counter.ingest(counts: reading.microjoules[position], atSeconds: seconds).event
                    }
                } else {
                    event = counter.failRead(atSeconds: seconds, reason: "the agent no longer serves it")
                }
                if let event { events.append((index, event)) }
                counters[index] = counter
                zones[index].update(from: counter)
            }
        case .lost:
            lossHandled = true
            for index in zones.indices {
                var counter = counters[index]
                // The reason is noted once by the run; each zone says what happened to it.
                if let event = counter.failRead(atSeconds: seconds, reason: "the agent was lost") { events.append((index, event)) }
                // The host's energy is the estimate's from now on; the gap up to now is bridged
                // at once. Devices have no stand-in: their gap runs to the end of the run.
                if role == .host { counter.settle(atSeconds: seconds) }
                counters[index] = counter
                zones[index].update(from: counter)
                if role == .host { zones[index].unreadable = true }
            }
        }
        return events
    }

    func settle(atSeconds seconds: Double) {
        for index in zones.indices {
            counters[index].settle(atSeconds: seconds)
            let unreadable = lossHandled
            zones[index].update(from: counters[index])
            if unreadable { zones[index].unreadable = true }
        }
    }

    func close() {
        guard isOpen else { return }
        isOpen = false
        session.release()
    }

    deinit { close() }
}
