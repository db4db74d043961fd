import Foundation
import Glibc
import InferenceModel
import Testing
@testable import InferenceRuntime

/// Secret values are checked when they are read: one line of printable ASCII, at most 4 KiB. A refusal
/// names the reference and never any part of the value.
@Suite struct SecretResolverTests {
    private func failure(_ reference: SecretReference, environment: [String: String] = [:]) -> SecretResolver.Failure? {
        do {
            _ = try SecretResolver(environment: environment).value(of: reference)
            return nil
        } catch {
            return error
        }
    }

    /// The refusal's text, checked to hold none of `secret`'s lines.
    private func refusal(_ reference: SecretReference, secret: String, environment: [String: String] = [:]) -> String {
        let text = failure(reference, environment: environment)?.description ?? "(accepted)"
        for line in secret.split(whereSeparator: \.isNewline) where line.count >= 2 {
            #expect(!text.contains(line), "the refusal repeats part of the value: \(text)")
        }
        return text
    }

    @Test func surroundingWhitespaceIsTrimmed() throws {
        let resolver = SecretResolver(environment: ["KEY": "  sk-live-123\t\n"])
        #expect(try resolver.value(of: .environment("KEY")) == "sk-live-123")
        #expect(try resolver.headers(["authorization": .environment("KEY")]) == ["authorization": "Bearer sk-live-123"])
    }

    @Test func aValueOnSeveralLinesIsRefusedByReference() {
        let secret = "sk-first-line\nsecond-line-of-key"
        let text = refusal(.environment("KEY"), secret: secret, environment: ["KEY": secret])
        #expect(text.hasPrefix("secret env:KEY spans several lines"), "\(text)")
        let carriageReturn = refusal(.environment("KEY"), secret: "abcd\rEFGH", environment: ["KEY": "abcd\rEFGH"])
        #expect(carriageReturn.hasPrefix("secret env:KEY spans several lines"), "\(carriageReturn)")
    }

    @Test func controlAndNonASCIICharactersAreRefused() {
        #expect(refusal(.environment("K"), secret: "sk\u{1B}[31mred", environment: ["K": "sk\u{1B}[31mred"])
            .hasPrefix("secret env:K holds a control character"))
        #expect(refusal(.environment("K"), secret: "tab\there", environment: ["K": "tab\there"])
            .hasPrefix("secret env:K holds a control character"))
        #expect(refusal(.environment("K"), secret: "clé-secrète", environment: ["K": "clé-secrète"])
            .hasPrefix("secret env:K holds a character outside printable ASCII"))
        // Every printable ASCII character, the space included, is fine.
        let printable = String((0x21...0x7E).map { Character(Unicode.Scalar(UInt8($0))) }) + " x"
        #expect(failure(.environment("K"), environment: ["K": printable]) == nil)
    }

    @Test func emptyAndMissingValuesAreRefused() {
        #expect(failure(.environment("K"), environment: ["K": " \n\t "])?.description == "secret env:K is empty")
        #expect(failure(.environment("ABSENT"))?.description == "secret env:ABSENT is not set in inferctl's environment")
    }

    @Test func aValueLargerThanFourKiBIsRefused() {
        let big = String(repeating: "k", count: SecretValueRules.maximumBytes + 1)
        let text = refusal(.environment("K"), secret: big, environment: ["K": big])
        #expect(text.hasPrefix("secret env:K is larger than 4096 bytes"), "\(text)")
        let limit = String(repeating: "k", count: SecretValueRules.maximumBytes)
        #expect(failure(.environment("K"), environment: ["K": limit]) == nil)
    }

    @Test func fileValuesFollowTheSameRules() throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "sk-from-file\n".write(toFile: dir + "/ok", atomically: false, encoding: .utf8)
        #expect(try SecretResolver().value(of: .file(dir + "/ok")) == "sk-from-file")

        // Like /etc/shadow: several lines, refused without a word of them.
        let shadowLike = "root:$6$salt$hash:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n"
        try shadowLike.write(toFile: dir + "/shadow", atomically: false, encoding: .utf8)
        let text = refusal(.file(dir + "/shadow"), secret: shadowLike)
        #expect(text == "secret file:\(dir)/shadow spans several lines; a key is one line (only surrounding whitespace is trimmed)")
    }

    @Test func aHugeFileIsRefusedWithoutReadingIt() throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/big"
        let fd = open(path, O_WRONLY | O_CREAT, 0o600)
        #expect(ftruncate(fd, 1 << 30) == 0) // 1 GiB, sparse: reading it whole would show
        close(fd)
        #expect(failure(.file(path))?.description.hasPrefix("secret file:\(path) is larger than 4096 bytes") == true)
    }

    @Test func aFIFOOrDirectoryIsRefusedAtOnce() throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A FIFO with no writer would block a plain open or read forever.
        #expect(mkfifo(dir + "/fifo", 0o600) == 0)
        #expect(failure(.file(dir + "/fifo"))?.description == "secret file:\(dir)/fifo is not a regular file")
        #expect(failure(.file(dir))?.description == "secret file:\(dir) is not a regular file")
        #expect(failure(.file(dir + "/missing"))?.description == "secret file:\(dir)/missing cannot be read: No such file or directory")
    }

    @Test func everyValueHandedOutIsRegisteredForRedaction() throws {
        let resolver = SecretResolver(environment: ["KEY": "sk-registered-42\n"])
        #expect(resolver.redactor.redact("got sk-registered-42 back") == "got sk-registered-42 back")
        _ = try resolver.value(of: .environment("KEY"))
        #expect(resolver.redactor.redact("got sk-registered-42 back") == "got [redacted] back")
    }
}
