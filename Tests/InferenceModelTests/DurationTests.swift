import InferenceModel
import Testing

@Suite struct DurationTests {
    @Test(arguments: [("500ms", 500), ("30s", 30_000), ("5m", 300_000), ("1h30m", 5_400_000), ("2.5s", 2500), ("1m30s500ms", 90_500)])
    func parses(text: String, milliseconds: Int64) {
        #expect(DurationValue(parsing: text)?.milliseconds == milliseconds)
    }

    @Test(arguments: ["", "30", "30 seconds", "5x", "m", "1h-3m", "abc"])
    func rejects(text: String) {
        #expect(DurationValue(parsing: text) == nil)
    }

    @Test func printsTheShortestForm() {
        #expect(DurationValue(milliseconds: 5_400_000).description == "1h30m")
        #expect(DurationValue(milliseconds: 500).description == "500ms")
        #expect(DurationValue(milliseconds: 0).description == "0s")
        #expect(DurationValue(milliseconds: 1500).description == "1s500ms")
    }

    @Test func suggestions() {
        #expect(Suggestions.closest(to: "ctxsize", among: ["ctxSize", "threads"]) == "ctxSize")
        #expect(Suggestions.closest(to: "zzzzzz", among: ["ctxSize", "threads"]) == nil)
        #expect(Suggestions.editDistance("kitten", "sitting") == 3)
    }
}
