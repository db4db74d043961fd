import AsyncHTTPClient
import Foundation
import InferenceBackends
import Testing
@testable import InferenceRuntime

/// A probe's error text goes into messages, records and status files; our headers carry API keys.
@Suite struct ProbeErrorTextTests {
    @Test func anInvalidHeaderErrorNeverRepeatsTheValue() {
        let value = "Bearer sk-first-part\nsecond-part"
        let text = AsyncHTTPProber.describe(HTTPClientError.invalidHeaderFieldValues([value]), headerValues: [value])
        #expect(text == "a request header value is not valid HTTP (the value is not shown: it may be a secret)")
    }

    @Test func otherErrorsHaveHeaderValuesRemoved() {
        struct Echo: Error, CustomStringConvertible { var description: String }
        let error = Echo(description: "server rejected token sk-echoed-key (Bearer sk-echoed-key)")
        let text = AsyncHTTPProber.describe(error, headerValues: ["Bearer sk-echoed-key"])
        #expect(!text.contains("sk-echoed-key"), "\(text)")
        #expect(AsyncHTTPProber.describe(HTTPClientError.deadlineExceeded, headerValues: []) == "timed out")
    }

    @Test func aRealRequestWithANewlineInTheKeyFailsWithoutShowingIt() async {
        let key = "sk-real-request\ninjected: header"
        let response = await AsyncHTTPProber().send(ProbeRequest(.get, "http://127.0.0.1:9/health"),
                                                    headers: ["authorization": "Bearer \(key)"], timeout: .seconds(2))
        guard case .unreachable(let text) = response else {
            Issue.record("expected a refusal, got \(response)")
            return
        }
        #expect(!text.contains("sk-real-request"), "\(text)")
        #expect(!text.contains("injected"), "\(text)")
    }
}
