import Testing
@testable import InferenceModel
@testable import InferenceRuntime

@Suite("Automatic ports are handed out once per pass")
struct PortBookTests {
    let auto = ServerSpec(host: "127.0.0.1", port: .auto)

    @Test func parallelRequestsNeverShareAPort() async throws {
        let book = PortBook(records: [])
        let ports = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<200 {
                group.addTask { try book.reserve(for: "i\(index)", server: auto, kept: nil) }
            }
            var collected: [Int] = []
            for try await port in group { collected.append(port) }
            return collected
        }
        #expect(Set(ports).count == 200)
    }

    @Test func aRecordedPortIsKeptForItsOwnerAndNeverGivenToAnother() throws {
        let free = try PortAllocator.freePort()
        var record = InstanceRecord(name: "alpha", backend: "simulation", startupKind: .spawned, fingerprint: .init(fields: [:]))
        record.port = free
        let book = PortBook(records: [record])
        #expect(try book.reserve(for: "beta", server: auto, kept: free) != free)
        #expect(try book.reserve(for: "alpha", server: auto, kept: free) == free)
        #expect(try book.reserve(for: "alpha", server: auto, kept: free, excluding: [free]) != free)
    }

    /// 192.0.2.10 (TEST-NET-1) is no address of this machine, unless the kernel allows binding
    /// foreign addresses (ip_nonlocal_bind), in which case there is nothing to report.
    static let foreignAddressRefused = PortAllocator.check(host: "192.0.2.10", port: 8080) != .free

    @Test(.enabled(if: foreignAddressRefused))
    func anAddressThatIsNotThisMachinesIsNamed() {
        let remote = ServerSpec(host: "192.0.2.10", port: .fixed(8080))
        #expect(throws: PortBook.Unavailable.self) { try PortBook(records: []).reserve(for: "a", server: remote, kept: nil) }
        do {
            _ = try PortBook(records: []).reserve(for: "a", server: remote, kept: nil)
        } catch {
            #expect("\(error)".contains("not an address of this machine"), "\(error)")
            #expect(!"\(error)".contains("in use"), "\(error)")
        }
    }
}

@Suite("A lost port race is recognised in the server's log")
struct PortRaceTests {
    @Test func bindFailuresOfOurServersAreRecognised() {
        #expect(SpawnedLifecycle.lostPortRace([
            "inference-sim: error: cannot listen on 127.0.0.1:37075: bind(descriptor:ptr:bytes:): Address already in use) (errno: 98)",
        ]))
        #expect(SpawnedLifecycle.lostPortRace(["main: couldn't bind HTTP server socket, hostname: 127.0.0.1, port: 8080"]))
        #expect(!SpawnedLifecycle.lostPortRace(["model file not found", "exiting"]))
    }
}
