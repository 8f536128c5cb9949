/// Finds the `usage` object in a raw response body without decoding the body.
///
/// OpenAI puts `"usage"` last, so the search runs backwards from the end: for an embeddings response with
/// thousands of floats it touches only the tail. An occurrence inside a string (escaped as `\"usage\"`) or a
/// `"usage"` that is a value rather than a key is skipped. Inside the object, `prompt_tokens`,
/// `completion_tokens` and `total_tokens` are read, and `cached_tokens` from the nested `prompt_tokens_details`
/// object; anything else (other keys of the details, `completion_tokens_details`) is skipped.
/// Whitespace and pretty printing are allowed anywhere JSON allows them. No allocation.
public enum UsageScanner {
    /// The usage of the response in `body`, or nil when it has no `usage` object (absent or `null`).
    public static func scan(_ body: UnsafeRawBufferPointer) -> TokenUsage? {
        var limit = body.count
        while let keyQuote = JSONBytes.lastKeyQuote(body, key: "usage", before: limit) {
            limit = keyQuote + 6  // the next search ends before this match's closing quote
            var position = JSONBytes.skipWhitespace(body, from: keyQuote + 7)
            guard position < body.count, body[position] == JSONBytes.colon else { continue }
            position = JSONBytes.skipWhitespace(body, from: position + 1)
            guard position < body.count else { return nil }
            if body[position] != JSONBytes.openBrace { return nil }  // `"usage": null`
            return readUsageObject(body, openingBrace: position)
        }
        return nil
    }

    /// The usage in `body`; see `scan(_: UnsafeRawBufferPointer)`.
    public static func scan(_ body: [UInt8]) -> TokenUsage? {
        body.withUnsafeBytes { scan($0) }
    }

    /// Reads the counts from the object that opens at `openingBrace`; a malformed or cut-off object keeps the counts
    /// read before the damage.
    private static func readUsageObject(_ body: UnsafeRawBufferPointer, openingBrace: Int) -> TokenUsage? {
        var prompt: Int?
        var completion: Int?
        var total: Int?
        var cached: Int?
        forEachMember(body, openingBrace: openingBrace) { key, position in
            if JSONBytes.equals(body, key, "prompt_tokens") {
                let number = JSONBytes.readInteger(body, from: position)
                prompt = number?.value
                return number?.end
            } else if JSONBytes.equals(body, key, "completion_tokens") {
                let number = JSONBytes.readInteger(body, from: position)
                completion = number?.value
                return number?.end
            } else if JSONBytes.equals(body, key, "total_tokens") {
                let number = JSONBytes.readInteger(body, from: position)
                total = number?.value
                return number?.end
            } else if JSONBytes.equals(body, key, "prompt_tokens_details"), body[position] == JSONBytes.openBrace {
                // `cached_tokens` of the nested object; its other keys are skipped.
                return forEachMember(body, openingBrace: position) { key, position in
                    guard JSONBytes.equals(body, key, "cached_tokens") else { return nil }
                    let number = JSONBytes.readInteger(body, from: position)
                    cached = number?.value ?? cached
                    return number?.end
                }
            }
            return nil
        }
        guard prompt != nil || completion != nil || total != nil else { return nil }
        return TokenUsage(prompt: prompt ?? 0, completion: completion ?? 0, total: total, cachedPrompt: cached ?? 0)
    }

    /// Walks the members of the object that opens at `openingBrace`. `read(key, valueStart)` reads a value it wants
    /// and returns the index just past it, or nil to have the value skipped. Returns the index just past the closing
    /// brace, or nil when the object is malformed or cut off (the walk stops there).
    @discardableResult
    private static func forEachMember(
        _ body: UnsafeRawBufferPointer, openingBrace: Int, _ read: (_ key: Range<Int>, _ valueStart: Int) -> Int?
    ) -> Int? {
        var position = JSONBytes.skipWhitespace(body, from: openingBrace + 1)
        while position < body.count, body[position] == JSONBytes.quote {
            guard let keyEnd = JSONBytes.endOfString(body, openingQuote: position) else { return nil }
            let key = (position + 1)..<(keyEnd - 1)
            position = JSONBytes.skipWhitespace(body, from: keyEnd)
            guard position < body.count, body[position] == JSONBytes.colon else { return nil }
            position = JSONBytes.skipWhitespace(body, from: position + 1)
            guard position < body.count else { return nil }
            guard let next = read(key, position) ?? JSONBytes.skipValue(body, from: position) else { return nil }
            position = JSONBytes.skipWhitespace(body, from: next)
            guard position < body.count, body[position] == JSONBytes.comma else { break }
            position = JSONBytes.skipWhitespace(body, from: position + 1)
        }
        guard position < body.count, body[position] == JSONBytes.closeBrace else { return nil }
        return position + 1
    }
}
