import Foundation
import SelfHostedInferenceCore
import Testing

/// Where an embedding program finds the simulator.
@Suite struct SimulatorCommandTests {
    func folder(with executables: [String]) throws -> ManifestFolder {
        let folder = try ManifestFolder("bin")
        for name in executables {
            try folder.write(name, "#!/bin/sh\n")
            chmod(folder.path + "/" + name, 0o755)
        }
        return folder
    }

    @Test func theOverrideWinsThenBesideTheProgramThenPath() throws {
        let beside = try folder(with: ["inferctl"])
        let onPath = try folder(with: ["inference-sim"])
        defer { beside.remove(); onPath.remove() }
        let program = beside.path + "/my-program"
        #expect(SimulatorCommand.located(environment: ["INFERCTL_SIMULATOR": "/opt/sim", "PATH": onPath.path], programPath: program)
                == SimulatorCommand(executable: "/opt/sim"))
        #expect(SimulatorCommand.located(environment: ["PATH": onPath.path], programPath: program)
                == SimulatorCommand(executable: beside.path + "/inferctl", arguments: ["sim"]))
        #expect(SimulatorCommand.located(environment: ["PATH": "/nonexistent:" + onPath.path], programPath: "/nonexistent/p")
                == SimulatorCommand(executable: onPath.path + "/inference-sim"))
        #expect(SimulatorCommand.located(environment: ["PATH": "/nonexistent"], programPath: nil) == SimulatorCommand(executable: "inference-sim"))
    }
}
