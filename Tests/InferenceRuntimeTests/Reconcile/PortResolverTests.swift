import InferenceModel
import Testing
@testable import InferenceRuntime

@Suite struct PortResolverTests {
    /// 192.0.2.1 (TEST-NET-1, documentation only) is no address of this machine, unless the
    /// kernel allows binding foreign addresses, in which case there is nothing to report.
    static let foreignAddress = "192.0.2.1"
    static let foreignAddressRefused = !PortAllocator.isPortFree(host: foreignAddress, port: 18999)

    @Test(.enabled(if: foreignAddressRefused))
    func anAddressThisMachineDoesNotHaveIsNotCalledAPortInUse() {
        let server = ServerSpec(host: Self.foreignAddress, port: .fixed(18999))
        #expect {
            _ = try PortResolver.port(for: server, kept: nil)
        } throws: { error in
            let text = "\(error)"
            return !text.contains("in use") && text.hasPrefix("cannot listen on \(Self.foreignAddress) at all")
        }
    }
}
