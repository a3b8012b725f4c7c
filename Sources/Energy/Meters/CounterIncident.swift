/// One time a zone's counter could not be trusted for an interval during a run, and what was
/// done about it: counted anyway (a wrap read without a range, a read failure the counter
/// counted through) or bridged from the zone's power either side.
struct CounterIncident: Equatable {
    enum Kind: Equatable {
        /// The counter fell back to near zero: it restarted.
        case reset(fromJoules: Double, toJoules: Double)
        /// The counter fell back by `joules`; `wrapWatts` is the least power any wrap would
        /// imply (nil when no range could explain it).
        case stepBack(joules: Double, wrapWatts: Double?)
        /// The counter leapt forward by more than any zone can draw.
        case jump(joules: Double, watts: Double, overSeconds: Double)
        /// The counter went backwards with no `max_energy_range_uj` and was read as a wrap at a
        /// range RAPL documents for some energy unit, because that implied a plausible power.
        case wrapWithoutRange(range: GuessedRange, watts: Double)
        /// The counter could not be read.
        case readFailure(reason: String)
    }

    /// What happened first; later mishaps before the interval closed are in `laterKinds`.
    var kind: Kind
    var laterKinds: [Kind] = []
    /// Monotonic seconds of the last good reading before the incident: where the gap starts.
    var fromSeconds: Double
    /// Monotonic seconds of the reading that ended the gap (re-baselined or read again); nil
    /// while the counter still cannot be read.
    var toSeconds: Double?
    /// Seconds whose energy the counter lost: the interval of each mishap (intervals counted
    /// between two mishaps of one incident are not among them).
    var lostSeconds = 0.0
    /// Joules the counter itself showed across the gap, when it could be trusted.
    var countedJoules = 0.0
    /// Joules bridged across the gap; nil while waiting for the power after it, 0 when the gap
    /// was counted instead.
    var bridgedJoules: Double?
    /// Seconds the bridge covers: `lostSeconds` once bridged, 0 when counted.
    var bridgedSeconds = 0.0
    var wattsBefore: Double?
    var wattsAfter: Double?
    /// Whether the zone never read again before the run ended.
    var unreadableToTheEnd = false

    /// Whether energy was lost and must be bridged (rather than counted across the gap).
    var lostEnergy: Bool {
        switch kind {
        case .wrapWithoutRange: false
        case .readFailure: !laterKinds.isEmpty
        default: true
        }
    }
}

/// Incidents past the ones a zone keeps in detail, summed.
struct FoldedIncidents: Equatable {
    var count = 0
    var bridgedJoules = 0.0
    var bridgedSeconds = 0.0
    var countedJoules = 0.0
    /// Monotonic seconds when the latest of them ended.
    var lastSeconds = 0.0
}

/// A range a RAPL counter may wrap at when `max_energy_range_uj` is missing: 2^32 counts of
/// its energy unit, as the Linux intel_rapl driver computes `max_energy_range_uj`
/// (`0xFFFFFFFF × ⌊10^9 / 2^ESU⌋ / 1000` µJ; 262,143,328,850 µJ for ESU 14).
struct GuessedRange: Equatable {
    var microjoules: UInt64
    /// "2^32 counts of 2^-14 J" or "2^32 counts of 15.3 µJ (fixed dram unit)".
    var origin: String

    /// Energy-status units seen on real parts: 2^-14 J (Intel clients), 2^-16 J (Intel servers,
    /// AMD), and the others a 5-bit ESU field allows in between and around (2^-8 to 2^-20 J),
    /// plus the fixed 15.3 µJ dram unit of Haswell-EP and later servers (intel_rapl_common.c).
    static let rapl: [GuessedRange] = {
        var ranges = (8...20).map { esu in
            GuessedRange(microjoules: 0xFFFF_FFFF * (1_000_000_000 >> UInt64(esu)) / 1000, origin: "2^32 counts of 2^-\(esu) J")
        }
        ranges.append(GuessedRange(microjoules: 0xFFFF_FFFF * 15_300 / 1000, origin: "2^32 counts of 15.3 µJ, the fixed dram unit"))
        return ranges.sorted { $0.microjoules < $1.microjoules }
    }()
}
