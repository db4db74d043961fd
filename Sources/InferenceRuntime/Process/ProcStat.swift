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
        guard let open = line.firstIndex(of: "("),
              let close = line.lastIndex(of: ")"),
              open < close,
              let pid = Int32(line[..<open].trimmingSpaces)
        else { return nil }
        let command = String(line[line.index(after: open)..<close])
        let rest = line[line.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        // rest[0] is field 3, so field N is rest[N - 3].
        func field(_ number: Int) -> Substring? {
            let index = number - 3
            return index < rest.count ? rest[index] : nil
        }
        guard let stateField = field(3), stateField.count == 1, let state = stateField.first,
              let ppid = field(4).flatMap({ Int32($0) }),
              let pgrp = field(5).flatMap({ Int32($0) }),
              let session = field(6).flatMap({ Int32($0) }),
              let start = field(22).flatMap({ UInt64($0.trimmingSpaces) })
        else { return nil }
        return ProcStat(pid: pid, command: command, state: state, parentPID: ppid,
                        processGroupID: pgrp, sessionID: session, startTimeTicks: start)
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
