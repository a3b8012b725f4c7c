import Foundation
import FootprintTestKit
import RunModel
import RunStore
import Testing

/// One job across simulated nodes: separate `footprint wrap` processes, each node with its own
/// powercap tree (driven at a known power) and its own host name, two ranks per node.
@Suite struct JobCommandTests {
    /// A node: its fixture tree, a writer drawing `watts` on its package zone, and its name.
    final class SimulatedNode {
        let name: String
        let machine: FixtureMachine
        let writer: ConstantPowerWriter

        init(name: String, watts: Double) throws {
            self.name = name
            machine = try FixtureMachine()
            try machine.addZone("intel-rapl:0", name: "package-0", microjoules: 1_000_000)
            writer = ConstantPowerWriter(machine: machine, zoneID: "intel-rapl:0", watts: watts, rangeMicrojoules: 262_143_328_850)
        }

        /// The environment of local rank `localRank`, global rank `rank`, on this node.
        func environment(rank: Int, localRank: Int) -> [String: String] {
            [
                "FOOTPRINT_HOST": name, "FOOTPRINT_POWERCAP_ROOT": machine.root + "/sys/class/powercap", "FOOTPRINT_METERS": "rapl",
                "RANK": "\(rank)", "LOCAL_RANK": "\(localRank)", "WORLD_SIZE": "4",
            ]
        }
    }

    /// The store each test writes: a SQLite file in the scratch directory, or the PostgreSQL
    /// server of `FOOTPRINT_TEST_POSTGRES_URL` when the run has one.
    static func stores() -> [String] {
        var stores = ["sqlite"]
        if let url = ProcessInfo.processInfo.environment["FOOTPRINT_TEST_POSTGRES_URL"], !url.isEmpty { stores.append(url) }
        return stores
    }

    @Test(arguments: stores())
    func twoNodesTimesTwoRanksAddUpToTheTwoNodesMetersNotFourTimesOne(store: String) throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let database = store == "sqlite" ? directory.appendingPathComponent("runs.sqlite").path : store
        let job = "test-job-\(UUID().uuidString.prefix(8))"
        let nodes = [try SimulatedNode(name: "node-a", watts: 40), try SimulatedNode(name: "node-b", watts: 80)]
        for node in nodes { node.writer.start() }
        var launched: [(Process, Pipe, Pipe)] = []
        for (index, node) in nodes.enumerated() {
            for localRank in 0..<2 {
                let rank = index * 2 + localRank
                let started = binary.process(
                    ["wrap", "--db", database, "--job", job, "--name", "rank-\(rank)", "--", "sleep", "1"], in: directory,
                    environment: node.environment(rank: rank, localRank: localRank))
                try started.0.run()
                launched.append(started)
            }
        }
        for (process, _, error) in launched {
            #expect(FootprintBinary.waitForExit(process, seconds: 60))
            let message = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationStatus == 0, "\(message)")
        }
        for node in nodes { _ = node.writer.stop() }

        let shown = try binary.run(["show", "--db", database, "--job", job, "--json"], in: directory)
        #expect(shown.status == 0, "\(shown.standardError)")
        let document = try JSONDecoder().decode(JobDocument.self, from: Data(shown.standardOutput.utf8))
        #expect(document.runs.count == 4)
        #expect(document.nodes.map(\.node) == ["node-a", "node-b"])
        // Only local rank 0 of each node read the host meters; local rank 1 has no energy.
        let hostRuns = document.runs.filter { $0.job?.localRank == 0 }
        let otherRuns = document.runs.filter { $0.job?.localRank == 1 }
        #expect(hostRuns.count == 2 && otherRuns.count == 2)
        #expect(otherRuns.allSatisfy { $0.energy == nil && $0.job?.key == job })
        let nodeJoules = hostRuns.compactMap { $0.energy?.joules }
        #expect(nodeJoules.count == 2)
        let total = try #require(document.energy)
        #expect(abs(total.joules - nodeJoules.reduce(0, +)) < 1e-6)
        #expect(total.provenance == .measured)
        // Against the writers' power: 40 W and 80 W over each rank-0 run's wall time.
        let expected = zip(hostRuns, [40.0, 80.0]).map { run, watts in watts * (run.seconds["wall"] ?? 0) }.reduce(0, +)
        #expect(abs(total.joules - expected) < 0.2 * expected, "total \(total.joules) J, expected about \(expected) J")
        // Each node's host energy is shared among its two ranks by CPU time, and adds back up.
        for node in document.nodes {
            let shares = document.ranks.filter { $0.node == node.node }
            #expect(shares.count == 2)
            let attributed = shares.compactMap(\.attributedJoules).reduce(0, +)
            #expect(abs(attributed - (node.energy?.joules ?? -1)) < 1e-6 * max(1, attributed))
        }

        let runs = try binary.run(["runs", "--db", database, "--job", job], in: directory)
        #expect(runs.status == 0)
        #expect(runs.standardOutput.components(separatedBy: "\n").filter { $0.contains(job) }.count == 4)
        let text = try binary.run(["show", "--db", database, "--job", job], in: directory)
        #expect(text.standardOutput.contains("Job \(job): 4 run(s) on 2 node(s)"))
        let report = try binary.run(["report", "--db", database, "--job", job], in: directory)
        #expect(report.status == 0, "\(report.standardError)")
        let markdown = try String(contentsOf: directory.appendingPathComponent("Reports/job-\(job).md"), encoding: .utf8)
        #expect(markdown.contains("## Nodes") && markdown.contains("node-b") && markdown.contains("## Ranks"))
        // A row per device: each node's package zone, counted once.
        #expect(markdown.contains("## Devices"))
        // Power per node over the job's time, beside the Markdown.
        let chart = try String(contentsOf: directory.appendingPathComponent("Reports/job-\(job)-power.svg"), encoding: .utf8)
        #expect(markdown.contains("job-\(job)-power.svg"))
        #expect(chart.contains("node-a") && chart.contains("node-b"))
        #expect(text.standardOutput.components(separatedBy: "\n").filter { $0.contains("package-0") && $0.contains("yes") }.count == 2)
    }

    @Test func anUnknownJobSaysHowRanksRecordOne() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let database = directory.appendingPathComponent("runs.sqlite").path
        let wrapped = try binary.run(
            ["wrap", "--db", database, "--", "true"], in: directory, environment: ["FOOTPRINT_METERS": "estimate"])
        #expect(wrapped.status == 0, "\(wrapped.standardError)")
        let shown = try binary.run(["show", "--db", database, "--job", "nope"], in: directory)
        #expect(shown.status == 1)
        #expect(shown.standardError.contains("no run of job 'nope'") && shown.standardError.contains("SLURM_JOB_ID"))
        let both = try binary.run(["show", "--db", database, "1", "--job", "nope"], in: directory)
        #expect(both.status == 64 && both.standardError.contains("not both"))
    }

    @Test func slurmVariablesMakeTheJobKeyRankAndNode() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let database = directory.appendingPathComponent("runs.sqlite").path
        let environment = [
            "FOOTPRINT_METERS": "estimate", "SLURM_JOB_ID": "4242", "SLURM_STEP_ID": "0", "SLURM_PROCID": "3", "SLURM_LOCALID": "0",
            "SLURM_NTASKS": "8", "SLURMD_NODENAME": "gpu-node-7",
        ]
        let wrapped = try binary.run(["wrap", "--db", database, "--json", "--", "true"], in: directory, environment: environment)
        #expect(wrapped.status == 0, "\(wrapped.standardError)")
        let run = try JSONDecoder().decode(RunDocument.self, from: Data(wrapped.standardOutput.utf8))
        #expect(run.job?.key == "slurm:4242.0")
        #expect(run.job?.rank == 3 && run.job?.localRank == 0 && run.job?.worldSize == 8 && run.job?.node == "gpu-node-7")
        #expect(run.energy?.provenance == .estimated)  // local rank 0 reads the node: here, the estimate
        #expect(run.uuid?.count == 36)
    }
}
