import Glibc
import Testing
@testable import InferenceRuntime

@Suite struct PortAllocatorTests {
    @Test func freePortIsBindableAndDetectedBusyWhileListening() throws {
        let port = try PortAllocator.freePort(host: "127.0.0.1")
        #expect((1024...65535).contains(port))
        #expect(PortAllocator.isPortFree(host: "127.0.0.1", port: port))

        // Occupy it with a listening socket: no longer free.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        #expect(bound == 0)
        #expect(listen(fd, 1) == 0)
        #expect(!PortAllocator.isPortFree(host: "127.0.0.1", port: port))
        #expect(!PortAllocator.isPortFree(host: "127.0.0.1", port: 0))
    }

    @Test func localhostAndBadHost() throws {
        #expect(try PortAllocator.freePort(host: "localhost") > 0)
        #expect(throws: PortAllocator.Failure.self) { try PortAllocator.freePort(host: "not-an-ip") }
    }
}
