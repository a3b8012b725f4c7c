#if canImport(Glibc)
import Glibc
#endif

/// The agent's listening Unix socket: made world-connectable (0666) in a directory created
/// 0755 when missing, replacing a stale socket file but never a live agent's, and removed on
/// close only while it is still the file this agent made.
///
/// The directory must be a real directory (not a symbolic link) owned by the agent's user and
/// writable by nobody else: anyone who could write it could swap the socket for their own
/// between the agent's calls.
struct AgentSocket {
    /// `sun_path` is 108 bytes, one of them the terminating NUL.
    static let maximumPathBytes = 107
    let path: String
    let descriptor: Int32
    /// The file's device and inode after binding, so close removes ours only.
    private let fileID: (device: UInt64, inode: UInt64)?

    /// Creates, binds and listens.
    ///
    /// - Throws: `AgentServerError` for a path too long, a live agent on it, a non-socket file
    ///   there, or a failing system call.
    init(path: String, backlog: Int32 = 128) throws(AgentServerError) {
        let bytes = path.utf8.count
        guard bytes <= Self.maximumPathBytes else { throw AgentServerError.socketPathTooLong(path: path, bytes: bytes) }
        guard !path.isEmpty, !path.utf8.contains(0) else {
            throw AgentServerError.systemCall(call: "bind", path: path, errorNumber: EINVAL)
        }
        try Self.makeDirectory(Self.parent(of: path))
        try Self.removeStale(path)
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw AgentServerError.systemCall(call: "socket", path: path, errorNumber: errno) }
        var address = Self.address(path)
        // Any local process may connect; who may read is decided per connection (SO_PEERCRED).
        // The mode comes from the umask at bind (0777 less 0111): a chmod by path afterwards
        // would follow whatever the path names by then. The umask is the process's: the agent
        // binds before it starts any thread that creates files.
        let previousMask = umask(0o111)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        let bindError = errno
        umask(previousMask)
        guard bound == 0 else {
            let error = bindError
            Glibc.close(descriptor)
            throw error == EADDRINUSE
                ? AgentServerError.socketInUse(path: path) : AgentServerError.systemCall(call: "bind", path: path, errorNumber: error)
        }
        guard listen(descriptor, backlog) == 0 else {
            let error = errno
            Glibc.close(descriptor)
            unlink(path)
            throw AgentServerError.systemCall(call: "listen", path: path, errorNumber: error)
        }
        var info = stat()
        fileID = lstat(path, &info) == 0 ? (UInt64(info.st_dev), UInt64(info.st_ino)) : nil
        self.path = path
        self.descriptor = descriptor
    }

    /// Closes the socket and removes its file if it is still the one bound here.
    func close() {
        Glibc.close(descriptor)
        var info = stat()
        guard let fileID, lstat(path, &info) == 0, UInt64(info.st_dev) == fileID.device, UInt64(info.st_ino) == fileID.inode else { return }
        unlink(path)
    }

    static func address(_ path: String) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.prefix(maximumPathBytes).enumerated() { raw[index] = byte }
        }
        return address
    }

    private static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let parent = String(path[..<slash])
        return parent.isEmpty ? "/" : parent
    }

    /// Creates `directory` and missing parents, each 0755 whatever the umask, and checks that
    /// `directory` is safe to hold the socket.
    private static func makeDirectory(_ directory: String) throws(AgentServerError) {
        var info = stat()
        if lstat(directory, &info) != 0 {
            try createDirectory(directory)
            guard lstat(directory, &info) == 0 else {
                throw AgentServerError.systemCall(call: "lstat", path: directory, errorNumber: errno)
            }
        }
        try checkSafe(directory, info)
    }

    private static func createDirectory(_ directory: String) throws(AgentServerError) {
        var info = stat()
        if stat(directory, &info) == 0 { return }
        let parent = parent(of: directory)
        if parent != directory { try createDirectory(parent) }
        guard mkdir(directory, 0o755) == 0 || errno == EEXIST else {
            throw AgentServerError.systemCall(call: "mkdir", path: directory, errorNumber: errno)
        }
        chmod(directory, 0o755)
    }

    /// Refuses a socket directory that is a symbolic link, not a directory, owned by another
    /// user, or writable by its group or others.
    private static func checkSafe(_ directory: String, _ info: stat) throws(AgentServerError) {
        let type = info.st_mode & S_IFMT
        if type == S_IFLNK {
            throw AgentServerError.unsafeSocketDirectory(path: directory, reason: "it is a symbolic link")
        }
        guard type == S_IFDIR else {
            throw AgentServerError.systemCall(call: "mkdir", path: directory, errorNumber: ENOTDIR)
        }
        let owner = geteuid()
        if info.st_uid != owner {
            throw AgentServerError.unsafeSocketDirectory(
                path: directory, reason: "it is owned by uid \(info.st_uid), not by uid \(owner) that runs the agent")
        }
        if info.st_mode & 0o022 != 0 {
            let mode = String(info.st_mode & 0o7777, radix: 8)
            throw AgentServerError.unsafeSocketDirectory(
                path: directory, reason: "its group or other users may write it (mode 0\(mode))")
        }
    }

    /// Removes a socket file nobody answers on; refuses a live one and anything not a socket.
    private static func removeStale(_ path: String) throws(AgentServerError) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFSOCK else { throw AgentServerError.notASocket(path: path) }
        if answers(path) { throw AgentServerError.socketInUse(path: path) }
        guard unlink(path) == 0 || errno == ENOENT else {
            throw AgentServerError.systemCall(call: "unlink (stale socket)", path: path, errorNumber: errno)
        }
    }

    /// Whether something accepts connections on `path` now, waiting at most `timeoutSeconds`.
    ///
    /// The probe never blocks: a live listener whose backlog is full would hold a blocking
    /// connect forever, and it counts as alive.
    static func answers(_ path: String, timeoutSeconds: Double = 1) -> Bool {
        let probe = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard probe >= 0 else { return false }
        defer { Glibc.close(probe) }
        var address = address(path)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(probe, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if connected == 0 { return true }
        switch errno {
        // AF_UNIX: a live listener whose backlog is full.
        case EAGAIN: return true
        case EINPROGRESS:
            var entry = pollfd(fd: probe, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&entry, 1, Int32(timeoutSeconds * 1000))
            // Still pending after the wait: something holds the socket; never remove it.
            guard ready > 0 else { return true }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(probe, SOL_SOCKET, SO_ERROR, &error, &length) == 0 else { return true }
            return error == 0 || error == EAGAIN
        default: return false
        }
    }
}
