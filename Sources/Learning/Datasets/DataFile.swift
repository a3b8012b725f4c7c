#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a user's data file whole, turning every way the read can fail into a
/// `LearningError.malformedFile` that names the file and says what to do.
///
/// It refuses anything that is not a regular file before reading, so a path to a directory,
/// a FIFO or `/dev/zero` ends in a message instead of a hang or an exhausted memory.
enum DataFile {
    /// The location reported for failures that happen before any byte is parsed.
    static let openLocation = "open"

    /// The bytes of the regular file at `path`.
    ///
    /// - Throws: `LearningError.malformedFile` when the file is missing, unreadable, not a
    ///   regular file or changes size while being read.
    static func read(path: String) throws(LearningError) -> [UInt8] {
        // O_NONBLOCK so that opening a FIFO without a writer returns at once; it has no effect
        // on reads of regular files, the only kind read below.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            let hint = code == ENOENT ? "; check the path (relative paths start from the current directory)" : ""
            throw .malformedFile(path: path, location: openLocation, problem: "cannot open the file: \(errorText(code))\(hint)")
        }
        defer { close(descriptor) }

        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw .malformedFile(path: path, location: openLocation, problem: "cannot inspect the file: \(errorText(errno))")
        }
        let kind = status.st_mode & S_IFMT
        guard kind == S_IFREG else {
            let what = kind == S_IFDIR ? "a directory" : "not a regular file"
            throw .malformedFile(path: path, location: openLocation, problem: "the path is \(what); give the path of a data file")
        }
        let size = Int(status.st_size)
        guard size > 0 else { return [] }

        var failure: Int32 = 0
        var shortRead = false
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var offset = 0
            while offset < size {
                let count = systemRead(descriptor, buffer.baseAddress! + offset, size - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    break
                }
                if count == 0 {
                    shortRead = true
                    break
                }
                offset += count
            }
            initialized = offset
        }
        if failure != 0 {
            throw .malformedFile(path: path, location: "byte \(bytes.count)", problem: "reading failed: \(errorText(failure))")
        }
        if shortRead {
            throw .malformedFile(
                path: path, location: "byte \(bytes.count)",
                problem: "the file shrank from \(size) bytes while it was being read; read it again once nothing writes to it")
        }
        return bytes
    }

    /// Whether `path` names a regular file (following symbolic links).
    static func isRegularFile(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFREG
    }

    private static func errorText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}

/// `read(2)`, reached from file scope because inside `DataFile` the name `read` means `read(path:)`.
@inline(__always)
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
