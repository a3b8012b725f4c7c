import Foundation
import Testing

/// The Prometheus text format parsed back, for assertions: each sample's name, labels and
/// value, and each family's TYPE and HELP.
struct ExpositionText {
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    var samples: [Sample] = []
    var types: [String: String] = [:]
    var helps: [String: String] = [:]

    init(_ text: String) throws {
        for line in text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) {
            if line.hasPrefix("# TYPE ") {
                let parts = line.dropFirst(7).split(separator: " ")
                types[String(parts[0])] = String(parts[1])
            } else if line.hasPrefix("# HELP ") {
                let rest = line.dropFirst(7)
                let space = try #require(rest.firstIndex(of: " "))
                helps[String(rest[..<space])] = String(rest[rest.index(after: space)...])
            } else if !line.hasPrefix("#") {
                samples.append(try Self.sample(line))
            }
        }
    }

    /// `name{a="x",b="y"} 1.5`; label values unescaped.
    private static func sample(_ line: String) throws -> Sample {
        var labels: [String: String] = [:]
        let name: String
        let rest: Substring
        if let brace = line.firstIndex(of: "{") {
            name = String(line[..<brace])
            var index = line.index(after: brace)
            while line[index] != "}" {
                let equals = try #require(line[index...].firstIndex(of: "="))
                let key = String(line[index..<equals])
                index = line.index(equals, offsetBy: 2)  // past ="
                var value = ""
                while line[index] != "\"" {
                    if line[index] == "\\" {
                        index = line.index(after: index)
                        value.append(line[index] == "n" ? "\n" : line[index])
                    } else {
                        value.append(line[index])
                    }
                    index = line.index(after: index)
                }
                labels[key] = value
                index = line.index(after: index)
                if line[index] == "," { index = line.index(after: index) }
            }
            rest = line[line.index(after: index)...]
        } else {
            let space = try #require(line.firstIndex(of: " "))
            name = String(line[..<space])
            rest = line[space...]
        }
        let value = try #require(Double(rest.trimmingCharacters(in: .whitespaces)), "value of \(line)")
        return Sample(name: name, labels: labels, value: value)
    }

    func samples(named name: String) -> [Sample] { samples.filter { $0.name == name } }

    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { sample in sample.name == name && labels.allSatisfy { key, value in sample.labels[key] == value } }?.value
    }
}
