/// The fields of /proc/PID/stat we need. Parsing is pure so it can be tested
/// on canned lines.
public struct ProcStat: Sendable, Equatable {
    public var pid: Int32
    /// Field 2 without the parentheses; may contain spaces and ')'.
    public var command: String
    /// Field 3: R, S, D, Z (zombie), T, t, X (dead), I, ...
    public var state: Character
    public var parentPID: Int32
    public var processGroupID: Int32
    public var sessionID: Int32
    /// Field 22, clock ticks since boot.
    public var startTimeTicks: UInt64

    public var isZombieOrDead: Bool { state == "Z" || state == "X" || state == "x" }

    public init(pid: Int32, command: String, state: Character, parentPID: Int32,
                processGroupID: Int32, sessionID: Int32, startTimeTicks: UInt64) {
        self.pid = pid
        self.command = command
        self.state = state
        self.parentPID = parentPID
        self.processGroupID = processGroupID
        self.sessionID = sessionID
        self.startTimeTicks = startTimeTicks
    }

    /// Parses one /proc/PID/stat line. The command name is the text between the
    /// first '(' and the LAST ')': the process picks its own name, so it can
    /// hold anything, including ") " sequences that would fool a split.
    public static func parse(_ line: String) -> ProcStat? {
        parse(bytes: Array(line.utf8))
    }

    /// The same on the file's bytes, as read: the fields are found by scanning, without splitting
    /// the line into strings (a pass reads hundreds of these).
    public static func parse(bytes line: [UInt8]) -> ProcStat? {
        guard let open = line.firstIndex(of: UInt8(ascii: "(")),
              let close = line.lastIndex(of: UInt8(ascii: ")")),
              open < close,
              let pid = integer(line[..<open].trimmingASCIISpaces).flatMap({ Int32(exactly: $0) })
        else { return nil }
        let command = String(decoding: line[(open + 1)..<close], as: UTF8.self)
        // Fields 3, 4, 5, 6 and 22 after the command, separated by spaces.
        var fields: [Int: ArraySlice<UInt8>] = [:]
        var number = 3
        var index = close + 1
        while index < line.count, number <= 22 {
            while index < line.count, line[index] == UInt8(ascii: " ") { index += 1 }
            let start = index
            while index < line.count, line[index] != UInt8(ascii: " ") { index += 1 }
            guard index > start else { break }
            if number <= 6 || number == 22 { fields[number] = line[start..<index].trimmingASCIISpaces }
            number += 1
        }
        guard let stateField = fields[3], stateField.count == 1,
              let ppid = fields[4].flatMap(integer).flatMap({ Int32(exactly: $0) }),
              let pgrp = fields[5].flatMap(integer).flatMap({ Int32(exactly: $0) }),
              let session = fields[6].flatMap(integer).flatMap({ Int32(exactly: $0) }),
              let start = fields[22].flatMap(integer).flatMap({ UInt64(exactly: $0) })
        else { return nil }
        return ProcStat(pid: pid, command: command, state: Character(Unicode.Scalar(stateField.first!)), parentPID: ppid,
                        processGroupID: pgrp, sessionID: session, startTimeTicks: start)
    }

    /// A decimal integer, optionally negative (a process without a terminal has tty_pgrp -1).
    static func integer(_ digits: ArraySlice<UInt8>) -> Int64? {
        var rest = digits[...]
        let negative = rest.first == UInt8(ascii: "-")
        if negative { rest = rest.dropFirst() }
        guard !rest.isEmpty, rest.count <= 20 else { return nil }
        var value: Int64 = 0
        for byte in rest {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            let (times, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = times.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            guard !overflowA, !overflowB else { return nil }
            value = sum
        }
        return negative ? -value : value
    }
}

extension ArraySlice<UInt8> {
    var trimmingASCIISpaces: ArraySlice<UInt8> {
        let isSpace: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\t") }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return [] }
        return self[first...last]
    }
}

extension StringProtocol {
    var trimmingSpaces: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }),
              let last = lastIndex(where: { !isSpace($0) })
        else { return Substring("") }
        return Substring(self[first...last])
    }
}
