import Energy

/// The lines `footprint agent` logs when it starts, and `--check` prints: what it serves and
/// what happened to each meter.
package enum AgentStartup {
    /// Describes the zones served and each meter's status.
    ///
    /// - Parameters:
    ///   - counters: The opened counter set.
    ///   - socketPath: Where the agent listens (or would).
    ///   - allowGroup: `--allow-group`, nil for every local user.
    /// - Returns: Lines for standard error.
    package static func lines(counters: AgentCounterSet, socketPath: String, allowGroup: String?) -> [String] {
        var lines = [
            "footprint agent: serving \(counters.hello.zones.count) zone(s) on \(socketPath) to "
                + (allowGroup.map { "root and members of group '\($0)'" } ?? "every local user")
        ]
        for zone in counters.hello.zones {
            var text = "  \(zone.meter) \(zone.label) [\(zone.role)]"
            if !zone.included { text += " (not in the total)" }
            if zone.sampledPower { text += " (sampled power)" }
            text += ": \(zone.counter)"
            lines.append(text)
        }
        lines.append("meters:")
        for candidate in counters.candidates {
            var text = "  \(candidate.kind.rawValue): \(candidate.status.rawValue)"
            if let reason = candidate.reason { text += " — \(reason)" }
            lines.append(text)
        }
        // A passed-over meter's reason is on its line above already.
        let passedOver = counters.candidates.flatMap { ["\($0.kind.rawValue) unavailable:", "\($0.kind.rawValue) refused:"] }
        let notes = counters.notes.filter { note in !passedOver.contains { note.hasPrefix($0) } }
        if !notes.isEmpty {
            lines.append("notes:")
            lines += notes.map { "  \($0)" }
        }
        lines.append(
            "polling every \(formatSeconds(counters.backgroundPollIntervalSeconds)) at least, and on every client read "
                + "(reads within \(formatSeconds(AgentCounterSet.coalescingSeconds)) share one poll)")
        return lines
    }

    private static func formatSeconds(_ seconds: Double) -> String {
        seconds < 1 ? "\(Int((seconds * 1000).rounded())) ms" : "\(seconds) s"
    }
}
