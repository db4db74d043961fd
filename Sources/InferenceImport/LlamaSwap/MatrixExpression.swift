/// llama-swap's `matrix.sets` DSL: `&` (run together), `|` (alternatives), parentheses, and `+name`
/// (another set inlined). An expression expands to the combinations it allows, each a set of vars.
enum MatrixExpression {
    struct Problem: Error, Equatable { var message: String }

    /// Every combination `expression` allows. `sets` are the other named expressions, for `+name`.
    static func combinations(_ expression: String, sets: [String: String], seen: Set<String> = []) throws(Problem) -> [Set<String>] {
        var parser = Parser(tokens: try tokens(expression), sets: sets, seen: seen)
        let result = try parser.alternatives()
        if parser.index < parser.tokens.count { throw Problem(message: "unexpected '\(parser.tokens[parser.index])' in '\(expression)'") }
        return result
    }

    private static func tokens(_ text: String) throws(Problem) -> [String] {
        var tokens: [String] = []
        var word = ""
        for character in text {
            if character.isLetter || character.isNumber || character == "_" || character == "-" || character == "+" && word.isEmpty {
                word.append(character)
                continue
            }
            if !word.isEmpty { tokens.append(word); word = "" }
            switch character {
            case "&", "|", "(", ")": tokens.append(String(character))
            case " ", "\t", "\n": break
            default: throw Problem(message: "unexpected '\(character)' in '\(text)'")
            }
        }
        if !word.isEmpty { tokens.append(word) }
        return tokens
    }

    private struct Parser {
        let tokens: [String]
        let sets: [String: String]
        let seen: Set<String>
        var index = 0

        init(tokens: [String], sets: [String: String], seen: Set<String>) {
            self.tokens = tokens
            self.sets = sets
            self.seen = seen
        }

        mutating func alternatives() throws(Problem) -> [Set<String>] {
            var result = try conjunction()
            while index < tokens.count, tokens[index] == "|" {
                index += 1
                result += try conjunction()
            }
            return result
        }

        mutating func conjunction() throws(Problem) -> [Set<String>] {
            var result = try atom()
            while index < tokens.count, tokens[index] == "&" {
                index += 1
                let right = try atom()
                result = result.flatMap { left in right.map { left.union($0) } }
            }
            return result
        }

        mutating func atom() throws(Problem) -> [Set<String>] {
            guard index < tokens.count else { throw Problem(message: "an expression ends too early") }
            let token = tokens[index]
            index += 1
            if token == "(" {
                let inner = try alternatives()
                guard index < tokens.count, tokens[index] == ")" else { throw Problem(message: "a '(' is not closed") }
                index += 1
                return inner
            }
            if token.hasPrefix("+") {
                let name = String(token.dropFirst())
                guard let expression = sets[name] else { throw Problem(message: "+\(name) names no set") }
                if seen.contains(name) { throw Problem(message: "set \(name) includes itself") }
                return try MatrixExpression.combinations(expression, sets: sets, seen: seen.union([name]))
            }
            guard !["&", "|", ")"].contains(token) else { throw Problem(message: "unexpected '\(token)'") }
            return [[token]]
        }
    }
}
