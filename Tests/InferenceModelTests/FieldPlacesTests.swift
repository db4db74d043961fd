import Foundation
import Testing
import InferenceModel

/// The loader records field positions compactly; an origin must answer as the dictionary of paths did.
@Suite struct FieldPlacesTests {
    static func recorded() -> FieldPlaces {
        var places = FieldPlaces()
        let spec = places.record(key: "spec", under: -1, line: 5, column: 1)
        let server = places.record(key: "server", under: spec, line: 6, column: 3)
        _ = places.record(key: "port", under: server, line: 7, column: 11)
        let command = places.record(key: "command", under: spec, line: 8, column: 3)
        _ = places.record(item: 2, under: command, line: 8, column: 30)
        // A label key may hold dots: it is one key, written as it is.
        let labels = places.record(key: "labels", under: -1, line: 2, column: 3)
        _ = places.record(key: "app.kubernetes.io/name", under: labels, line: 3, column: 29)
        return places
    }

    @Test func pathsAreBuiltFromParentsAndKeys() {
        let places = Self.recorded()
        #expect(places.path(of: 2) == "spec.server.port")
        #expect(places.path(of: 4) == "spec.command[2]")
        #expect(places.path(of: 6) == "labels.app.kubernetes.io/name")
        #expect(places.path(of: -1) == "")
    }

    @Test func anOriginFromRecordsAnswersLikeOneFromADictionary() throws {
        let location = SourceLocation(file: "m.yaml", line: 1, column: 1)
        let recorded = ManifestOrigin(file: "m.yaml", location: location, places: Self.recorded())
        let given = ManifestOrigin(file: "m.yaml", location: location, fieldLocations: recorded.fieldLocations)
        #expect(recorded.fieldLocations["spec.server.port"] == SourceLocation(file: "m.yaml", line: 7, column: 11))
        #expect(recorded.fieldLocations.count == 7)
        #expect(recorded == given)
        for path in ["spec.server.port.extra", "spec.command[2]", "spec.command[9]", "spec.other", "nowhere", ""] {
            #expect(recorded.location(of: path) == given.location(of: path), "\(path)")
        }
        #expect(recorded.location(of: "spec.server.host").line == 6)
        var moved = recorded
        moved.fieldLocations["spec.server.port"] = SourceLocation(file: "m.yaml", line: 70, column: 1)
        #expect(moved != recorded)
        #expect(moved.location(of: "spec.server.port").line == 70)
    }

    @Test func anOriginIsEncodedWithItsFieldLocations() throws {
        let origin = ManifestOrigin(file: "m.yaml", location: SourceLocation(file: "m.yaml", line: 1, column: 1),
                                    places: Self.recorded())
        let decoded = try JSONDecoder().decode(ManifestOrigin.self, from: JSONEncoder().encode(origin))
        #expect(decoded == origin)
        #expect(decoded.fieldLocations == origin.fieldLocations)
    }
}
