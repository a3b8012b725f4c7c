import Foundation

/// One line a wrapped program wrote to `FOOTPRINT_EVENTS`.
public enum ProgramEvent: Equatable, Sendable {
    /// `{"event":"epoch","index":3,"loss":0.21,"accuracy":0.93}`; also `val_loss`/`validationLoss`,
    /// `mse`, `r2`, `samples`.
    case epoch(EpochMetrics)
    /// `{"event":"phase","name":"eval"}`: the program entered a named phase.
    case phase(name: String)

    /// Parses one line.
    ///
    /// - Returns: The event, or a description of what is wrong with the line.
    public static func parse(_ line: String) -> Result<ProgramEvent, EventLineError> {
        guard let data = line.data(using: .utf8),
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        else { return .failure(EventLineError(line: line, problem: "not a JSON object")) }
        guard let kind = object["event"] as? String else {
            return .failure(EventLineError(line: line, problem: "no \"event\" key (expected \"epoch\" or \"phase\")"))
        }
        func number(_ keys: String...) -> Double? {
            for key in keys {
                if let value = object[key] as? NSNumber { return value.doubleValue }
            }
            return nil
        }
        switch kind {
        case "epoch":
            guard let index = number("index", "epoch"), index >= 0, index == index.rounded(), index < 1e9 else {
                return .failure(EventLineError(line: line, problem: "an epoch event needs an integer \"index\""))
            }
            let metrics = EpochMetrics(
                index: Int(index), trainLoss: number("loss", "trainLoss", "train_loss"),
                validationLoss: number("val_loss", "validationLoss", "validation_loss"),
                accuracy: number("accuracy", "acc"), mse: number("mse"), r2: number("r2"),
                samples: number("samples").map { Int($0) })
            for value in [metrics.trainLoss, metrics.validationLoss, metrics.accuracy, metrics.mse, metrics.r2] {
                if let value, !value.isFinite {
                    return .failure(EventLineError(line: line, problem: "a metric is NaN or infinite"))
                }
            }
            return .success(.epoch(metrics))
        case "phase":
            guard let name = object["name"] as? String, !name.isEmpty else {
                return .failure(EventLineError(line: line, problem: "a phase event needs a \"name\""))
            }
            return .success(.phase(name: name))
        default:
            return .failure(EventLineError(line: line, problem: "unknown event \"\(kind)\" (expected \"epoch\" or \"phase\")"))
        }
    }
}

/// A malformed event line: reported and skipped, never fatal.
public struct EventLineError: Error, Equatable, CustomStringConvertible {
    public var line: String
    public var problem: String

    public var description: String {
        let shown = line.count > 120 ? String(line.prefix(117)) + "..." : line
        return "ignored event line '\(shown)': \(problem)"
    }
}

/// A FIFO the wrapped program writes JSON lines to, read on a background thread.
///
/// The FIFO is opened read-write and non-blocking so that opening never waits for a writer and
/// a program that never writes costs nothing; lines are split on newlines and handed on.
final class EventChannel: @unchecked Sendable {
    // @unchecked: `descriptor` and `pending` are touched only by the reader thread after start;
    // `stopRequested` only under the `stopping` lock; `stop` sets it and waits on `finished`.
    let path: String
    private let directory: String
    private let descriptor: Int32
    private var pending = Data()
    private let stopping = NSLock()
    private var stopRequested = false
    private let finished = DispatchSemaphore(value: 0)

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
        descriptor = open(path, O_RDWR | O_NONBLOCK)
        guard descriptor >= 0 else {
            throw EventChannelError(reason: "cannot open the FIFO \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Starts reading; `handle` receives each complete line on the reader thread.
    func start(_ handle: @escaping @Sendable (String) -> Void) {
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                let ready = poll(&poller, 1, 50)
                if ready > 0 { drain(&buffer, handle) }
                let stop = stopping.withLock { stopRequested }
                if stop {
                    drain(&buffer, handle)
                    if !pending.isEmpty, let line = String(data: pending, encoding: .utf8) { handle(line) }
                    break
                }
            }
            finished.signal()
        }
        thread.name = "footprint-events"
        thread.start()
    }

    private func drain(_ buffer: inout [UInt8], _ handle: (String) -> Void) {
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            guard count > 0 else { return }
            pending.append(contentsOf: buffer[0..<count])
            while let newline = pending.firstIndex(of: 0x0A) {
                let lineData = pending[pending.startIndex..<newline]
                pending.removeSubrange(pending.startIndex...newline)
                let line = String(decoding: lineData, as: UTF8.self).trimmingCharacters(in: .whitespaces)
                if !line.isEmpty { handle(line) }
            }
            if pending.count > 1 << 20 {  // a runaway line without newline: report and drop
                handle(String(decoding: pending.prefix(200), as: UTF8.self))
                pending.removeAll()
            }
        }
    }

    /// Reads what is left, stops the thread and removes the FIFO.
    func stop() {
        stopping.withLock { stopRequested = true }
        finished.wait()
        close(descriptor)
        unlink(path)
        rmdir(directory)
    }
}

struct EventChannelError: Error, CustomStringConvertible {
    var reason: String
    var description: String { "Cannot set up the event channel: \(reason)." }
}
