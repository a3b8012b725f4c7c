import Energy
import Foundation

/// Many clients of one `footprint agent` at once, each on its own thread and connection
/// (the connection the `agent` meter uses, with its timeouts), for load and latency tests.
public enum AgentLoad {
    /// What one client saw.
    public struct ClientTotal: Sendable {
        /// Microjoules each zone counted between the client's first and last reading.
        public var microjoules: [UInt64] = []
        /// The agent's clock between those readings.
        public var seconds = 0.0
        public var reads = 0
        /// Seconds from sending `read` to having the reading, per read.
        public var meanLatencySeconds = 0.0
        public var maximumLatencySeconds = 0.0
        /// What went wrong, if anything.
        public var failure: String?
    }

    /// Runs `clients` clients against the agent at `path` for `seconds`, each reading every
    /// `intervalSeconds`.
    public static func run(path: String, clients: Int, seconds: Double, intervalSeconds: Double) -> [ClientTotal] {
        let results = Results(count: clients)
        let group = DispatchGroup()
        for index in 0..<clients {
            group.enter()
            Thread {
                results.set(index, client(path: path, seconds: seconds, intervalSeconds: intervalSeconds))
                group.leave()
            }.start()
        }
        group.wait()
        return results.all
    }

    private static func client(path: String, seconds: Double, intervalSeconds: Double) -> ClientTotal {
        var total = ClientTotal()
        do {
            let connection = try AgentConnection(path: path)
            let end = AgentConnection.now() + seconds
            var first: AgentWire.Reading?
            var last: AgentWire.Reading?
            var latencySum = 0.0
            while AgentConnection.now() < end {
                let begin = AgentConnection.now()
                let reading = try connection.read(deadline: begin + AgentConnection.timeoutSeconds)
                let latency = AgentConnection.now() - begin
                latencySum += latency
                total.maximumLatencySeconds = max(total.maximumLatencySeconds, latency)
                total.reads += 1
                if first == nil { first = reading }
                last = reading
                Thread.sleep(forTimeInterval: intervalSeconds)
            }
            if let first, let last {
                total.microjoules = zip(first.microjoules, last.microjoules).map { $1 >= $0 ? $1 - $0 : 0 }
                total.seconds = last.seconds - first.seconds
            }
            total.meanLatencySeconds = latencySum / Double(max(total.reads, 1))
        } catch {
            total.failure = error.reason
        }
        return total
    }

    /// The clients' results, written from their threads.
    private final class Results: @unchecked Sendable {
        // @unchecked: `totals` is only touched under `lock`.
        private let lock = NSLock()
        private var totals: [ClientTotal]

        init(count: Int) { totals = Array(repeating: ClientTotal(), count: count) }

        func set(_ index: Int, _ total: ClientTotal) { lock.withLock { totals[index] = total } }

        var all: [ClientTotal] { lock.withLock { totals } }
    }
}
