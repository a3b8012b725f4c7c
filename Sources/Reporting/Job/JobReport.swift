import Foundation
import RunModel
import RunStore

/// The Markdown report of one distributed job: its totals, a row per node and attempt (the
/// energy its host meters counted once, plus its ranks' own GPUs), a row per rank with the
/// energy attributed to it, where every figure comes from, and what the totals leave out.
///
/// Rendering is a pure function of the job's runs: the same runs always give the same bytes.
public struct JobReport: Sendable {
    /// The job, added up.
    public var document: JobDocument
    /// Power samples of the runs that measured a node, by run id.
    public var powerSamples: [Int64: [PowerSampleRecord]]
    /// Seconds from the job's first start to each of those runs' start, by run id.
    public var startOffsets: [Int64: Double]

    /// A report of `document`, with the power samples of the runs that measured its nodes.
    public init(document: JobDocument, powerSamples: [Int64: [PowerSampleRecord]] = [:], startOffsets: [Int64: Double] = [:]) {
        self.document = document
        self.powerSamples = powerSamples
        self.startOffsets = startOffsets
    }

    /// Reads the job's runs, and the power samples of those that measured a node, from the store.
    ///
    /// - Throws: `JobDocumentError.noRuns` when no run has the key, and store errors.
    public static func load(job key: String, from store: any RunStorage) throws -> JobReport {
        let (document, records) = try JobDocument.loadWithRecords(job: key, from: store)
        let measuring = Set(document.runs.filter { $0.energy != nil }.map(\.id))
        let first = records.map(\.startedAt).min() ?? Date()
        var samples: [Int64: [PowerSampleRecord]] = [:]
        var offsets: [Int64: Double] = [:]
        for record in records {
            guard let id = record.id, measuring.contains(id) else { continue }
            samples[id] = try store.powerSamples(runID: id)
            offsets[id] = record.startedAt.timeIntervalSince(first)
        }
        return JobReport(document: document, powerSamples: samples, startOffsets: offsets)
    }

    /// `Reports/job-KEY.md`, with characters other than letters, digits, `.`, `_` and `-`
    /// replaced by `-` (`slurm:123.0` gives `Reports/job-slurm-123.0.md`).
    public static func defaultPath(job key: String) -> String {
        let safe = String(key.map { $0.isLetter || $0.isNumber || "._-".contains($0) ? $0 : "-" })
        return "Reports/job-\(safe).md"
    }

    /// The report's Markdown and its chart.
    ///
    /// - Parameter chartPrefix: Start of the chart's file name (`job-x` gives `job-x-power.svg`).
    public func render(chartPrefix: String = "job") -> ReportBundle {
        let chart = powerChart().map { ReportChart(fileName: "\(chartPrefix)-power.svg", title: "Power per node", svg: $0.svg()) }
        let job = document
        var sections: [String] = []
        sections.append("# Job \(Markdown.escape(job.job))")
        sections.append(Markdown.bullets(job.summaryLines().dropFirst().map(Markdown.escape)))
        var facts = "*\(job.runs.count) run(s) on \(Set(job.nodes.map(\.node)).count) node(s)"
        if job.attempts.count > 1 { facts += ", attempts \(job.attempts.map(String.init).joined(separator: ", "))" }
        facts += ". Each node's host meters are read by one run (local rank 0); other ranks record their CPU time, "
        facts += "which attributes the node's energy among them, and their own GPUs (CUDA_VISIBLE_DEVICES).*"
        sections.append(facts)
        sections.append("## Nodes\n\n" + job.nodeTable().markdown())
        if let chart { sections.append(chart.markdownImage) }
        // Nodes measured the same way share one line: a job on 64 alike nodes gets one.
        var descriptions: [String] = []
        var nodesByDescription: [String: [String]] = [:]
        for node in job.nodes {
            guard let energy = node.energy else { continue }
            let description = ProvenanceText.describe(energy)
            if nodesByDescription[description] == nil { descriptions.append(description) }
            nodesByDescription[description, default: []].append(Markdown.code(node.node) + (node.attempt.map { " (attempt \($0))" } ?? ""))
        }
        let provenance = descriptions.map { description in
            let names = nodesByDescription[description] ?? []
            return (names.count == job.nodes.count && names.count > 1 ? "every node" : names.joined(separator: ", ")) + ": "
                + Markdown.escape(description)
        }
        if !provenance.isEmpty { sections.append("Where the figures come from:\n\n" + Markdown.bullets(provenance)) }
        if job.nodes.contains(where: { !$0.meters.isEmpty }) {
            sections.append("## Devices\n\nEvery meter zone each node counted.\n\n" + job.deviceTable().markdown())
        }
        sections.append("## Ranks\n\n" + job.rankTable().markdown())
        if !job.notes.isEmpty { sections.append("## Notes\n\n" + Markdown.bullets(job.notes.map(Markdown.escape))) }
        let runs = job.runs.map { run in
            "run \(run.id)" + (run.uuid.map { " (" + Markdown.code(String($0.prefix(8))) + ")" } ?? "") + ": " + Markdown.escape(run.name)
                + ", \(run.status), on "
                + Markdown.code(run.job?.node ?? run.host)
        }
        sections.append("## Runs\n\n" + Markdown.bullets(runs) + "\n\n`footprint report ID` writes each run's own report.")
        return ReportBundle(markdown: sections.joined(separator: "\n\n") + "\n", charts: chart.map { [$0] } ?? [])
    }

    /// Writes the Markdown to `path` and the chart beside it, creating the directory.
    ///
    /// - Returns: The files written.
    @discardableResult
    public func write(toFile path: String) throws -> [String] {
        try render(chartPrefix: ReportBundle.chartPrefix(forMarkdownPath: path)).write(toFile: path)
    }
}
