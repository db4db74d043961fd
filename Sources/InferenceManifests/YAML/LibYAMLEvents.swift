import CLibYAML

/// A place in the parsed text, 1-based, as libyaml counts it (columns in Unicode scalars).
struct TextPosition: Equatable {
    var line: Int
    var column: Int

    init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    init(_ mark: yaml_mark_t) {
        line = Int(mark.line) + 1
        column = Int(mark.column) + 1
    }
}

/// One libyaml parse event. Anchors are copied out of C memory; a scalar's text is not (see `ScalarText`).
enum YAMLEvent {
    case streamStart, streamEnd
    case documentStart(TextPosition)
    case documentEnd
    case alias(anchor: String, at: TextPosition)
    case scalar(ScalarText, anchor: String?, at: TextPosition)
    case sequenceStart(anchor: String?, at: TextPosition)
    case sequenceEnd
    case mappingStart(anchor: String?, at: TextPosition)
    case mappingEnd
}

/// A scalar's bytes where libyaml holds them: valid only until the parser's next event, so the
/// document builder copies them straight into its text buffer (no String per value).
struct ScalarText {
    var bytes: UnsafeBufferPointer<UInt8>
    /// Written without quotes or tag, so `8080`, `true` and `~` mean a number, a boolean and null.
    var isPlain: Bool
}

/// What stopped libyaml: its own problem text, context and position.
struct YAMLSyntaxError: Error {
    enum Kind { case reader, memory, syntax }
    var kind: Kind
    var problem: String
    var context: String?
    var position: TextPosition
}

/// libyaml's event parser over a UTF-8 buffer that outlives it. One per file (another only to
/// resume after a syntax error): the parser is cheap, but not free.
final class LibYAMLEventParser {
    private let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
    /// The last event, kept until the next one is asked for (a scalar's text points into it).
    /// Behind a pointer, like the parser: a stored property is checked for exclusive access on
    /// every use, and that showed in profiles of large files.
    private let current = UnsafeMutablePointer<yaml_event_t>.allocate(capacity: 1)

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        yaml_parser_initialize(parser)
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(parser, bytes.baseAddress, bytes.count)
        current.initialize(to: yaml_event_t())
    }

    deinit {
        // Deleting an empty (zeroed) event does nothing.
        yaml_event_delete(current)
        current.deallocate()
        yaml_parser_delete(parser)
        parser.deallocate()
    }

    func next() throws(YAMLSyntaxError) -> YAMLEvent {
        yaml_event_delete(current)
        guard yaml_parser_parse(parser, current) == 1 else { throw error() }
        let event = current.pointee
        let at = TextPosition(event.start_mark)
        // Raw values: matching the imported enums goes through a generic `==`, slow in a debug build.
        switch event.type.rawValue {
        case YAML_STREAM_START_EVENT.rawValue: return .streamStart
        case YAML_DOCUMENT_START_EVENT.rawValue: return .documentStart(at)
        case YAML_DOCUMENT_END_EVENT.rawValue: return .documentEnd
        case YAML_ALIAS_EVENT.rawValue: return .alias(anchor: Self.string(event.data.alias.anchor) ?? "", at: at)
        case YAML_SCALAR_EVENT.rawValue:
            let scalar = event.data.scalar
            let bytes = UnsafeBufferPointer(start: UnsafePointer(scalar.value), count: scalar.length)
            return .scalar(ScalarText(bytes: bytes, isPlain: Self.isPlain(tag: scalar.tag, style: scalar.style)),
                           anchor: Self.string(scalar.anchor), at: at)
        case YAML_SEQUENCE_START_EVENT.rawValue:
            return .sequenceStart(anchor: Self.string(event.data.sequence_start.anchor), at: at)
        case YAML_SEQUENCE_END_EVENT.rawValue: return .sequenceEnd
        case YAML_MAPPING_START_EVENT.rawValue: return .mappingStart(anchor: Self.string(event.data.mapping_start.anchor), at: at)
        case YAML_MAPPING_END_EVENT.rawValue: return .mappingEnd
        default: return .streamEnd
        }
    }

    private func error() -> YAMLSyntaxError {
        let state = parser.pointee
        let kind: YAMLSyntaxError.Kind = switch state.error {
        case YAML_READER_ERROR: .reader
        case YAML_MEMORY_ERROR: .memory
        default: .syntax
        }
        return YAMLSyntaxError(kind: kind, problem: Self.string(state.problem) ?? "unknown error",
                               context: Self.string(state.context), position: TextPosition(state.problem_mark))
    }

    private static func string(_ text: UnsafePointer<CChar>?) -> String? {
        text.map { String(cString: $0) }
    }

    private static func string(_ text: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        text.map { String(cString: $0) }
    }

    /// Core-schema tags that keep a scalar typed (`!!int 8080` is a number, `!!str 8080` a string).
    private static let typedTags: Set<String> = ["tag:yaml.org,2002:int", "tag:yaml.org,2002:bool",
                                                 "tag:yaml.org,2002:null", "tag:yaml.org,2002:float"]

    /// Untagged plain scalars are typed: `8080` is a number, `true` a boolean. Quoted scalars are strings.
    private static func isPlain(tag: UnsafeMutablePointer<yaml_char_t>?, style: yaml_scalar_style_t) -> Bool {
        guard let tag else { return style.rawValue == YAML_PLAIN_SCALAR_STYLE.rawValue || style.rawValue == YAML_ANY_SCALAR_STYLE.rawValue }
        return typedTags.contains(String(cString: tag))
    }
}
