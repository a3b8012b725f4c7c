import Testing
@testable import FootprintBenchmarks

@Suite("numpy reference", .enabled(if: FakeNumpyScript.pythonAvailable, "needs python3 on the PATH"))
struct NumpyReferenceTests {
    @Test func runsNumpyAtTheThreadCountItIsAsked() throws {
        let script = try FakeNumpyScript()
        defer { script.remove() }
        let reference = NumpyReference(scriptPath: script.path)
        for threads in [1, 2, 3] {
            let result = try reference.run(inputs: 4, hidden: 8, outputs: 2, batchSize: 4, steps: 5, threads: threads).get()
            #expect(result.threads == threads)
            #expect(result.samplesPerSecond == 1000 * Double(threads))
        }
    }

    @Test func refusesAFigureMeasuredAtAnotherThreadCount() throws {
        let script = try FakeNumpyScript(reportedThreads: 1)
        defer { script.remove() }
        let outcome = NumpyReference(scriptPath: script.path).run(inputs: 4, hidden: 8, outputs: 2, batchSize: 4, steps: 5, threads: 2)
        guard case .failure(let failure) = outcome else {
            Issue.record("a 1-thread figure was accepted for a 2-thread row: \(outcome)")
            return
        }
        #expect(failure.reason.contains("ran on 1 thread, not the 2"))
    }
}

@Suite("Benchmark suite")
struct BenchmarkSuiteTests {
    @Test(.enabled(if: FakeNumpyScript.pythonAvailable, "needs python3 on the PATH"))
    func dividesEachMLPRowByNumpyAtTheSameThreadCount() throws {
        let script = try FakeNumpyScript()
        defer { script.remove() }
        var suite = BenchmarkSuite(groups: [.mlp], inputs: 4, hidden: 8, outputs: 2, batchSize: 4, steps: 10, threadCounts: [1, 2])
        suite.numpyScriptPath = script.path
        let report = try suite.run()
        let training = report.rows.filter { $0.name.hasPrefix("training ") }
        #expect(training.map(\.name) == ["training mlp:4-8-2 b4, 1 thread", "training mlp:4-8-2 b4, 2 threads"])
        #expect(training.map(\.referenceValue) == [1000, 2000])
        #expect(training.map(\.referenceName) == ["numpy fake, 1 thread", "numpy fake, 2 threads"])
        #expect(report.numpySamplesPerSecond == 1000)
        #expect(report.notes.contains { $0.contains("each row's thread count") && $0.contains("2 threads: fake 2 thread(s)") })
    }

    @Test func ratioAboveOneMeansOursIsFasterForThroughputsAndTimes() {
        let throughput = BenchmarkRow(group: "mlp", name: "t", value: 300, unit: "samples/s", referenceValue: 100)
        let time = BenchmarkRow(group: "store", name: "s", value: 0.5, unit: "s", referenceValue: 2, higherIsBetter: false)
        #expect(throughput.ratio == 3)
        #expect(time.ratio == 4)
        #expect(BenchmarkRow(group: "mlp", name: "n", value: 1, unit: "s", referenceValue: 0).ratio == nil)
    }
}
