/// Text that came from outside Footprint — a run's name and tags, a wrapped program's phase
/// names and errors, a job key, a host name — made safe to show to a person.
///
/// One place decides what a terminal or a Markdown report may receive:
///
/// - In a terminal, control characters are shown escaped, never sent: ESC as `\e`, newline
///   `\n`, carriage return `\r`, tab `\t`, any other C0 control, DEL and C1 control as `\xHH`,
///   and the Unicode bidirectional controls and line separators (U+061C, U+200E, U+200F,
///   U+2028…U+202E, U+2066…U+2069) as `\u{HHHH}`, so a name can neither set the terminal's
///   title, clear the screen, break a table row nor reorder what follows it.
/// - In Markdown, newlines, carriage returns and tabs become spaces and every other of those
///   characters is removed.
/// - A table cell is cut to a width with `…`; `--json` output keeps the exact original value.
public enum DisplayText {
    /// Most characters a table cell of names (run name, job key, node) shows in a terminal.
    public static let nameWidth = 60
    /// Most characters any other table cell shows in a terminal.
    public static let cellWidth = 200
    /// Most characters one value printed on its own line (`show`'s name, command, error) shows.
    public static let lineWidth = 1000

    /// Whether a scalar must never reach a terminal or a report as itself.
    ///
    /// - Parameter scalar: One Unicode scalar.
    /// - Returns: True for C0 and C1 controls, DEL, bidirectional controls and line separators.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x061C, 0x200E, 0x200F, 0x2028...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// The text with every control character written as a visible escape (`\e`, `\n`, `\x7f`,
    /// `\u{202E}`); text without one is returned unchanged.
    ///
    /// - Parameter text: Text from outside.
    /// - Returns: Text a terminal shows as written.
    public static func escapedForTerminal(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            guard isControl(scalar) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\u{1B}": result += "\\e"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                let hex = String(scalar.value, radix: 16, uppercase: scalar.value > 0xFF)
                result += scalar.value <= 0xFF ? "\\x" + (hex.count < 2 ? "0" + hex : hex) : "\\u{" + hex + "}"
            }
        }
        return result
    }

    /// The text for Markdown: newlines, carriage returns and tabs become spaces, every other
    /// control character is removed.
    ///
    /// - Parameters:
    ///   - text: Text from outside.
    ///   - keepingNewlines: Keep `\n` (a whole document); otherwise it becomes a space.
    /// - Returns: Text with no control character (but `\n` when kept).
    public static func strippedOfControls(_ text: String, keepingNewlines: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n" where keepingNewlines: result.unicodeScalars.append(scalar)
            case "\r" where keepingNewlines: break
            case "\n", "\r", "\t": result += " "
            default: if !isControl(scalar) { result.unicodeScalars.append(scalar) }
            }
        }
        return result
    }

    /// The text cut to `width` characters, its last one replaced by `…` when it was longer.
    /// A character made of many scalars (combining marks) counts once, but the result never holds
    /// more than four scalars per character of `width`.
    ///
    /// - Parameters:
    ///   - text: Any text.
    ///   - width: Most characters to keep (at least 1).
    /// - Returns: The text or its cut.
    public static func truncated(_ text: String, toWidth width: Int) -> String {
        let width = max(1, width)
        guard text.utf8.count > width else { return text }
        var count = 0
        var scalars = 0
        var end = text.startIndex
        for index in text.indices {
            let characterScalars = text[index...].prefix(1).unicodeScalars.count
            if count == width || scalars + characterScalars > width * 4 { break }
            count += 1
            scalars += characterScalars
            end = text.index(after: index)
        }
        guard end < text.endIndex else { return text }
        guard end > text.startIndex else { return "…" }
        return String(text[..<text.index(before: end)]) + "…"
    }

    /// A value for one table cell or line in a terminal: escaped, then cut to `width`.
    ///
    /// - Parameters:
    ///   - text: Text from outside.
    ///   - width: Most characters to show.
    /// - Returns: Escaped, cut text.
    public static func terminal(_ text: String, width: Int) -> String {
        truncated(escapedForTerminal(text), toWidth: width)
    }
}
