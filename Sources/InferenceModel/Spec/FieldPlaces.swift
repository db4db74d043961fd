/// Where the fields of one manifest were written, as the loader records them while decoding. Each
/// field is its parent field and its own key (or list position): no path text is built, and nothing
/// hashed, until a path is asked for (for a diagnostic, or `ManifestOrigin.fieldLocations`).
public struct FieldPlaces: Sendable, Equatable {
    public struct Place: Sendable, Equatable {
        /// The enclosing field's number, or -1 at the top of the document.
        public var parent: Int32
        /// The key; empty for a list item, which has its `index` instead (-1 for keys).
        public var key: String
        public var index: Int32
        public var line: Int32
        public var column: Int32
    }

    public private(set) var places: [Place] = []

    public init() {}

    public mutating func reserveCapacity(_ count: Int) {
        places.reserveCapacity(count)
    }

    /// Records field `key` of `parent` (-1: the top of the document); returns its number.
    public mutating func record(key: String, under parent: Int32, line: Int, column: Int) -> Int32 {
        append(Place(parent: parent, key: key, index: -1, line: Int32(truncatingIfNeeded: line),
                     column: Int32(truncatingIfNeeded: column)))
    }

    /// Records item `index` of list `parent`; returns its number.
    public mutating func record(item index: Int, under parent: Int32, line: Int, column: Int) -> Int32 {
        append(Place(parent: parent, key: "", index: Int32(truncatingIfNeeded: index), line: Int32(truncatingIfNeeded: line),
                     column: Int32(truncatingIfNeeded: column)))
    }

    private mutating func append(_ place: Place) -> Int32 {
        places.append(place)
        return Int32(places.count - 1)
    }

    /// `spec.server.port`, `spec.command[2]`: the path of field `number`, as diagnostics print it.
    public func path(of number: Int32) -> String {
        guard number >= 0 else { return "" }
        let place = places[Int(number)]
        return Self.path(place, parent: path(of: place.parent))
    }

    /// Every field's path with its position. A path recorded twice keeps its last position.
    public func locations(in file: String) -> [String: SourceLocation] {
        var paths: [String] = []
        paths.reserveCapacity(places.count)
        var locations = [String: SourceLocation](minimumCapacity: places.count)
        for place in places {
            // A parent is always recorded before its fields.
            let path = Self.path(place, parent: place.parent >= 0 ? paths[Int(place.parent)] : "")
            paths.append(path)
            locations[path] = SourceLocation(file: file, line: Int(place.line), column: Int(place.column))
        }
        return locations
    }

    private static func path(_ place: Place, parent: String) -> String {
        if place.index >= 0 { return "\(parent)[\(place.index)]" }
        return parent.isEmpty ? place.key : parent + "." + place.key
    }
}
