import Foundation

/// Checks text against the Prometheus exposition format's line grammar: `# HELP name text`,
/// `# TYPE name counter|gauge|histogram|summary|untyped`, and samples `name{label="value",…} number`.
enum PrometheusText {
    static let name = #"[a-zA-Z_:][a-zA-Z0-9_:]*"#
    static let label = #"[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*""#
    static let number = #"(?:[-+]?(?:[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)|[-+]?Inf|NaN)"#
    static var sample: Regex<AnyRegexOutput> { try! Regex("^\(name)(?:\\{(?:\(label)(?:,\(label))*,?)?\\})? \(number)(?: -?[0-9]+)?$") }
    static var help: Regex<AnyRegexOutput> { try! Regex("^# HELP \(name) .*$") }
    static var type: Regex<AnyRegexOutput> { try! Regex("^# TYPE \(name) (counter|gauge|histogram|summary|untyped)$") }

    /// Every line that breaks the grammar (an empty list: the text parses).
    static func problems(_ text: String) -> [String] {
        guard text.hasSuffix("\n") else { return ["the text does not end with a newline"] }
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().compactMap { line in
            let line = String(line)
            if line.isEmpty { return nil }
            if line.hasPrefix("# HELP ") { return line.wholeMatch(of: help) == nil ? "bad HELP: \(line)" : nil }
            if line.hasPrefix("# TYPE ") { return line.wholeMatch(of: type) == nil ? "bad TYPE: \(line)" : nil }
            if line.hasPrefix("#") { return nil }
            return line.wholeMatch(of: sample) == nil ? "bad sample: \(line)" : nil
        }
    }
}
