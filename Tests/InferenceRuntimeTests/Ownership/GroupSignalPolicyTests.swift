import Testing
@testable import InferenceRuntime

@Suite("Group signals only reach groups our spawn created")
struct GroupSignalPolicyTests {
    let caller = GroupSignalPolicy.Caller(pid: 500, processGroup: 480, session: 470)

    func stat(pid: Int32, group: Int32, session: Int32) -> ProcStat {
        ProcStat(pid: pid, command: "server", state: "S", parentPID: 1, processGroupID: group, sessionID: session, startTimeTicks: 99)
    }

    @Test func ownSessionLeaderMayBeGroupSignalled() {
        #expect(GroupSignalPolicy.mayGroupSignal(stat(pid: 4242, group: 4242, session: 4242), caller: caller))
    }

    @Test func initAndSwapperNever() {
        #expect(!GroupSignalPolicy.maySignal(pid: 1, caller: caller))
        #expect(!GroupSignalPolicy.maySignal(pid: 0, caller: caller))
        #expect(!GroupSignalPolicy.maySignal(pid: -7, caller: caller))
        #expect(!GroupSignalPolicy.mayGroupSignal(stat(pid: 1, group: 1, session: 1), caller: caller))
    }

    @Test func neverOurselvesNorOurGroupOrSession() {
        #expect(!GroupSignalPolicy.maySignal(pid: 500, caller: caller))
        #expect(!GroupSignalPolicy.mayGroupSignal(stat(pid: 480, group: 480, session: 480), caller: caller))
        #expect(!GroupSignalPolicy.mayGroupSignal(stat(pid: 470, group: 470, session: 470), caller: caller))
    }

    @Test func aProcessThatDoesNotLeadItsGroupAndSessionIsSignalledAlone() {
        #expect(!GroupSignalPolicy.mayGroupSignal(stat(pid: 4242, group: 4000, session: 4242), caller: caller))
        #expect(!GroupSignalPolicy.mayGroupSignal(stat(pid: 4242, group: 4242, session: 4000), caller: caller))
        #expect(GroupSignalPolicy.maySignal(pid: 4242, caller: caller))
    }
}
