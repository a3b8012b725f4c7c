import Foundation
import Synchronization
import Vocabulary

/// Proves that a meter's counters count before a run trusts them.
///
/// Virtual machines and containers often expose a counter that never moves (perf's
/// `energy-psys` with a count that stays 0, a frozen `energy_uj`): trusted, it turns every run
/// into "0 J measured". The probe reads every candidate, keeps the calling thread busy for a
/// short while, and reads again. A counter that did not advance, went backwards with no known
/// range, implied more power than any zone can draw, or stopped answering is refused, with
/// the counter and the reason named; the chain then goes on to the next meter.
enum MeterProbe {
    /// What the probe concluded about one meter.
    struct Verdict {
        var trusted: Bool
        /// Why it was refused, naming the counter; nil when trusted.
        var refusal: String?
        /// Remarks on a trusted meter (a GPU counter slower than the probe but a live sensor).
        var notes: [String] = []
    }

    /// The longest a probe may take, all candidates together (they are probed at once).
    static let ceilingSeconds = 0.14

    /// How long to probe: the requested length, stretched to three update periods of the
    /// slowest candidate, capped at ``ceilingSeconds``.
    static func duration(requested: Double, meters: [any EnergyMeter]) -> Double {
        let periods = meters.map { 3 * $0.resolution.periodSeconds }
        return min(max(requested, periods.max() ?? 0, 0.01), ceilingSeconds)
    }

    /// Keeps the calling thread busy for `seconds`: the work that makes a live counter move.
    @Sendable static func spin(seconds: Double) {
        let deadline = Clocks.monotonicSeconds() + seconds
        var accumulator = 1.0
        while Clocks.monotonicSeconds() < deadline {
            for step in 1...2_000 { accumulator = accumulator * 1.000_000_1 + Double(step) * 1e-12 }
        }
        blackHole(accumulator)
    }

    /// Where the busy loop's result goes, so the optimizer cannot drop the loop.
    private static let sink = Atomic<UInt64>(0)

    @inline(never) private static func blackHole(_ value: Double) {
        sink.store(value.bitPattern, ordering: .relaxed)
    }

    /// The shortest stretch of work between two looks at the counters: ten RAPL update periods,
    /// and the 10 ms over which a counter accumulator judges a step, so one late update cannot
    /// pass for impossible power.
    static let sliceSeconds = 0.01

    /// Probes `meters` together.
    ///
    /// The work runs in slices of ``sliceSeconds`` (or three update periods of the slowest
    /// candidate, when longer) and the probe ends as soon as every counter counted in a total has
    /// advanced: a live RAPL counter takes one slice, so a run does not wait out the whole probe.
    /// Only a counter that stays flat (or stops answering) is watched for the full length.
    ///
    /// - Parameters:
    ///   - meters: Freshly opened candidates (estimating meters are trusted without a probe).
    ///   - options: The probe's length, its work and its clock.
    /// - Returns: One verdict per meter, in order, and the probe's duration in seconds.
    static func probe(_ meters: [any EnergyMeter], options: MeterOptions) -> (verdicts: [Verdict], seconds: Double) {
        let measured = meters.filter { $0.provenance == .measured }
        guard !measured.isEmpty else { return (meters.map { _ in Verdict(trusted: true) }, 0) }
        let length = duration(requested: options.probeSeconds, meters: measured)
        let slowestPeriod = measured.map(\.resolution.periodSeconds).max() ?? 0
        let slice = options.probeEndsEarly ? min(max(sliceSeconds, 3 * slowestPeriod), length) : length
        // Counted in slices, not read from the clock, so a fake clock that stands still still ends.
        let slices = max(Int((length / slice).rounded(.up)), 1)
        let begin = options.clock()
        for meter in measured { _ = meter.poll(atSeconds: begin) }
        let before = meters.map { $0.zones.map(\.joules) }
        var events: [[(zone: Int, event: ZoneEvent)]] = Array(repeating: [], count: meters.count)
        var end = begin
        for done in 0..<slices {
            options.probeWork(min(slice, length - Double(done) * slice))
            end = options.clock()
            for (index, meter) in meters.enumerated() where meter.provenance == .measured {
                events[index] += meter.poll(atSeconds: end)
            }
            let settled = meters.indices.allSatisfy { index in
                meters[index].provenance != .measured || isSettled(meters[index], before: before[index], events: events[index])
            }
            if settled { break }
        }
        let seconds = max(end - begin, 1e-9)
        var verdicts: [Verdict] = []
        for (index, meter) in meters.enumerated() {
            guard meter.provenance == .measured else {
                verdicts.append(Verdict(trusted: true))
                continue
            }
            verdicts.append(
                judge(meter, before: before[index], events: events[index], seconds: seconds, peakWatts: options.peakWattsPerZone))
        }
        return (verdicts, seconds)
    }

    /// Whether more work could not change a meter's verdict: every counter in its total has
    /// advanced, or one of them already lost a reading or stopped answering.
    static func isSettled(_ meter: any EnergyMeter, before: [Double], events: [(zone: Int, event: ZoneEvent)]) -> Bool {
        let decided = events.contains { entry in
            switch entry.event {
            case .lost, .readFailed: return meter.zones.indices.contains(entry.zone) && meter.zones[entry.zone].includedInTotal
            case .wrapped, .wrappedWithoutRange, .readAgain: return false
            }
        }
        if decided { return true }
        return meter.zones.enumerated().allSatisfy { index, zone in
            !zone.includedInTotal || zone.joules > (index < before.count ? before[index] : 0)
        }
    }

    static func judge(
        _ meter: any EnergyMeter, before: [Double], events: [(zone: Int, event: ZoneEvent)], seconds: Double, peakWatts: Double
    ) -> Verdict {
        let milliseconds = Int((seconds * 1000).rounded())
        var notes: [String] = []
        for (index, zone) in meter.zones.enumerated() where zone.includedInTotal {
            let counter = zone.counter.isEmpty ? "\(meter.name) \(zone.label)" : zone.counter
            for (eventZone, event) in events where eventZone == index {
                switch event {
                case let .lost(.jump(_, watts, _)):
                    return Verdict(
                        trusted: false,
                        refusal:
                            "\(counter) implied \(format(watts)) W during a \(milliseconds) ms probe, more than any zone can draw (bound \(format(peakWatts)) W): a reset or a broken counter"
                    )
                case .lost:
                    return Verdict(
                        trusted: false,
                        refusal: "\(counter) went backwards during a \(milliseconds) ms probe, and no range explains it as a wrap")
                case let .readFailed(reason):
                    return Verdict(trusted: false, refusal: "\(counter) stopped answering during the probe: \(reason)")
                case .wrapped, .wrappedWithoutRange, .readAgain:
                    break
                }
            }
            guard zone.joules - (index < before.count ? before[index] : 0) <= 0 else { continue }
            if let watts = meter.instantaneousWatts(zone: index), watts > 0, watts <= peakWatts {
                notes.append(
                    "\(counter): the energy counter did not advance in \(milliseconds) ms, but its power sensor reads \(format(watts)) W; trusted, with its coarser refresh"
                )
                continue
            }
            if let note = meter.standInForStillZone(index) {
                var verdict = judge(meter, before: before, events: events, seconds: seconds, peakWatts: peakWatts)
                if verdict.trusted { verdict.notes.insert(note, at: 0) }
                return verdict
            }
            return Verdict(
                trusted: false,
                refusal:
                    "\(counter) is exposed but did not advance during a \(milliseconds) ms busy probe; virtual machines often expose counters that never count"
            )
        }
        return Verdict(trusted: true, notes: notes)
    }

    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "∞" }
        return value >= 100 ? String(Int(value.rounded())) : String(format: "%.3g", value)
    }
}
