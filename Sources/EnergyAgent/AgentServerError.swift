#if canImport(Glibc)
import Glibc
#endif

/// What can stop `footprint agent` from serving, with what to do about it.
package enum AgentServerError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A Unix socket path holds at most 107 bytes (`sun_path` is 108 with its NUL).
    case socketPathTooLong(path: String, bytes: Int)
    /// Another agent answers on the socket already.
    case socketInUse(path: String)
    /// Something that is not a socket is at the socket's path; it is never removed.
    case notASocket(path: String)
    /// The socket's directory could let another user replace the socket.
    case unsafeSocketDirectory(path: String, reason: String)
    /// A system call failed on the socket or its directory.
    case systemCall(call: String, path: String, errorNumber: Int32)
    /// `--allow-group` names a group this machine does not know.
    case unknownGroup(name: String)
    /// The group database could not say whether `--allow-group`'s group exists.
    case groupLookupFailed(name: String, errorNumber: Int32)

    package var description: String {
        switch self {
        case let .socketPathTooLong(path, bytes):
            return "The socket path \(path) is \(bytes) bytes; a Unix socket path holds at most \(AgentSocket.maximumPathBytes). "
                + "Choose a shorter --socket (or FOOTPRINT_AGENT_SOCKET)."
        case let .socketInUse(path):
            return "Another footprint agent already answers on \(path). Stop it first (`systemctl stop footprint-agent`), "
                + "or give this one another --socket."
        case let .notASocket(path):
            return "\(path) exists and is not a socket; footprint agent will not remove it. "
                + "Remove it yourself or choose another --socket."
        case let .unsafeSocketDirectory(path, reason):
            return "The socket directory \(path) is not safe: \(reason), so another user could replace the agent's socket. "
                + "Choose a --socket in a directory of its own that only the agent's user (root) may write: the default "
                + "/run/footprint is created 0755. If \(path) is such a directory, fix it: `chown root \(path) && chmod 0755 \(path)`."
        case let .systemCall(call, path, errorNumber):
            var text = "\(call) failed for \(path): \(String(cString: strerror(errorNumber))) (errno \(errorNumber))."
            if errorNumber == EACCES || errorNumber == EPERM || errorNumber == EROFS {
                text += " Run footprint agent as root, or choose a --socket in a directory it may write."
            }
            return text
        case let .unknownGroup(name):
            return "--allow-group \(name): no such group on this machine. Create it (`groupadd \(name)`), name an existing one, "
                + "or give a numeric group id."
        case let .groupLookupFailed(name, errorNumber):
            return "--allow-group \(name): the group database could not be read (\(String(cString: strerror(errorNumber))), "
                + "errno \(errorNumber)). Check /etc/nsswitch.conf and the directory service (sssd, LDAP), "
                + "or give the group's numeric id (`getent group \(name)`)."
        }
    }
}
