/// A request budget: `burst` requests at once, refilled at `perSecond`.
struct TokenBucket {
    let perSecond: Double
    let burst: Double
    private var tokens: Double
    private var lastSeconds: Double

    init(perSecond: Double, burst: Double, nowSeconds: Double) {
        self.perSecond = perSecond
        self.burst = burst
        tokens = burst
        lastSeconds = nowSeconds
    }

    /// Takes one token if there is one.
    mutating func take(atSeconds seconds: Double) -> Bool {
        if seconds > lastSeconds {
            tokens = min(burst, tokens + (seconds - lastSeconds) * perSecond)
            lastSeconds = seconds
        }
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
