/// Numeric IP addresses in the forms `inet_pton` reads, checked as text (the core does no I/O).
public enum IPAddressLiteral {
    public static func isValid(_ text: String) -> Bool {
        isIPv4(Substring(text)) || isIPv6(text)
    }

    /// `192.0.2.1`: four decimal numbers 0-255. Leading zeros are refused, as `inet_pton` does
    /// (elsewhere `010` would mean 8).
    /// Read as bytes (every instance's host is checked): only ASCII digits and dots can pass,
    /// so this is the same rule on characters.
    public static func isIPv4(_ text: Substring) -> Bool {
        var parts = 0
        var digits = 0
        var value = 0
        var leadingZero = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, value <= 255, parts < 3 else { return false }
                parts += 1
                (digits, value, leadingZero) = (0, 0, false)
                continue
            }
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte), digits < 3, !leadingZero else { return false }
            leadingZero = digits == 0 && byte == UInt8(ascii: "0")
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            digits += 1
        }
        return parts == 3 && digits > 0 && value <= 255
    }

    /// `::1`, `fe80::1`, `::ffff:192.0.2.1`: eight groups of one to four hex digits, where one `::`
    /// stands for a run of zero groups and the last two groups may be written as IPv4.
    /// No brackets and no zone (`%eth0`): those belong in URLs, not in an address to bind.
    public static func isIPv6(_ text: String) -> Bool {
        let halves = splitAtDoubleColon(Substring(text))
        guard halves.count <= 2 else { return false }
        let groupLists = halves.map { $0.isEmpty ? [] : $0.split(separator: ":", omittingEmptySubsequences: false) }
        var count = 0
        for (listIndex, groups) in groupLists.enumerated() {
            for (index, group) in groups.enumerated() {
                let isLast = listIndex == groupLists.count - 1 && index == groups.count - 1
                if isLast && group.contains(".") {
                    guard isIPv4(group) else { return false }
                    count += 2
                } else {
                    guard (1...4).contains(group.count), group.allSatisfy(\.isHexDigit) else { return false }
                    count += 1
                }
            }
        }
        // Without `::` every group is written; with it, it stands for at least one.
        return halves.count == 1 ? count == 8 : count <= 7
    }

    /// The text cut at each `::` (":::" leaves a stray ":" that fails as an empty group).
    private static func splitAtDoubleColon(_ text: Substring) -> [Substring] {
        var pieces: [Substring] = []
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(after: index)
            if text[index] == ":", next < text.endIndex, text[next] == ":" {
                pieces.append(text[start..<index])
                start = text.index(after: next)
                index = start
            } else {
                index = next
            }
        }
        pieces.append(text[start...])
        return pieces
    }
}
