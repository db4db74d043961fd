import Testing
@testable import InferenceModel

/// ASCII durations are read as bytes, others as characters: the two must agree on every text.
@Suite struct DurationParsingTests {
    static let pieces = ["", " ", "\t", "1", "30", "2.5", ".5", "1.", "1.2.3", "0", "ms", "m", "h", "s", "x", "-", "\n"]

    @Test func bytesAndCharactersReadEveryTextAlike() {
        var texts: [String] = []
        for first in Self.pieces {
            for second in Self.pieces {
                for third in Self.pieces {
                    texts.append(first + second + third)
                }
            }
        }
        for text in texts {
            #expect(DurationValue.milliseconds(ascii: text) == DurationValue.milliseconds(characters: text), "\(text.debugDescription)")
        }
    }

    @Test(arguments: ["\u{663}s", "\u{FF13}s", "3\u{301}s", "3m\u{301}"])
    func numbersOrUnitsOutsideASCIIAreRefused(text: String) {
        #expect(DurationValue(parsing: text) == nil)
    }
}
