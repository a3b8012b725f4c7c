/// `index.md` of a reports directory: a provenance paragraph and a link to each report with
/// a one-line summary (`footprint demo` writes one).
public struct ReportIndex: Sendable, Equatable {
    /// One linked report.
    public struct Entry: Sendable, Equatable {
        /// Link text ("MLPs on the terrain profile").
        public var title: String
        /// Path relative to the index (`terrain-mlp.md`).
        public var relativePath: String
        /// One line: the comparison's conclusion, say.
        public var summary: String

        /// Creates an entry.
        ///
        /// - Parameters:
        ///   - title: Link text.
        ///   - relativePath: Path relative to the index file.
        ///   - summary: One line of Markdown.
        public init(title: String, relativePath: String, summary: String) {
            self.title = title
            self.relativePath = relativePath
            self.summary = summary
        }
    }

    /// A headed section after the links (the demo's "Work chosen on this machine").
    public struct Section: Sendable, Equatable {
        /// Its heading, plain text.
        public var title: String
        /// Its body, Markdown (paragraphs, a list).
        public var markdown: String

        /// Creates a section.
        ///
        /// - Parameters:
        ///   - title: Heading, plain text.
        ///   - markdown: Body, Markdown.
        public init(title: String, markdown: String) {
            self.title = title
            self.markdown = markdown
        }
    }

    /// Heading of the index.
    public var title: String
    /// Where the numbers come from (machine, meters or estimate, grid intensity), Markdown.
    public var provenance: String
    /// The reports, in order.
    public var entries: [Entry]
    /// Sections after the links, in order; empty ones are left out.
    public var sections: [Section]

    /// Creates an index.
    ///
    /// - Parameters:
    ///   - title: Heading (default "Footprint reports").
    ///   - provenance: A paragraph on where the numbers come from (Markdown).
    ///   - entries: The reports to link.
    ///   - sections: Headed sections after the links.
    public init(title: String = "Footprint reports", provenance: String, entries: [Entry], sections: [Section] = []) {
        self.title = title
        self.provenance = provenance
        self.entries = entries
        self.sections = sections
    }

    /// The index as Markdown, ending with a newline.
    public func markdown() -> String {
        var lines = ["# \(Markdown.escape(title))", ""]
        if !provenance.isEmpty { lines += [provenance.trimmingTrailingNewlines, ""] }
        if entries.isEmpty {
            lines.append("No reports yet.")
        } else {
            lines.append(
                Markdown.bullets(
                    entries.map { entry in
                        let link = "[\(Markdown.escape(entry.title))](\(Self.linkTarget(entry.relativePath)))"
                        let summary = entry.summary.split(whereSeparator: \.isNewline).joined(separator: " ")
                        return summary.isEmpty ? link : "\(link): \(summary)"
                    }))
        }
        for section in sections where !section.markdown.isEmpty {
            lines += ["", "## \(Markdown.escape(section.title))", "", section.markdown.trimmingTrailingNewlines]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes the index to `path`, creating its directory.
    ///
    /// - Parameter path: The index file (`Reports/index.md`).
    /// - Throws: ``ReportingError/cannotWrite(path:reason:)``.
    public func write(toFile path: String) throws {
        try ReportBundle(markdown: markdown(), charts: []).write(toFile: path)
    }

    /// A link destination GFM reads whole: spaces and parentheses percent-encoded.
    static func linkTarget(_ path: String) -> String {
        path.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: " ", with: "%20")
            .replacingOccurrences(of: "(", with: "%28").replacingOccurrences(of: ")", with: "%29")
    }
}

extension String {
    fileprivate var trimmingTrailingNewlines: String {
        var text = self
        while text.last?.isNewline == true { text.removeLast() }
        return text
    }
}
