import Foundation

/// One line read from the event channel, before it is parsed.
enum EventChannelLine: Equatable, Sendable {
    /// A line of valid UTF-8, trimmed of spaces, tabs and a carriage return; never empty.
    case text(String)
    /// A line that is not valid UTF-8.
    case invalidUTF8(bytes: Int)
    /// A line longer than the limit: skipped whole, without being kept.
    case tooLong(bytes: Int)
}

/// Splits the bytes of the event channel into lines in memory bounded by the line limit.
///
/// Each byte is looked at once (`memchr` for the newline), so a 50 MB line costs a pass over
/// 50 MB, not a rescan of the kept bytes per read; past the limit the rest of the line is
/// counted and dropped until its newline.
struct EventLineSplitter {
    let limitBytes: Int
    /// The start of the current line when it spans reads; never more than `limitBytes`.
    private var pending: [UInt8] = []
    /// Bytes of the current line counted so far once it went past the limit.
    private var discardedBytes: Int?

    init(limitBytes: Int = EventLimits.lineBytes) {
        self.limitBytes = limitBytes
    }

    /// Splits `bytes`, handing each complete line to `emit`.
    mutating func feed(_ bytes: UnsafeRawBufferPointer, _ emit: (EventChannelLine) -> Void) {
        guard let base = bytes.baseAddress else { return }
        var start = 0
        while start < bytes.count {
            let rest = bytes.count - start
            let found = memchr(base + start, 0x0A, rest)
            let end = found.map { base.distance(to: UnsafeRawPointer($0)) } ?? bytes.count
            let segment = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
            if let discarded = discardedBytes {
                discardedBytes = discarded + segment.count
            } else if pending.count + segment.count > limitBytes {
                discardedBytes = pending.count + segment.count
                pending.removeAll(keepingCapacity: false)
            } else if found != nil && pending.isEmpty {
                Self.emitLine(segment, emit)
            } else {
                pending.append(contentsOf: segment)
            }
            guard found != nil else { return }
            endLine(emit)
            start = end + 1
        }
    }

    /// Hands on the last line, written without a newline.
    mutating func finish(_ emit: (EventChannelLine) -> Void) {
        endLine(emit)
    }

    private mutating func endLine(_ emit: (EventChannelLine) -> Void) {
        if let discarded = discardedBytes {
            emit(.tooLong(bytes: discarded))
            discardedBytes = nil
        } else if !pending.isEmpty {
            pending.withUnsafeBytes { Self.emitLine($0, emit) }
            pending.removeAll(keepingCapacity: true)
        }
    }

    private static func emitLine(_ bytes: UnsafeRawBufferPointer, _ emit: (EventChannelLine) -> Void) {
        guard let text = String(validating: bytes.assumingMemoryBound(to: UInt8.self), as: UTF8.self) else {
            emit(.invalidUTF8(bytes: bytes.count))
            return
        }
        let line = text.trimmingCharacters(in: CharacterSet(charactersIn: " \t\r"))
        if !line.isEmpty { emit(.text(line)) }
    }
}
