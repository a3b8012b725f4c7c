import Energy
import Foundation

/// The agent's JSON lines, encoded once each: readings by hand (the hot path, a few hundred
/// bytes each), everything else with `JSONEncoder`.
enum AgentLines {
    static func hello(_ hello: AgentWire.Hello) -> [UInt8] {
        encode(AgentWire.Message(hello: hello))
    }

    static func error(_ text: String) -> [UInt8] {
        encode(AgentWire.Message(error: text))
    }

    /// `{"reading":{…}}` and a newline, decodable as an `AgentWire.Message`.
    static func reading(_ reading: AgentWire.Reading) -> [UInt8] {
        var text = "{\"reading\":{\"seconds\":"
        text += reading.seconds.isFinite ? "\(reading.seconds)" : "0"
        text += ",\"microjoules\":["
        text += reading.microjoules.map(String.init).joined(separator: ",")
        text += "],\"bridgedMicrojoules\":["
        text += reading.bridgedMicrojoules.map(String.init).joined(separator: ",")
        text += "],\"unreadable\":["
        text += reading.unreadable.map { $0 ? "true" : "false" }.joined(separator: ",")
        text += "]}}\n"
        return Array(text.utf8)
    }

    private static func encode(_ message: AgentWire.Message) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(message)) ?? Data("{\"error\":\"footprint agent could not encode its answer\"}".utf8)
        return Array(data) + [UInt8(ascii: "\n")]
    }
}
