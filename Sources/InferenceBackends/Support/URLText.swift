/// Small, pure URL text helpers (we never need a full URL parser for these).
enum URLText {
    /// Adds `http://` when no scheme is written, drops trailing `/` and a trailing `/v1`.
    static func normalizedRoot(_ text: String) -> String {
        var url = text.trimmingCharacters(in: " \t")
        if !url.contains("://") { url = "http://" + url }
        while url.hasSuffix("/") { url.removeLast() }
        if url.hasSuffix("/v1") { url.removeLast(3) }
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    static func isHTTP(_ text: String) -> Bool {
        let lowered = text.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else { return false }
        let rest = lowered.drop { $0 != "/" }.dropFirst(2)
        return !rest.isEmpty && !rest.hasPrefix("/")
    }

    /// `127.0.0.1` and `::1` in URL form.
    static func hostForURL(_ host: String) -> String {
        let connectable = (host == "0.0.0.0" || host == "::") ? "127.0.0.1" : host
        // A Character, not a String: Foundation's substring search is slow, and this runs twice per instance planned.
        return connectable.contains(Character(":")) && !connectable.hasPrefix("[") ? "[\(connectable)]" : connectable
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var view = Substring(self)
        while let first = view.first, set.contains(first) { view.removeFirst() }
        while let last = view.last, set.contains(last) { view.removeLast() }
        return String(view)
    }
}
