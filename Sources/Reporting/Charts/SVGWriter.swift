import Foundation
import RunModel

/// Builds an SVG 1.1 document as text: elements with escaped attributes and text, numbers
/// written with at most two decimals so files stay small and diffs stable.
struct SVGWriter {
    private var lines: [String] = []
    private var depth = 1

    /// Opens a container element (`<g …>`); pair with `close`.
    mutating func open(_ name: String, _ attributes: [(String, String)] = []) {
        append("<\(name)\(Self.render(attributes))>")
        depth += 1
    }

    /// Closes the innermost open element.
    mutating func close(_ name: String) {
        depth -= 1
        append("</\(name)>")
    }

    /// Writes an empty element (`<line … />`).
    mutating func element(_ name: String, _ attributes: [(String, String)]) {
        append("<\(name)\(Self.render(attributes))/>")
    }

    /// Writes an element holding escaped text (`<text …>a &lt; b</text>`).
    mutating func text(_ content: String, _ attributes: [(String, String)], element name: String = "text") {
        append("<\(name)\(Self.render(attributes))>\(Self.escape(content))</\(name)>")
    }

    /// The complete standalone document.
    func document(width: Double, height: Double, title: String) -> String {
        let size = "width=\"\(Self.number(width))\" height=\"\(Self.number(height))\""
        let header = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" \(size)"
                + " viewBox=\"0 0 \(Self.number(width)) \(Self.number(height))\""
                + " font-family=\"sans-serif\" font-size=\"12\">",
            "  <title>\(Self.escape(title))</title>",
        ]
        return (header + lines + ["</svg>", ""]).joined(separator: "\n")
    }

    private mutating func append(_ line: String) {
        lines.append(String(repeating: "  ", count: depth) + line)
    }

    private static func render(_ attributes: [(String, String)]) -> String {
        attributes.map { " \($0.0)=\"\(escape($0.1))\"" }.joined()
    }

    /// Escapes text for XML content and attribute values, and drops the control characters
    /// XML 1.0 forbids even when escaped (a run name could carry one), and DEL, C1 and
    /// bidirectional controls as ``DisplayText`` does for Markdown.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                let value = scalar.value
                let forbidden = value < 0x20 || (0xFFFE...0xFFFF).contains(value) || DisplayText.isControl(scalar)
                if !forbidden { result.unicodeScalars.append(scalar) }
            }
        }
        return result
    }

    /// A coordinate with at most two decimals and no trailing zeros: 12.5, 3, -0.25. Values
    /// beyond ±1e6 (a fitted curve far outside the axis; the plot clips it) are written as ±1e6.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (min(max(value, -1e6), 1e6) * 100).rounded() / 100
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        var text = String(format: "%.2f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    /// Approximate width of a text in the default sans-serif font: 0.6 em per character is a
    /// safe upper bound for DejaVu Sans / Helvetica digits and lower-case letters.
    static func textWidth(_ text: String, fontSize: Double) -> Double {
        Double(text.count) * fontSize * 0.6
    }
}
