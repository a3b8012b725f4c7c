import Foundation

/// Builds the C stub libraries under `Tests/Stubs` (a fake NVML, a fake AMD SMI) so the GPU
/// meters can load something that answers like the vendors' libraries on a machine without GPUs.
///
/// Each scenario is a set of `-D` defines (`GPU_WATTS={250.0,100.0}`, `NO_ENERGY_FUNCTION` …);
/// a library is compiled once per stub and defines, with `cc -shared -fPIC -O1`, into a
/// directory under the temporary directory, and reused by later tests of the process.
public enum StubLibrary {
    /// The stubs there are.
    public enum Stub: String, Sendable {
        case nvml = "nvml_stub"
        case amdsmi = "amdsmi_stub"
    }

    /// Why a stub could not be built.
    public struct BuildError: Error, CustomStringConvertible {
        public let description: String
    }

    private static let lock = NSLock()

    /// Compiles `stub` with `defines` (each without the `-D`) unless that build exists.
    ///
    /// - Parameters:
    ///   - stub: Which library.
    ///   - defines: The scenario, e.g. `["GPU_WATTS={250.0,100.0}", "INIT_FAILS"]`.
    /// - Returns: The path of the shared library, for `dlopen`.
    /// - Throws: `BuildError` when the source is missing, no C compiler is on the PATH, or the
    ///   compiler fails (its output is in the message).
    public static func build(_ stub: Stub, defines: [String] = []) throws -> String {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Stubs").appendingPathComponent(stub.rawValue + ".c")
        guard let text = try? Data(contentsOf: source) else {
            throw BuildError(description: "The stub source \(source.path) could not be read; it ships with the repository's tests.")
        }
        let arguments = defines.map { "-D" + $0 }
        let key = fingerprint(text + Data((stub.rawValue + "\u{0}" + arguments.joined(separator: "\u{0}")).utf8))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("footprint-stubs-\(getuid())")
        let library = directory.appendingPathComponent("\(stub.rawValue)-\(key).so")
        return try lock.withLock {
            if FileManager.default.fileExists(atPath: library.path) { return library.path }
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            guard let compiler = findCompiler() else {
                throw BuildError(
                    description:
                        "No C compiler (cc, gcc or clang) on the PATH: the GPU stub tests build \(stub.rawValue).c with one; install build-essential (Debian) or clang."
                )
            }
            // Built under a private name and renamed into place, so another test process never loads half a file.
            let partial = directory.appendingPathComponent("\(stub.rawValue)-\(key).\(getpid()).partial.so")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: compiler)
            process.arguments = ["-shared", "-fPIC", "-O1", "-Wall"] + arguments + ["-o", partial.path, source.path]
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = errors
            try process.run()
            let output = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                try? FileManager.default.removeItem(at: partial)
                throw BuildError(
                    description:
                        "\(compiler) could not build \(source.lastPathComponent) with \(arguments.joined(separator: " ")): \(String(decoding: output, as: UTF8.self))"
                )
            }
            if rename(partial.path, library.path) != 0 {
                throw BuildError(description: "\(partial.path) could not be renamed to \(library.path): errno \(errno)")
            }
            return library.path
        }
    }

    private static func findCompiler() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in ["cc", "gcc", "clang"] {
            for directory in path.split(separator: ":") {
                let candidate = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    /// FNV-1a, 64 bits, in hex: a name for a source and its defines.
    private static func fingerprint(_ data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
