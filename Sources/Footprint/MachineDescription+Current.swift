import Energy
import Foundation
import Vocabulary

extension MachineDescription {
    /// This machine's description: uname, /etc/os-release and /proc/cpuinfo (read through the
    /// same `SystemFiles` seam as the meters) and physical memory. Every field is set.
    package static func current() -> MachineDescription {
        current(files: SystemFiles())
    }

    /// A machine's description with its files under `files.root` (a fixture in tests).
    package static func current(files: SystemFiles) -> MachineDescription {
        var names = utsname()
        uname(&names)
        func string<T>(_ field: T) -> String {
            withUnsafeBytes(of: field) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
        }
        let info = ProcessInfo.processInfo
        return MachineDescription(
            operatingSystem: prettyOperatingSystem(files: files) ?? string(names.sysname),
            kernel: "\(string(names.sysname)) \(string(names.release))",
            cpuModel: cpuModelName(files: files) ?? string(names.machine),
            cpuCount: info.activeProcessorCount,
            memoryBytes: Int64(info.physicalMemory))
    }

    static func prettyOperatingSystem(files: SystemFiles) -> String? {
        guard let text = try? files.readString("/etc/os-release") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
            return line.dropFirst("PRETTY_NAME=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }

    static func cpuModelName(files: SystemFiles) -> String? {
        guard let text = try? files.readString("/proc/cpuinfo") else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") {
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    /// The commit checked out in `directory` or a parent, read from `.git` without running git
    /// (stored with the run beside the machine).
    static func gitCommit(in directory: String = FileManager.default.currentDirectoryPath) -> String? {
        var url = URL(fileURLWithPath: directory)
        for _ in 0..<32 {
            let gitDirectory = url.appendingPathComponent(".git")
            if let head = try? String(contentsOf: gitDirectory.appendingPathComponent("HEAD"), encoding: .utf8) {
                let trimmed = head.trimmingCharacters(in: .whitespacesAndNewlines)
                guard trimmed.hasPrefix("ref: ") else { return trimmed.isEmpty ? nil : trimmed }
                let reference = String(trimmed.dropFirst(5))
                if let commit = try? String(contentsOf: gitDirectory.appendingPathComponent(reference), encoding: .utf8) {
                    return commit.trimmingCharacters(in: .whitespacesAndNewlines)
                }
                if let packed = try? String(contentsOf: gitDirectory.appendingPathComponent("packed-refs"), encoding: .utf8) {
                    for line in packed.split(separator: "\n") where line.hasSuffix(" " + reference) {
                        return String(line.prefix { $0 != " " })
                    }
                }
                return nil  // a repository with no commit yet
            }
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { break }
            url = parent
        }
        return nil
    }
}
