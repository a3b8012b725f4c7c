/// Logs refusals without letting a client flood the log: at most `perMinute` lines a minute,
/// then one line counting those left out.
struct RefusalLog {
    let perMinute: Int
    private var windowStart = -Double.infinity
    private var logged = 0
    private var suppressed = 0

    init(perMinute: Int = 10) {
        self.perMinute = perMinute
    }

    /// The lines to log now for `message` at monotonic `seconds`: none when over budget.
    mutating func lines(for message: String, atSeconds seconds: Double) -> [String] {
        var lines: [String] = []
        if seconds - windowStart >= 60 {
            if suppressed > 0 { lines.append("footprint agent: \(suppressed) more refusal(s) in the last minute not logged") }
            windowStart = seconds
            logged = 0
            suppressed = 0
        }
        guard logged < perMinute else {
            suppressed += 1
            return lines
        }
        logged += 1
        lines.append(message)
        return lines
    }
}
