import Energy
import Foundation

/// A FIFO the wrapped program writes JSON lines to, read on a background thread.
///
/// The FIFO is opened read-write and non-blocking so that opening never waits for a writer and
/// a program that never writes costs nothing; lines are split on newlines and handed on, in
/// memory bounded by ``EventLimits/lineBytes``. The pipe is widened to 1 MiB where Linux
/// allows it, so a burst of lines does not stop the program while the reader commits epochs.
final class EventChannel: @unchecked Sendable {
    // @unchecked: `descriptor` and `splitter` are touched only by the reader thread after start;
    // `stopRequested` only under the `stopping` lock; `stop` sets it and waits on `finished`.
    let path: String
    private let directory: String
    private let descriptor: Int32
    private var splitter = EventLineSplitter()
    private let stopping = NSLock()
    private var stopRequested = false
    private let finished = DispatchSemaphore(value: 0)
    /// A pipe `stop` writes one byte to, so the reader waits in `poll` without a timeout (no
    /// wake-ups while the program runs) and leaves at once when the program has ended; both
    /// ends -1 when no pipe could be made, and the reader then polls every 50 ms.
    private let wakeDescriptors: (read: Int32, write: Int32)

    /// Creates the FIFO in a fresh temporary directory.
    init() throws {
        let template = (NSTemporaryDirectory() as NSString).appendingPathComponent("footprint-events-XXXXXX")
        var buffer = Array(template.utf8CString)
        guard let made = mkdtemp(&buffer) else {
            throw EventChannelError(reason: "cannot create a temporary directory: \(String(cString: strerror(errno)))")
        }
        directory = String(cString: made)
        path = (directory as NSString).appendingPathComponent("events")
        guard mkfifo(path, 0o600) == 0 else {
            throw EventChannelError(reason: "cannot create the FIFO \(path): \(String(cString: strerror(errno)))")
        }
        descriptor = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw EventChannelError(reason: "cannot open the FIFO \(path): \(String(cString: strerror(errno)))")
        }
        #if os(Linux)
        // F_SETPIPE_SZ (1031); 1 MiB is the default ceiling for unprivileged processes. When it
        // fails the pipe keeps its 64 KiB, which only makes the program wait sooner.
        _ = fcntl(descriptor, 1031, Int32(EventLimits.lineBytes))
        #endif
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) == 0 {
            for end in ends {
                _ = fcntl(end, F_SETFD, FD_CLOEXEC)
                _ = fcntl(end, F_SETFL, O_NONBLOCK)
            }
            wakeDescriptors = (ends[0], ends[1])
        } else {
            wakeDescriptors = (-1, -1)
        }
    }

    /// Starts reading; `handle` receives each line on the reader thread.
    func start(_ handle: @escaping @Sendable (EventChannelLine) -> Void) {
        let thread = Thread { [self] in
            ThreadCPUClock.nameCurrentThread("footprint-events")
            var buffer = [UInt8](repeating: 0, count: 1 << 18)
            while true {
                var pollers = [
                    pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0),
                    pollfd(fd: wakeDescriptors.read, events: Int16(POLLIN), revents: 0),
                ]
                let ready = poll(&pollers, wakeDescriptors.read >= 0 ? 2 : 1, wakeDescriptors.read >= 0 ? -1 : 50)
                if ready > 0 && pollers[0].revents != 0 { drain(&buffer, handle) }
                let stop = stopping.withLock { stopRequested }
                if stop {
                    drain(&buffer, handle)
                    splitter.finish(handle)
                    break
                }
            }
            finished.signal()
        }
        thread.name = "footprint-events"
        thread.start()
    }

    private func drain(_ buffer: inout [UInt8], _ handle: (EventChannelLine) -> Void) {
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { return }
            buffer.withUnsafeBytes { splitter.feed(UnsafeRawBufferPointer(rebasing: $0[0..<count]), handle) }
        }
    }

    /// Reads what is left, stops the thread and removes the FIFO.
    func stop() {
        stopping.withLock { stopRequested = true }
        if wakeDescriptors.write >= 0 {
            var byte: UInt8 = 1
            _ = write(wakeDescriptors.write, &byte, 1)
        }
        finished.wait()
        if wakeDescriptors.read >= 0 {
            close(wakeDescriptors.read)
            close(wakeDescriptors.write)
        }
        close(descriptor)
        unlink(path)
        rmdir(directory)
    }
}

struct EventChannelError: Error, CustomStringConvertible {
    var reason: String
    var description: String { "Cannot set up the event channel: \(reason)." }
}
