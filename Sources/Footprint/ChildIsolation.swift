import CProcessSpawn
import Foundation
import RunStore

/// What a wrapped program inherits from Footprint: its standard streams and a scrubbed
/// environment, nothing else.
///
/// A wrapped program is untrusted. Footprint holds an authenticated PostgreSQL session, NIO's
/// epoll and event descriptors, the metrics listener and the FIFO's read end while the child
/// runs; none of them is close-on-exec by default in the libraries that open them, and through
/// an inherited PostgreSQL socket a child without credentials could run SQL as the run's
/// database user, or a backgrounded grandchild could keep the metrics port bound after
/// Footprint exits. So every descriptor from 3 up is closed in the child, and the password
/// that opened the store is not passed on.
enum ChildIsolation {
    /// Environment variables that carry a secret of the store's and are not passed on.
    static let withheldVariables: Set<String> = ["PGPASSWORD"]

    /// The child's environment: the parent's, less `PGPASSWORD`, with `FOOTPRINT_DB` stripped
    /// of any password (a nested `footprint` still finds the store and may authenticate with
    /// `~/.pgpass`), plus the run's own variables.
    ///
    /// - Parameters:
    ///   - parent: The environment Footprint was started with.
    ///   - added: Variables for the child (`FOOTPRINT_RUN_ID`, `FOOTPRINT_EVENTS`).
    /// - Returns: What the child is started with.
    static func environment(from parent: [String: String], adding added: [String: String]) -> [String: String] {
        var environment = parent.filter { !withheldVariables.contains($0.key) }
        if let store = environment["FOOTPRINT_DB"] { environment["FOOTPRINT_DB"] = RunStoreLocation.removingPassword(from: store) }
        environment.merge(added) { _, new in new }
        return environment
    }

    /// Adds to `actions` the closing of every descriptor from 3 up in the child. Where the C
    /// library has no such action (glibc before 2.34), marks every open descriptor from 3 up
    /// close-on-exec instead, which covers all but one opened by another thread in between.
    static func closeInheritedDescriptors(in actions: inout posix_spawn_file_actions_t) {
        guard footprint_spawn_close_from(&actions, 3) != 0 else { return }
        let listed = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in listed.compactMap(Int32.init) where descriptor >= 3 {
            let flags = fcntl(descriptor, F_GETFD)
            if flags >= 0 { _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC) }
        }
    }
}
