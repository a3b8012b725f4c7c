#if canImport(Glibc)
import Glibc
#endif

/// Who is at the other end of a connection, as the kernel recorded it (`SO_PEERCRED`).
package struct PeerIdentity: Sendable, Equatable {
    package var uid: uid_t
    package var gid: gid_t
    package var pid: pid_t

    package init(uid: uid_t, gid: gid_t, pid: pid_t) {
        self.uid = uid
        self.gid = gid
        self.pid = pid
    }
}

/// Who may read the agent: everyone, or with `--allow-group NAME` root and the members of NAME
/// (the peer's primary group, or a supplementary group of its user from the group database).
package struct AgentAccess: Sendable {
    /// The group `--allow-group` names, with its id; nil lets every local user read.
    package let allowedGroup: (name: String, gid: gid_t)?

    /// Every local user may read.
    package static let everyone = AgentAccess(allowedGroup: nil)

    package init(allowedGroup: (name: String, gid: gid_t)?) {
        self.allowedGroup = allowedGroup
    }

    /// Looks the group up by name.
    ///
    /// - Parameter groupName: `--allow-group`'s value, or nil for everyone.
    /// - Throws: `AgentServerError.unknownGroup` when the group does not exist.
    package init(allowGroup groupName: String?) throws(AgentServerError) {
        guard let groupName else {
            self.init(allowedGroup: nil)
            return
        }
        guard let gid = Self.groupID(named: groupName) else { throw AgentServerError.unknownGroup(name: groupName) }
        self.init(allowedGroup: (groupName, gid))
    }

    /// Why `peer` may not read, in words for the client and the log; nil when it may.
    ///
    /// - Parameters:
    ///   - peer: The connecting process.
    ///   - userName: Its user's name, when the user database knows the uid.
    ///   - supplementaryGroups: The groups of that user (`getgrouplist`).
    /// - Returns: The refusal, naming the user, the rule and what to do; nil when allowed.
    package func refusal(of peer: PeerIdentity, userName: String?, supplementaryGroups: [gid_t]) -> String? {
        guard let allowedGroup, peer.uid != 0 else { return nil }
        if peer.gid == allowedGroup.gid || supplementaryGroups.contains(allowedGroup.gid) { return nil }
        let who = userName.map { "\($0) (uid \(peer.uid))" } ?? "uid \(peer.uid)"
        let user = userName ?? "uid \(peer.uid)"
        return "footprint agent refused \(who), process \(peer.pid): only root and members of group '\(allowedGroup.name)' "
            + "may read this node's energy counters (footprint agent --allow-group \(allowedGroup.name)). "
            + "Ask the node's administrator to add \(user) to \(allowedGroup.name) (`usermod -aG \(allowedGroup.name) \(user)`), "
            + "then start a new login session; until then Footprint falls back to its estimate."
    }

    /// The name of user `uid`, nil when the user database has none.
    package static func userName(of uid: uid_t) -> String? {
        var entry = passwd()
        var buffer = [CChar](repeating: 0, count: 4096)
        var result: UnsafeMutablePointer<passwd>?
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil, let name = entry.pw_name else { return nil }
        return String(cString: name)
    }

    /// Every group of user `name` whose primary group is `gid`, from the group database.
    package static func groups(ofUser name: String, primaryGroup gid: gid_t) -> [gid_t] {
        var capacity: Int32 = 64
        while capacity <= 65_536 {
            var groups = [gid_t](repeating: 0, count: Int(capacity))
            var count = capacity
            if getgrouplist(name, gid, &groups, &count) >= 0 { return Array(groups.prefix(Int(count))) }
            // -1: too small; `count` now holds the number needed.
            capacity = max(count, capacity * 2)
        }
        return [gid]
    }

    /// The id of group `name`, nil when there is none.
    static func groupID(named name: String) -> gid_t? {
        var entry = group()
        var buffer = [CChar](repeating: 0, count: 16_384)
        var result: UnsafeMutablePointer<group>?
        guard getgrnam_r(name, &entry, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return entry.gr_gid
    }
}
