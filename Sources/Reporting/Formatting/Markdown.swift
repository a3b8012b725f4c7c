import RunModel

/// GitHub-flavoured Markdown pieces: escaped inline text and pipe tables.
///
/// Every table a report writes goes through ``Table`` (its `markdown()`) so cells never break the table
/// (a `|` in a run name, a newline in an error message).
public enum Markdown {
    /// Escapes text for inline use: characters GFM would read as emphasis, links, code, HTML or
    /// table pipes are backslash-escaped, line breaks and tabs become spaces, and other control
    /// characters (ESC, bidirectional overrides: see `DisplayText`) are removed.
    ///
    /// - Parameter text: Plain text.
    /// - Returns: Text that renders as itself.
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        for character in DisplayText.strippedOfControls(text) {
            switch character {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "#":
                result.append("\\")
                result.append(character)
            case "\n", "\r", "\r\n", "\t":
                result.append(" ")
            default:
                result.append(character)
            }
        }
        return result
    }

    /// Inline code, with a fence longer than any run of backticks in `text`.
    ///
    /// - Parameter text: The code.
    /// - Returns: `` `text` `` (pipes escaped, so it can sit in a table cell; line breaks as
    ///   spaces and no other control character).
    public static func code(_ text: String) -> String {
        let flat = DisplayText.strippedOfControls(text)
        var longest = 0
        var current = 0
        for character in flat {
            current = character == "`" ? current + 1 : 0
            longest = max(longest, current)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let padding = flat.hasPrefix("`") || flat.hasSuffix("`") ? " " : ""
        // GFM reads a pipe as a cell boundary even inside a code span in a table.
        return fence + padding + flat.replacingOccurrences(of: "|", with: "\\|") + padding + fence
    }

    /// A bulleted list, one item per line.
    ///
    /// - Parameter items: Items, already Markdown.
    /// - Returns: The list, without a trailing newline.
    public static func bullets(_ items: [String]) -> String {
        items.map { "- " + $0 }.joined(separator: "\n")
    }
}

extension Markdown {
    /// Inline Markdown as a terminal shows it: backslash escapes and code backticks removed.
    ///
    /// - Parameter markdown: Inline Markdown such as a conclusion.
    /// - Returns: Plain text.
    public static func plainText(_ markdown: String) -> String {
        var result = ""
        var escaped = false
        for character in markdown {
            if escaped {
                result.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character != "`" {
                result.append(character)
            }
        }
        return result.replacingOccurrences(of: "**", with: "")
    }
}
