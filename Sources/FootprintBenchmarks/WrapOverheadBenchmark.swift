import Foundation
import Vocabulary

/// What `footprint wrap` costs around a program, measured on this very binary in subprocesses:
/// `wrap -- true` (start-up and end: meters, probe, store), the CPU per second of a sleeping
/// program (`wrap -- sleep 20` against `wrap -- sleep 1`), the CPU of Footprint's own threads
/// (sampler, flush timers, event reader) per second of run, and, when PyTorch is installed, a
/// short PyTorch training wrapped against bare.
struct WrapOverheadBenchmark {
    /// The footprint binary to run.
    var executable: String
    /// Runs of `wrap -- true`.
    var runs = 20
    var shortSleepSeconds = 1.0
    var longSleepSeconds = 20.0
    /// Interleaved pairs of bare and wrapped PyTorch trainings.
    var torchPairs = 3

    /// The running binary when it is `footprint` (not a test runner), else nil.
    static func selfExecutable() -> String? {
        var buffer = [CChar](repeating: 0, count: 4097)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        let path = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return (path as NSString).lastPathComponent == "footprint" ? path : nil
    }

    /// Runs every measurement.
    ///
    /// - Parameter progress: Called with a line before each part.
    /// - Returns: The rows, and notes on what was skipped and why.
    func run(progress: (String) -> Void = { _ in }) -> (rows: [BenchmarkRow], notes: [String]) {
        let directory = NSTemporaryDirectory() + "footprint-bench-wrap-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var environment = ProcessInfo.processInfo.environment
        environment["FOOTPRINT_DB"] = directory + "/bench.sqlite"
        func wrap(_ command: [String]) -> SubprocessCost {
            SubprocessCost(arguments: [executable, "wrap", "--"] + command, environment: environment)
        }
        var rows: [BenchmarkRow] = []
        var notes: [String] = []
        #if DEBUG
        notes.append("wrap overhead measured on a debug build: build with -c release for representative figures")
        #endif

        progress("tracking: wrap -- true, \(runs) runs")
        // The first run creates the store; it is not counted.
        _ = wrap(["true"]).run()
        let trues = (0..<runs).compactMap { _ in wrap(["true"]).run() }.filter { $0.exitStatus == 0 }
        guard !trues.isEmpty else {
            return ([], ["wrap overhead skipped: `\(executable) wrap -- true` did not run"])
        }
        let trueWall = BenchmarkTiming.median(trues.map(\.wallSeconds)) * 1000
        rows.append(
            BenchmarkRow(
                group: "tracking", name: "wrap -- true, wall", value: trueWall, unit: "ms", higherIsBetter: false, goal: "< 40 ms",
                goalMet: trueWall < 40,
                note: "median of \(trues.count) runs (min \(format((trues.map(\.wallSeconds).min() ?? 0) * 1000)) ms)"))
        let trueCPU = BenchmarkTiming.median(trues.map(\.cpuSeconds)) * 1000
        rows.append(
            BenchmarkRow(
                group: "tracking", name: "wrap -- true, CPU", value: trueCPU, unit: "ms", higherIsBetter: false,
                note: "median of \(trues.count) runs, user + system of footprint and its child"))

        progress("tracking: wrap -- sleep \(format(shortSleepSeconds)) and wrap -- sleep \(format(longSleepSeconds))")
        let early = 2.0
        let late = max(longSleepSeconds - 0.5, early + 0.5)
        let short = wrap(["sleep", format(shortSleepSeconds)]).run()
        let long = wrap(["sleep", format(longSleepSeconds)]).run(threadSnapshotsAt: [early, late])
        if let short, let long, short.exitStatus == 0, long.exitStatus == 0 {
            let share = (long.cpuSeconds - short.cpuSeconds) / (longSleepSeconds - shortSleepSeconds) * 100
            rows.append(
                BenchmarkRow(
                    group: "tracking", name: "wrap -- sleep: CPU per second of run (of one CPU)", value: share, unit: "%",
                    higherIsBetter: false, goal: "< 0.3%", goalMet: share < 0.3,
                    note:
                        "(CPU of wrap -- sleep \(format(longSleepSeconds)) − of sleep \(format(shortSleepSeconds))) ÷ \(format(longSleepSeconds - shortSleepSeconds)) s: \(format(long.cpuSeconds * 1000)) ms − \(format(short.cpuSeconds * 1000)) ms"
                ))
            if long.threadSnapshots.count == 2 {
                let threads = ["footprint-energ", "footprint-flush", "footprint-live", "footprint-event"]
                func total(_ snapshot: [String: Double]) -> Double {
                    snapshot.filter { name, _ in threads.contains { name.hasPrefix($0) } }.values.reduce(0, +)
                }
                let perSecond = (total(long.threadSnapshots[1]) - total(long.threadSnapshots[0])) / (late - early) * 100
                let names = long.threadSnapshots[1].keys.filter { name in threads.contains { name.hasPrefix($0) } }.sorted()
                let each = names.map { name in
                    let seconds = (long.threadSnapshots[1][name] ?? 0) - (long.threadSnapshots[0][name] ?? 0)
                    return "\(name) \(String(format: "%.3f", seconds / (late - early) * 100)) %"
                }
                rows.append(
                    BenchmarkRow(
                        group: "tracking", name: "sampler + flush threads: CPU per second (of one CPU)", value: perSecond, unit: "%",
                        higherIsBetter: false, goal: "< 0.3%", goalMet: perSecond < 0.3,
                        note:
                            "wrap -- sleep \(format(longSleepSeconds)), \(each.joined(separator: ", ")) from \(format(early)) s to \(format(late)) s (/proc/PID/task/*/schedstat); 1 s sampling"
                    ))
            }
        } else {
            notes.append("wrap -- sleep skipped: the wrapped sleep did not run")
        }

        let (torchRows, torchNotes) = runTorch(wrap: wrap, progress: progress)
        return (rows + torchRows, notes + torchNotes)
    }

    /// A few seconds of PyTorch training, bare and wrapped, in interleaved pairs.
    private func runTorch(wrap: ([String]) -> SubprocessCost, progress: (String) -> Void) -> (rows: [BenchmarkRow], notes: [String]) {
        guard let check = SubprocessCost(arguments: ["python3", "-c", "import torch"]).run(), check.exitStatus == 0 else {
            return ([], ["wrapped PyTorch skipped: torch is not installed (python3 -c 'import torch' failed)"])
        }
        progress("tracking: PyTorch training, bare and wrapped (\(torchPairs) interleaved pairs)")
        let script = """
            import torch
            torch.manual_seed(0)
            model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 10))
            optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
            x, y = torch.randn(128, 784), torch.randint(0, 10, (128,))
            for _ in range(3000):
                optimizer.zero_grad()
                torch.nn.functional.cross_entropy(model(x), y).backward()
                optimizer.step()
            """
        let command = ["python3", "-c", script]
        var bare: [SubprocessCost.Result] = []
        var wrapped: [SubprocessCost.Result] = []
        for _ in 0..<max(torchPairs, 1) {
            if let run = SubprocessCost(arguments: command).run(), run.exitStatus == 0 { bare.append(run) }
            if let run = wrap(command).run(), run.exitStatus == 0 { wrapped.append(run) }
        }
        guard !bare.isEmpty, !wrapped.isEmpty else { return ([], ["wrapped PyTorch skipped: the training script failed"]) }
        let bareWall = BenchmarkTiming.median(bare.map(\.wallSeconds))
        let bareCPU = BenchmarkTiming.median(bare.map(\.cpuSeconds))
        let wallOverhead = (BenchmarkTiming.median(wrapped.map(\.wallSeconds)) / bareWall - 1) * 100
        let cpuOverhead = (BenchmarkTiming.median(wrapped.map(\.cpuSeconds)) / max(bareCPU, 1e-9) - 1) * 100
        return (
            [
                BenchmarkRow(
                    group: "tracking", name: "wrapped PyTorch training, wall", value: wallOverhead, unit: "%", higherIsBetter: false,
                    note: "median of \(wrapped.count) interleaved pairs; bare \(format(bareWall)) s"),
                BenchmarkRow(
                    group: "tracking", name: "wrapped PyTorch training, CPU", value: cpuOverhead, unit: "%", higherIsBetter: false,
                    note: "median of \(wrapped.count) interleaved pairs; bare \(format(bareCPU)) CPU-s"),
            ], []
        )
    }

    private func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e6 ? String(Int(value)) : String(format: "%.3g", value)
    }
}
