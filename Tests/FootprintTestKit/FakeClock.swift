import Synchronization

/// A monotonic clock, in seconds, that moves only when a test moves it: by `advance(seconds:)`,
/// or by a fixed tick on every reading for code that waits until the clock passes a deadline.
///
/// `onChange` runs under the clock's lock with each new time, so a fixture counter can follow
/// the clock exactly (a device at constant power in fake time) with no writer thread.
public final class FakeClock: Sendable {
    private struct State {
        var seconds: Double
        var tickSeconds: Double
    }

    private let state: Mutex<State>
    private let onChange: @Sendable (_ seconds: Double) -> Void

    /// - Parameters:
    ///   - startSeconds: The first reading (not zero, so a zero reading stands out as wrong).
    ///   - tickSeconds: How far each reading moves the clock.
    ///   - onChange: Called with every new time, before the reading returns it.
    public init(startSeconds: Double = 100, tickSeconds: Double = 0, onChange: @escaping @Sendable (_ seconds: Double) -> Void = { _ in }) {
        state = Mutex(State(seconds: startSeconds, tickSeconds: tickSeconds))
        self.onChange = onChange
    }

    /// The time now, after moving it by the tick.
    public func now() -> Double {
        state.withLock { state in
            guard state.tickSeconds != 0 else { return state.seconds }
            state.seconds += state.tickSeconds
            onChange(state.seconds)
            return state.seconds
        }
    }

    /// The time now, without ticking.
    public var seconds: Double { state.withLock { $0.seconds } }

    /// Moves the clock forward by `seconds`.
    public func advance(seconds: Double) {
        state.withLock { state in
            state.seconds += seconds
            onChange(state.seconds)
        }
    }

    /// Sets how far each reading moves the clock (0: only `advance` moves it).
    public func setTick(seconds: Double) {
        state.withLock { $0.tickSeconds = seconds }
    }
}
