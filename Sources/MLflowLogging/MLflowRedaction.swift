import Foundation

/// Keeps credentials out of everything Footprint prints or returns about an MLflow server.
public enum MLflowRedaction {
    /// The text that stands in for a removed secret.
    public static let mask = "***"

    /// `uri` without its credentials: the user information before `@` in the authority is
    /// dropped (`http://alice:s3cret@host:5000/x` → `http://host:5000/x`) and every query value
    /// is masked (`?token=abc` → `?token=***`), since tokens also travel as query parameters.
    ///
    /// Works on text, not on a parsed URL, so a URI that does not parse is redacted too.
    ///
    /// - Parameter uri: A tracking URI as the user gave it.
    /// - Returns: The URI to print.
    public static func uriWithoutCredentials(_ uri: String) -> String {
        var text = Substring(uri)
        var prefix = ""
        if let schemeEnd = text.range(of: "://") {
            prefix = String(text[..<schemeEnd.upperBound])
            text = text[schemeEnd.upperBound...]
        }
        let authorityEnd = text.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? text.endIndex
        var authority = text[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var rest = text[authorityEnd...]
        var fragment = Substring("")
        if let hash = rest.firstIndex(of: "#") {
            fragment = rest[hash...]
            rest = rest[..<hash]
        }
        guard let question = rest.firstIndex(of: "?") else { return prefix + authority + rest + fragment }
        let query = rest[rest.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false)
            .map { item -> String in
                guard let equals = item.firstIndex(of: "=") else { return String(item) }
                return item[..<equals] + "=" + mask
            }
            .joined(separator: "&")
        return prefix + authority + rest[...question] + query + fragment
    }

    /// `text` with every occurrence of each secret replaced by the mask: the last guard on a
    /// message, for a server or a library that echoes a password or a token back.
    ///
    /// - Parameters:
    ///   - text: A message about to be returned or printed.
    ///   - secrets: The passwords, tokens and header values in play; empty ones are ignored.
    /// - Returns: The message without them.
    public static func scrubbing(_ text: String, secrets: [String]) -> String {
        // Longest first, so a secret that contains another is masked whole.
        secrets.filter { !$0.isEmpty }.sorted { $0.count > $1.count }
            .reduce(text) { $0.replacingOccurrences(of: $1, with: mask) }
    }
}
