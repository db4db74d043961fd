import Testing
@testable import InferenceRuntime

@Suite struct ProcStatParsingTests {
    @Test func parsesOrdinaryLine() throws {
        let line = "1234 (llama-server) S 1 1234 1234 0 -1 4194560 1012 0 0 0 3 1 0 0 20 0 4 0 987654 1000000 300 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0\n"
        let stat = try #require(ProcStat.parse(line))
        #expect(stat.pid == 1234)
        #expect(stat.command == "llama-server")
        #expect(stat.state == "S")
        #expect(stat.parentPID == 1)
        #expect(stat.processGroupID == 1234)
        #expect(stat.sessionID == 1234)
        #expect(stat.startTimeTicks == 987654)
        #expect(!stat.isZombieOrDead)
    }

    @Test func commandWithSpacesAndParenthesesIsParsedFromLastParen() throws {
        let line = "42 ((weird ) name)) Z 7 42 42 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5555 0 0 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0"
        let stat = try #require(ProcStat.parse(line))
        #expect(stat.command == "(weird ) name)")
        #expect(stat.state == "Z")
        #expect(stat.isZombieOrDead)
        #expect(stat.startTimeTicks == 5555)
    }

    @Test func commandThatLooksLikeFields() throws {
        let line = "9 (a) R 1 2 3 4) S 100 9 9 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 77 0 0"
        let stat = try #require(ProcStat.parse(line))
        #expect(stat.command == "a) R 1 2 3 4")
        #expect(stat.parentPID == 100)
        #expect(stat.startTimeTicks == 77)
    }

    @Test(arguments: ["", "garbage", "12 (x", "12 (x) S 1 2", "abc (x) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0"])
    func rejectsMalformed(_ line: String) {
        #expect(ProcStat.parse(line) == nil)
    }

    @Test func readsOwnIdentity() throws {
        let table = ProcessTable()
        let me = try #require(table.identity(of: getpid()))
        #expect(me.startTimeTicks > 0)
        #expect(me.bootID.count == 36)
        #expect(table.status(of: me) == .running)
        var other = me
        other.startTimeTicks += 1
        #expect(table.status(of: other) == .reused)
        var otherBoot = me
        otherBoot.bootID = "00000000-0000-0000-0000-000000000000"
        #expect(table.status(of: otherBoot) == .reused)
    }
}

import Glibc

/// The ownership proof reads `/proc/PID/environ` as bytes: an entry matches only whole.
@Suite struct EnvironmentEntryTests {
    @Test func aWholeEntryMatchesAndAPrefixDoesNot() throws {
        let table = ProcessTable()
        let block = try #require(table.environmentBlock(of: getpid()))
        let first = try #require(EnvironmentBlock.entries(of: block).first)
        let entry = String(decoding: first, as: UTF8.self)
        #expect(table.holdsEnvironmentEntry(pid: getpid(), entry))
        #expect(!table.holdsEnvironmentEntry(pid: getpid(), String(entry.dropLast())))
        #expect(!table.holdsEnvironmentEntry(pid: getpid(), entry + "x"))
        #expect(table.environment(of: getpid())?.first.map(String.init) == entry)
    }

    @Test func entriesAreSplitOnNulWithoutEmptyOnes() {
        let block = Array("A=1\0\0B=2\0".utf8)
        #expect(EnvironmentBlock.entries(of: block).map { String(decoding: $0, as: UTF8.self) } == ["A=1", "B=2"])
    }

    @Test func negativeAndHugeNumbersParseOrRefuse() {
        #expect(ProcStat.integer(ArraySlice("-1".utf8)) == -1)
        #expect(ProcStat.integer(ArraySlice("18446744073709551615".utf8)) == nil)
        #expect(ProcStat.integer(ArraySlice("12a".utf8)) == nil)
        #expect(ProcStat.integer(ArraySlice("".utf8)) == nil)
    }
}
