import EnergyAgent
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct AgentAccessTests {
    private let access = AgentAccess(allowedGroup: (name: "footprint", gid: 4242))

    @Test func everyoneMayReadWithoutAnAllowedGroup() {
        let peer = PeerIdentity(uid: 1000, gid: 1000, pid: 1)
        #expect(AgentAccess.everyone.refusal(of: peer, userName: "alice", supplementaryGroups: [1000]) == nil)
    }

    @Test func rootMayAlwaysRead() {
        let peer = PeerIdentity(uid: 0, gid: 0, pid: 1)
        #expect(access.refusal(of: peer, userName: "root", supplementaryGroups: [0]) == nil)
    }

    @Test func primaryGroupAdmits() {
        let peer = PeerIdentity(uid: 1000, gid: 4242, pid: 1)
        #expect(access.refusal(of: peer, userName: "alice", supplementaryGroups: []) == nil)
    }

    @Test func supplementaryGroupAdmits() {
        let peer = PeerIdentity(uid: 1000, gid: 1000, pid: 1)
        #expect(access.refusal(of: peer, userName: "alice", supplementaryGroups: [1000, 27, 4242]) == nil)
    }

    @Test func otherUsersAreRefusedWithWhoTheRuleAndTheRemedy() throws {
        let peer = PeerIdentity(uid: 1000, gid: 1000, pid: 77)
        let refusal = try #require(access.refusal(of: peer, userName: "alice", supplementaryGroups: [1000, 27]))
        #expect(refusal.contains("alice (uid 1000)"))
        #expect(refusal.contains("process 77"))
        #expect(refusal.contains("--allow-group footprint"))
        #expect(refusal.contains("usermod -aG footprint alice"))
    }

    @Test func aUidWithoutAUserIsNamedByNumber() throws {
        let peer = PeerIdentity(uid: 31337, gid: 31337, pid: 5)
        let refusal = try #require(access.refusal(of: peer, userName: nil, supplementaryGroups: []))
        #expect(refusal.contains("uid 31337"))
    }

    @Test func unknownGroupIsAnErrorNamingIt() {
        #expect(throws: AgentServerError.unknownGroup(name: "no-such-group-footprint")) {
            try AgentAccess(allowGroup: "no-such-group-footprint")
        }
    }

    @Test func groupDatabaseListsRootsGroups() throws {
        let access = try AgentAccess(allowGroup: "root")
        #expect(access.allowedGroup?.gid == 0)
        #expect(AgentAccess.groups(ofUser: "root", primaryGroup: 0).contains(0))
        #expect(AgentAccess.userName(of: 0) == "root")
    }

    @Test func lookupsRetryWithALargerBufferWhenAnEntryDoesNotFit() {
        // A group of thousands of members does not fit 16 KiB; root's entries do not fit 8 bytes.
        #expect(AgentAccess.groupID(named: "root", initialBufferBytes: 8) == .found(0))
        #expect(AgentAccess.groupName(of: 0, initialBufferBytes: 8) == .found("root"))
        #expect(AgentAccess.userName(of: 0, initialBufferBytes: 8) == "root")
        #expect(AgentAccess.groupID(named: "no-such-group-footprint", initialBufferBytes: 8) == .absent)
    }

    @Test func numericGroupIdIsAccepted() throws {
        let root = try AgentAccess(allowGroup: "0")
        #expect(root.allowedGroup?.gid == 0)
        #expect(root.allowedGroup?.name == "root")
        // A gid without a group entry still admits the processes that hold it.
        let bare = try AgentAccess(allowGroup: "54321")
        #expect(bare.allowedGroup?.gid == 54321)
        #expect(bare.refusal(of: PeerIdentity(uid: 1000, gid: 54321, pid: 1), userName: "alice", supplementaryGroups: []) == nil)
        #expect(throws: AgentServerError.unknownGroup(name: "12ab")) { try AgentAccess(allowGroup: "12ab") }
    }

    @Test func lookupErrorIsNotCalledAMissingGroup() {
        let error = AgentServerError.groupLookupFailed(name: "footprint", errorNumber: EIO)
        #expect(!error.description.contains("no such group"))
        #expect(error.description.contains("could not be read"))
        #expect(error.description.contains("numeric id"))
    }
}
