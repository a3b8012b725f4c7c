import Foundation
import Synchronization

/// SIGINT and SIGTERM turned into a flag that training loops poll, so an interrupted run is
/// recorded as `interrupted` with everything measured so far, instead of dying mid-write.
public enum StopSignal {
    private static let received = Atomic<Int32>(0)

    /// The signal received since `install()` (SIGINT or SIGTERM), or nil.
    public static var receivedSignal: Int32? {
        let value = received.load(ordering: .relaxed)
        return value == 0 ? nil : value
    }

    /// True once SIGINT or SIGTERM has arrived.
    public static var isRequested: Bool { receivedSignal != nil }

    /// Installs handlers for SIGINT and SIGTERM that only set the flag. A second Ctrl-C exits
    /// at once with status 130, for a user who really wants out.
    public static func install() {
        unblock()
        signal(SIGINT) { number in
            if StopSignal.received.load(ordering: .relaxed) != 0 { _exit(128 + number) }
            StopSignal.received.store(number, ordering: .relaxed)
        }
        signal(SIGTERM) { number in
            StopSignal.received.store(number, ordering: .relaxed)
        }
    }

    /// Unblocks SIGINT and SIGTERM in this thread, in case the parent process started us with
    /// them blocked (a blocked signal would never reach the handlers).
    static func unblock() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// The conventional exit status for a process stopped by `signal`: 128 + its number.
    public static func exitStatus(for signal: Int32) -> Int32 { 128 + signal }
}
