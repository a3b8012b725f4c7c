import Foundation
import RunModel

/// One SVG chart of a report, written beside the Markdown file that links it.
public struct ReportChart: Sendable, Equatable {
    /// File name only (`run-12-power.svg`): the Markdown links it relatively.
    public var fileName: String
    /// Alt text and title (`Power over time`).
    public var title: String
    /// The standalone SVG document.
    public var svg: String

    /// Creates a chart file.
    ///
    /// - Parameters:
    ///   - fileName: File name, no directory.
    ///   - title: Alt text.
    ///   - svg: The SVG document.
    public init(fileName: String, title: String, svg: String) {
        self.fileName = fileName
        self.title = title
        self.svg = svg
    }

    /// The Markdown image that shows this chart: `![Power over time](run-12-power.svg)`.
    public var markdownImage: String {
        "![\(Markdown.escape(title))](\(fileName))"
    }
}

/// A rendered report: its Markdown and the charts it links.
public struct ReportBundle: Sendable, Equatable {
    /// The Markdown document, ending with a newline.
    public var markdown: String
    /// The charts, to be written in the Markdown file's directory.
    public var charts: [ReportChart]

    /// Creates a bundle.
    ///
    /// - Parameters:
    ///   - markdown: The Markdown document; any control character but a newline that reached it
    ///     (a run name, an error a program printed) is removed, a tab becomes a space.
    ///   - charts: The charts it links.
    public init(markdown: String, charts: [ReportChart]) {
        self.markdown = DisplayText.strippedOfControls(markdown, keepingNewlines: true)
        self.charts = charts
    }

    /// Writes the Markdown to `path` and every chart beside it, creating the directory.
    ///
    /// - Parameter path: The Markdown file (`Reports/run-12.md`).
    /// - Returns: The paths written, Markdown first.
    /// - Throws: ``ReportingError/cannotWrite(path:reason:)``.
    @discardableResult
    public func write(toFile path: String) throws -> [String] {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ReportingError.cannotWrite(path: directory.path, reason: "\(error.localizedDescription)")
        }
        var written: [String] = []
        for (target, text) in [(url, markdown)] + charts.map({ (directory.appendingPathComponent($0.fileName), $0.svg) }) {
            do {
                try Data(text.utf8).write(to: target, options: .atomic)
            } catch {
                throw ReportingError.cannotWrite(path: target.path, reason: "\(error.localizedDescription)")
            }
            written.append(target.path)
        }
        return written
    }

    /// The prefix of chart file names for a Markdown path: its file name without `.md`
    /// (`Reports/run-12.md` → `run-12`), so charts of several reports in one directory never
    /// collide.
    ///
    /// - Parameter path: The Markdown file.
    /// - Returns: The prefix; `report` for an empty name.
    public static func chartPrefix(forMarkdownPath path: String) -> String {
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return name.isEmpty || name == "/" ? "report" : name
    }
}
