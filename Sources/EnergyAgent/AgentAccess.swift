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

    /// Looks the group up by name, or takes a numeric group id.
    ///
    /// - Parameter groupName: `--allow-group`'s value (a group name, or a gid such as `1234`),
    ///   or nil for everyone.
    /// - Throws: `AgentServerError.unknownGroup` when no group has that name (and it is not a
    ///   number), `.groupLookupFailed` when the group database could not be read.
    package init(allowGroup groupName: String?) throws(AgentServerError) {
        guard let groupName else {
            self.init(allowedGroup: nil)
            return
        }
        switch Self.groupID(named: groupName) {
        case .found(let gid):
            self.init(allowedGroup: (groupName, gid))
        case .failed(let errorNumber):
            throw AgentServerError.groupLookupFailed(name: groupName, errorNumber: errorNumber)
        case .absent:
            // A gid with no entry in the group database still admits the processes that hold it.
            guard !groupName.isEmpty, groupName.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                let gid = gid_t(groupName)
            else { throw AgentServerError.unknownGroup(name: groupName) }
            if case .found(let name) = Self.groupName(of: gid) {
                self.init(allowedGroup: (name, gid))
            } else {
                self.init(allowedGroup: (groupName, gid))
            }
        }
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

    /// The name of user `uid`, nil when the user database has none or cannot be read.
    ///
    /// - Parameters:
    ///   - uid: The user id.
    ///   - initialBufferBytes: The first buffer tried; it doubles while too small, up to 1 MiB.
    package static func userName(of uid: uid_t, initialBufferBytes: Int = 4096) -> String? {
        let lookup = lookUp(initialBufferBytes: initialBufferBytes) { buffer, bufferBytes -> (Int32, String?) in
            var entry = passwd()
            var result: UnsafeMutablePointer<passwd>?
            let status = getpwuid_r(uid, &entry, buffer, bufferBytes, &result)
            return (status, result == nil ? nil : entry.pw_name.map { String(cString: $0) })
        }
        guard case .found(let name) = lookup else { return nil }
        return name
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

    /// The id of group `name`.
    ///
    /// - Parameters:
    ///   - name: The group's name.
    ///   - initialBufferBytes: The first buffer tried; it doubles while too small (a group of
    ///     thousands of members lists them all), up to 1 MiB.
    package static func groupID(named name: String, initialBufferBytes: Int = 16_384) -> DatabaseLookup<gid_t> {
        lookUp(initialBufferBytes: initialBufferBytes) { buffer, bufferBytes -> (Int32, gid_t?) in
            var entry = group()
            var result: UnsafeMutablePointer<group>?
            let status = getgrnam_r(name, &entry, buffer, bufferBytes, &result)
            return (status, result == nil ? nil : entry.gr_gid)
        }
    }

    /// The name of group `gid`.
    package static func groupName(of gid: gid_t, initialBufferBytes: Int = 16_384) -> DatabaseLookup<String> {
        lookUp(initialBufferBytes: initialBufferBytes) { buffer, bufferBytes -> (Int32, String?) in
            var entry = group()
            var result: UnsafeMutablePointer<group>?
            let status = getgrgid_r(gid, &entry, buffer, bufferBytes, &result)
            return (status, result == nil ? nil : entry.gr_name.map { String(cString: $0) })
        }
    }

    /// The largest buffer a user or group entry may need before the lookup gives up.
    static let maximumLookupBufferBytes = 1 << 20

    /// Runs a reentrant `get…_r` lookup, doubling its buffer on ERANGE.
    private static func lookUp<Value>(
        initialBufferBytes: Int, _ body: (UnsafeMutablePointer<CChar>, Int) -> (status: Int32, value: Value?)
    ) -> DatabaseLookup<Value> {
        var capacity = max(initialBufferBytes, 16)
        while true {
            var buffer = [CChar](repeating: 0, count: capacity)
            let (status, value) = buffer.withUnsafeMutableBufferPointer { raw -> (Int32, Value?) in
                guard let base = raw.baseAddress else { return (ERANGE, nil) }
                return body(base, raw.count)
            }
            if status == 0 { return value.map { .found($0) } ?? .absent }
            // glibc says "not found" with 0 and a nil result; other C libraries with these.
            if status == ENOENT || status == ESRCH { return .absent }
            guard status == ERANGE, capacity < maximumLookupBufferBytes else { return .failed(errorNumber: status) }
            capacity = min(capacity * 2, maximumLookupBufferBytes)
        }
    }
}

/// What a user or group database lookup found: the entry, no entry, or an error (a directory
/// service down, an entry over 1 MiB) that says nothing about whether the entry exists.
package enum DatabaseLookup<Value> {
    case found(Value)
    case absent
    case failed(errorNumber: Int32)
}

extension DatabaseLookup: Equatable where Value: Equatable {}
extension DatabaseLookup: Sendable where Value: Sendable {}
