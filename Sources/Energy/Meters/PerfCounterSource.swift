import CPerfEvent

/// How perf_event counters are opened and read: the system call, or a fake in tests.
package struct PerfCounterSource: Sendable {
    /// Opens (PMU type, config, CPU); returns a file descriptor, or -1 and an errno value.
    package var open: @Sendable (_ type: UInt32, _ config: UInt64, _ cpu: Int) -> (fd: Int32, errorNumber: Int32)
    /// Reads a 64-bit count, or returns nil when the read fails.
    package var read: @Sendable (_ fd: Int32) -> UInt64?
    package var close: @Sendable (_ fd: Int32) -> Void

    package init(
        open: @escaping @Sendable (UInt32, UInt64, Int) -> (fd: Int32, errorNumber: Int32),
        read: @escaping @Sendable (Int32) -> UInt64?,
        close: @escaping @Sendable (Int32) -> Void
    ) {
        self.open = open
        self.read = read
        self.close = close
    }

    /// `perf_event_open(2)` through the CPerfEvent shim.
    package static let system = PerfCounterSource(
        open: { type, config, cpu in
            var errorNumber: Int32 = 0
            let fd = footprint_perf_open_counter(type, config, Int32(clamping: cpu), &errorNumber)
            return (fd, errorNumber)
        },
        read: { fd in
            var value: UInt64 = 0
            return footprint_perf_read_counter(fd, &value) == 0 ? value : nil
        },
        close: { fd in footprint_perf_close_counter(fd) })
}
