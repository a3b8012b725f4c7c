import Foundation
import Vocabulary

extension JobDocument {
    /// The job's totals in a few lines: energy with its provenance and range, CO2e, FLOPs, time.
    /// The job key is as recorded: escape the lines for a terminal or a report.
    public func summaryLines() -> [String] {
        var lines = ["Job \(job): \(runs.count) run(s) on \(Set(nodes.map(\.node)).count) node(s)" + attemptsText]
        if let energy {
            let range = energy.low.flatMap { low in energy.high.map { " (\(UnitFormat.joules(low)) – \(UnitFormat.joules($0)))" } } ?? ""
            let resolved = energy.resolved ? "" : ", below resolution"
            lines.append("Energy: \(UnitFormat.joules(energy.joules))\(range), \(energy.provenance.rawValue)\(resolved)")
        } else {
            lines.append("Energy: not measured (no rank read host meters)")
        }
        if let carbon {
            let range =
                carbon.low.flatMap { low in carbon.high.map { " (\(UnitFormat.gramsCO2e(low)) – \(UnitFormat.gramsCO2e($0)))" } } ?? ""
            lines.append("CO2e: \(UnitFormat.gramsCO2e(carbon.gramsCO2e))\(range)")
        }
        if let flops { lines.append("FLOPs: \(UnitFormat.flops(Double(flops)))") }
        if let wall = seconds["wall"] {
            lines.append(
                "Time: \(UnitFormat.seconds(wall)) wall" + (seconds["cpu"].map { ", \(UnitFormat.seconds($0)) CPU over all ranks" } ?? ""))
        }
        return lines
    }

    private var attemptsText: String {
        attempts.count > 1 ? ", \(attempts.count) attempts (\(attempts.map(String.init).joined(separator: ", ")))" : ""
    }

    /// A row per node and attempt: ranks, the run that read the host meters, energy, CO2e, zones.
    public func nodeTable() -> Table {
        let rows = nodes.map { node -> [String] in
            [
                node.node, node.attempt.map(String.init) ?? "", node.ranks.map(String.init).joined(separator: ","),
                node.hostMeterRun.map(String.init) ?? "none",
                node.energy.map { UnitFormat.joules($0.joules) + ($0.provenance == .measured ? "" : " \($0.provenance.rawValue)") } ?? "",
                node.carbon.map { UnitFormat.gramsCO2e($0.gramsCO2e) } ?? "",
                Self.zones(node.meters),
            ]
        }
        return Table(
            headers: ["Node", "Attempt", "Ranks", "Host meters (run)", "Energy", "CO2e", "Zones"], rows: rows, rightAligned: [1, 4, 5]
        ).limitingWidth(ofColumns: [0])
    }

    /// A row per device: every meter zone each node counted (a package, its DRAM, each GPU),
    /// and whether it is in the total (a core zone inside its package is not, nor an estimate
    /// kept beside a measurement).
    public func deviceTable() -> Table {
        let rows = nodes.flatMap { node in
            node.meters.map { meter -> [String] in
                [
                    node.node, node.attempt.map(String.init) ?? "", meter.name, meter.zone, UnitFormat.joules(meter.joules),
                    meter.includedInTotal ? "yes" : "no",
                ]
            }
        }
        return Table(headers: ["Node", "Attempt", "Meter", "Zone", "Energy", "In total"], rows: rows, rightAligned: [1, 4])
            .limitingWidth(ofColumns: [0, 2, 3])
    }

    /// A row per rank: its run, node, status, CPU time and attributed energy.
    public func rankTable() -> Table {
        let rows = ranks.map { rank -> [String] in
            [
                rank.rank.map(String.init) ?? "", rank.localRank.map(String.init) ?? "", rank.node, "\(rank.run)", rank.status,
                rank.cpuSeconds.map(UnitFormat.seconds) ?? "", rank.hostShare.map(UnitFormat.percent) ?? "",
                rank.attributedJoules.map(UnitFormat.joules) ?? "",
            ]
        }
        return Table(
            headers: ["Rank", "Local", "Node", "Run", "Status", "CPU", "Share of node", "Attributed"], rows: rows,
            rightAligned: [0, 1, 3, 5, 6, 7]
        ).limitingWidth(ofColumns: [2, 4])
    }

    /// `rapl: package-0, dram-0; nvml: gpu-0`, the zones in the total.
    static func zones(_ meters: [RunDocument.MeterJoules]) -> String {
        var order: [String] = []
        var zones: [String: [String]] = [:]
        for meter in meters where meter.includedInTotal {
            if zones[meter.name] == nil { order.append(meter.name) }
            if !(zones[meter.name]?.contains(meter.zone) ?? false) { zones[meter.name, default: []].append(meter.zone) }
        }
        return order.map { "\($0): " + (zones[$0] ?? []).joined(separator: ", ") }.joined(separator: "; ")
    }
}
