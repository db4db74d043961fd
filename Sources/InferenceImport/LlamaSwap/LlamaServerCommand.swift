/// A `llama-server` command line taken apart: the flags our `llama_cpp` fields express, and the
/// rest, in order, for `server.extraArgs`. `${PORT}` as the port means `port: auto`.
struct LlamaServerCommand: Equatable {
    var binary: String
    var modelPath: String?
    var alias: String?
    var host: String?
    /// nil: not given; "auto": `${PORT}`.
    var port: String?
    var ctxSize: Int?
    var threads: Int?
    var parallel: Int?
    var gpuLayers: String?
    var flashAttn: Bool?
    var embeddings = false
    var chatTemplate: String?
    /// The key given on the command line: never written into a manifest.
    var apiKey: String?
    var apiKeyFile: String?
    var extraArgs: [String] = []

    /// Whether `words` runs llama.cpp's server (`llama-server`, a versioned build such as
    /// `llama-server-b1234`, or a path to one).
    static func runsLlamaServer(_ words: [String]) -> Bool {
        guard let program = words.first else { return false }
        let name = program.split(separator: "/").last.map(String.init) ?? program
        return name == "llama-server" || name.hasPrefix("llama-server-") || name.hasPrefix("llama-server.")
    }

    init(words: [String]) {
        binary = words.first ?? "llama-server"
        var index = 1
        func value(_ inline: String?) -> String? {
            if let inline { return inline }
            guard index + 1 < words.count else { return nil }
            index += 1
            return words[index]
        }
        while index < words.count {
            let word = words[index]
            let (flag, inline) = Self.splitInline(word)
            var kept = false
            switch flag {
            case "-m", "--model": modelPath = value(inline)
            case "-a", "--alias": alias = value(inline)
            case "--host": host = value(inline)
            case "--port": port = value(inline).map { $0 == "${PORT}" ? "auto" : $0 }
            case "-c", "--ctx-size": ctxSize = number(value(inline), word: word, inline: inline) ?? ctxSize
            case "-t", "--threads": threads = number(value(inline), word: word, inline: inline) ?? threads
            case "-np", "--parallel": parallel = number(value(inline), word: word, inline: inline) ?? parallel
            case "-ngl", "--gpu-layers", "--n-gpu-layers": gpuLayers = value(inline)
            case "-fa", "--flash-attn":
                if let inline {
                    if let setting = Self.switchValue(inline) { flashAttn = setting } else { extraArgs.append(word) }
                } else if index + 1 < words.count, let next = Self.switchValue(words[index + 1]) {
                    flashAttn = next
                    index += 1
                } else if index + 1 < words.count, words[index + 1] == "auto" {
                    extraArgs += [word, "auto"]
                    index += 1
                } else {
                    flashAttn = true // the older form: a bare switch
                }
            case "--embedding", "--embeddings": embeddings = true
            case "--chat-template": chatTemplate = value(inline)
            case "--api-key": apiKey = value(inline)
            case "--api-key-file": apiKeyFile = value(inline)
            default: kept = true
            }
            if kept { extraArgs.append(word) }
            index += 1
        }
        if gpuLayers == "999" || gpuLayers == "99" { gpuLayers = "all" }
    }

    /// A number flag whose value is not a number stays on the command line as written.
    private mutating func number(_ text: String?, word: String, inline: String?) -> Int? {
        guard let text, let number = Int(text), number >= 1 else {
            extraArgs.append(word)
            if inline == nil, let text { extraArgs.append(text) }
            return nil
        }
        return number
    }

    private static func splitInline(_ word: String) -> (String, String?) {
        guard word.hasPrefix("--"), let equals = word.firstIndex(of: "=") else { return (word, nil) }
        return (String(word[..<equals]), String(word[word.index(after: equals)...]))
    }

    private static func switchValue(_ text: String) -> Bool? {
        switch text {
        case "on", "true", "1", "enabled": return true
        case "off", "false", "0", "disabled": return false
        default: return nil
        }
    }
}
