import Foundation
import FootprintMetrics
import FootprintTestKit
import Testing

/// `--metrics-port`, `--pushgateway` and their errors, through the built binary, with a fixture
/// RAPL zone drawing a steady 20 W so the energy is known to grow.
@Suite(.serialized) struct LiveMetricsCommandTests {
    /// A fixture machine with one package zone and the writer that moves its counter.
    final class Meter {
        let machine: FixtureMachine
        let writer: ConstantPowerWriter

        init(watts: Double = 20) throws {
            machine = try FixtureMachine()
            try machine.addZone("intel-rapl:0", name: "package-0")
            writer = ConstantPowerWriter(machine: machine, zoneID: "intel-rapl:0", watts: watts, rangeMicrojoules: 262_143_328_850)
            writer.start()
        }

        deinit { _ = writer.stop() }

        var environment: [String: String] {
            ["FOOTPRINT_POWERCAP_ROOT": machine.root + "/sys/class/powercap", "FOOTPRINT_METERS": "rapl"]
        }
    }

    /// Reads `pipe` until the `metrics at http://ADDRESS:PORT/metrics` line; returns the port.
    static func metricsPort(from pipe: Pipe, seconds: Double) -> Int? {
        let descriptor = pipe.fileHandleForReading.fileDescriptor
        let deadline = Date().addingTimeInterval(seconds)
        var seen = ""
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&request, 1, 100) > 0 else { continue }
            let count = read(descriptor, &buffer, buffer.count)
            guard count > 0 else { return nil }
            seen += String(decoding: buffer[0..<count], as: UTF8.self)
            if let match = seen.firstMatch(of: /metrics at http:\/\/127\.0\.0\.1:(\d+)\/metrics\n/) { return Int(match.1) }
        }
        return nil
    }

    @Test func wrapServesGrowingEnergyAndRunInfoWhileTheRunLasts() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let meter = try Meter()
        let (process, _, error) = binary.process(
            ["wrap", "--metrics-port", "0", "--", "sleep", "3"], in: directory, environment: meter.environment)
        try process.run()
        defer { _ = FootprintBinary.waitForExit(process, seconds: 30) }
        let port = try #require(Self.metricsPort(from: error, seconds: 10), "no 'metrics at' line on stderr")

        var energy: [Double] = []
        var text: ExpositionScrape?
        let found = FootprintBinary.waitUntil(seconds: 2.8, unless: { !process.isRunning }) {
            guard let scrape = try? ExpositionScrape(port: port) else { return false }
            text = scrape
            if let joules = scrape.value(of: "footprint_energy_joules_total") { energy.append(joules) }
            return energy.count >= 2 && energy.last! > energy.first! && scrape.text.contains("footprint_run_info{")
        }
        #expect(found, "the scrapes during the run showed energy \(energy); last text:\n\(text?.text ?? "none")")
        #expect(energy.allSatisfy { $0 > 0 })
        let info = try #require(text?.text.split(separator: "\n").first { $0.hasPrefix("footprint_run_info{") })
        #expect(info.contains("name=\"sleep 3\"") && info.contains("provenance=\"measured\"") && info.hasSuffix(" 1.0"))
        #expect(text?.text.contains("meter=\"rapl\",zone=\"package-0\"") == true)

        #expect(FootprintBinary.waitForExit(process, seconds: 30))
        #expect(process.terminationStatus == 0)
        // The endpoint ends with the command.
        #expect(throws: HTTPProbe.Failure.self) { try HTTPProbe.request(path: "/metrics", port: port) }
    }

    @Test func aPortInUseStopsTheCommandBeforeAnyRunWithAClearMessage() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let taken = try MetricsServer.start(port: 0, metrics: RunMetrics())
        defer { taken.shutdown() }
        let outcome = try binary.run(["wrap", "--metrics-port", String(taken.port), "--", "true"], in: directory)
        #expect(outcome.status == 1)
        #expect(outcome.standardError.contains("port \(taken.port)") && outcome.standardError.contains("already in use"))
        #expect(outcome.standardError.contains("--metrics-port 0"))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("footprint.sqlite").path), "a run was recorded")
    }

    @Test(arguments: [
        (["--metrics-port", "70000"], "--metrics-port must be between 0 and 65535"),
        (["--metrics-port=-1"], "--metrics-port must be between 0 and 65535"),
        (["--metrics-address", "0.0.0.0"], "--metrics-address needs --metrics-port"),
        (["--metrics-port", "0", "--metrics-address", "example.com"], "must be an IP address"),
        (["--pushgateway", "https://gw:9091"], "only http is supported"),
        (["--pushgateway", "gw:9091"], "--pushgateway 'gw:9091' is not usable"),
        (["--push-interval", "5"], "--push-interval needs --pushgateway"),
        (["--pushgateway", "http://gw:9091", "--push-interval", "0"], "--push-interval must be between"),
    ])
    func badMetricsFlagsAreUsageErrors(_ flags: [String], _ message: String) throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        for command in ["wrap", "train"] {
            let arguments = [command] + flags + (command == "wrap" ? ["--", "true"] : [])
            let outcome = try binary.run(arguments, in: directory)
            #expect(outcome.status == 64, "\(arguments): \(outcome.standardError)")
            #expect(outcome.standardError.contains(message), "\(arguments): \(outcome.standardError)")
        }
    }

    @Test func helpDescribesTheLiveMetricsFlags() throws {
        let outcome = try FootprintBinary.locate().run(["wrap", "--help"], in: FootprintBinary.scratchDirectory())
        for flag in ["--metrics-port <port>", "--metrics-address <ip>", "--pushgateway <url>", "--push-interval <s>"] {
            #expect(outcome.standardOutput.contains(flag), "\(flag) missing from wrap --help")
        }
    }
}

/// One scrape of a `/metrics` endpoint.
struct ExpositionScrape {
    var text: String

    init(port: Int) throws {
        let response = try HTTPProbe.request(path: "/metrics", port: port, timeoutSeconds: 2)
        guard response.status == 200 else { throw HTTPProbe.Failure(description: "status \(response.status)") }
        text = response.body
    }

    /// The sum of every sample of `name` (all zones), or nil when there is none.
    func value(of name: String) -> Double? {
        let values = text.split(separator: "\n").filter { $0.hasPrefix(name + "{") }.compactMap { line in
            line.split(separator: " ").last.flatMap { Double($0) }
        }
        return values.isEmpty ? nil : values.reduce(0, +)
    }

    /// The value of `label` on the first sample of `name`.
    func label(_ label: String, of name: String) -> String? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + "{") }),
            let range = line.range(of: label + "=\"")
        else { return nil }
        return line[range.upperBound...].split(separator: "\"", maxSplits: 1).first.map(String.init)
    }
}
