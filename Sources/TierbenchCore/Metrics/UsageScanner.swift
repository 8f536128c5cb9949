/// Finds the `usage` object in a raw response body without decoding the body.
///
/// OpenAI puts `"usage"` last, so the search runs backwards from the end: for an embeddings response with
/// thousands of floats it touches only the tail. An occurrence inside a string (escaped as `\"usage\"`) or a
/// `"usage"` that is a value rather than a key is skipped. Inside the object, `prompt_tokens`,
/// `completion_tokens` and `total_tokens` are read, and `cached_tokens` from the nested `prompt_tokens_details`
/// object; anything else (other keys of the details, `completion_tokens_details`) is skipped.
/// Whitespace and pretty printing are allowed anywhere JSON allows them. No allocation on the valid path.
///
/// Every figure is range-checked where it enters: a count must be a JSON integer (`12`, or `12.0` with an all-zero
/// fraction) in `0…TokenUsage.maximumField`. A negative, fractional, exponent-form (`1e300`) or larger figure makes
/// the whole usage `.invalid`: the engine classes the response `invalid_usage` and sums none of it. A `null` or
/// non-numeric value counts as absent.
public enum UsageScanner {
    /// What a body's usage object held.
    public enum Reading: Sendable, Equatable {
        /// No `usage` object (absent, `null`, or without any of the three counts).
        case absent
        /// A usage whose every figure is in range.
        case valid(TokenUsage)
        /// A usage with a figure out of range; the text says which (`usage.prompt_tokens = -1 is out of range …`).
        case invalid(String)

        /// The usage when valid, else nil.
        public var usage: TokenUsage? {
            if case .valid(let usage) = self { return usage }
            return nil
        }
    }

    /// The usage of the response in `body`, or nil when it has no `usage` object or an out-of-range figure (see
    /// `read(_:)` to tell the two apart).
    public static func scan(_ body: UnsafeRawBufferPointer) -> TokenUsage? {
        read(body).usage
    }

    /// The usage in `body`; see `scan(_: UnsafeRawBufferPointer)`.
    public static func scan(_ body: [UInt8]) -> TokenUsage? {
        body.withUnsafeBytes { scan($0) }
    }

    /// The usage object of the response in `body`, range-checked.
    public static func read(_ body: UnsafeRawBufferPointer) -> Reading {
        var limit = body.count
        while let keyQuote = JSONBytes.lastKeyQuote(body, key: "usage", anchor: usageAnchor, before: limit) {
            limit = keyQuote + 6  // the next search ends before this match's closing quote
            var position = JSONBytes.skipWhitespace(body, from: keyQuote + 7)
            guard position < body.count, body[position] == JSONBytes.colon else { continue }
            position = JSONBytes.skipWhitespace(body, from: position + 1)
            guard position < body.count else { return .absent }
            if body[position] != JSONBytes.openBrace { return .absent }  // `"usage": null`
            return readUsageObject(body, openingBrace: position)
        }
        return .absent
    }

    /// Where `lastKeyQuote` anchors its search for `"usage"`: the `g`.
    private static let usageAnchor = JSONBytes.rarestByteOffset(in: "usage")

    /// The usage in `body`; see `read(_: UnsafeRawBufferPointer)`.
    public static func read(_ body: [UInt8]) -> Reading {
        body.withUnsafeBytes { read($0) }
    }

    /// Reads the counts from the object that opens at `openingBrace`; a malformed or cut-off object keeps the counts
    /// read before the damage.
    private static func readUsageObject(_ body: UnsafeRawBufferPointer, openingBrace: Int) -> Reading {
        var prompt: Int?
        var completion: Int?
        var total: Int?
        var cached: Int?
        var problem: (key: StaticString, value: Range<Int>)?
        /// Reads the count at `position` into `field`; notes the first out-of-range figure.
        func count(_ key: StaticString, at position: Int, into field: inout Int?) -> Int? {
            switch readCount(body, from: position) {
            case .none: return nil
            case .some(.valid(let value, let end)):
                field = value
                return end
            case .some(.outOfRange(let end)):
                if problem == nil { problem = (key, position..<end) }
                return end
            }
        }
        forEachMember(body, openingBrace: openingBrace) { key, position in
            if JSONBytes.equals(body, key, "prompt_tokens") {
                return count("prompt_tokens", at: position, into: &prompt)
            } else if JSONBytes.equals(body, key, "completion_tokens") {
                return count("completion_tokens", at: position, into: &completion)
            } else if JSONBytes.equals(body, key, "total_tokens") {
                return count("total_tokens", at: position, into: &total)
            } else if JSONBytes.equals(body, key, "prompt_tokens_details"), body[position] == JSONBytes.openBrace {
                // `cached_tokens` of the nested object; its other keys are skipped.
                return forEachMember(body, openingBrace: position) { key, position in
                    guard JSONBytes.equals(body, key, "cached_tokens") else { return nil }
                    return count("prompt_tokens_details.cached_tokens", at: position, into: &cached)
                }
            }
            return nil
        }
        if let problem {
            let shown = problem.value.count > 40 ? problem.value.prefix(40) : problem.value
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: body[shown]), as: UTF8.self)
                + (shown.count < problem.value.count ? "…" : "")
            return .invalid(
                "usage.\(problem.key) = \(text) is out of range (a token count must be an integer in "
                    + "0…\(TokenUsage.maximumField)); the usage is not counted")
        }
        guard prompt != nil || completion != nil || total != nil else { return .absent }
        return .valid(
            TokenUsage(prompt: prompt ?? 0, completion: completion ?? 0, total: total, cachedPrompt: cached ?? 0))
    }

    /// A number read where a token count belongs.
    enum Count: Equatable {
        /// An integer in `0…TokenUsage.maximumField`, and the index just past it.
        case valid(Int, end: Int)
        /// A JSON number that is negative, fractional, in exponent form or too large; the index just past it.
        case outOfRange(end: Int)
    }

    /// The JSON number at `index` checked as a token count; nil when the value is not a number (`null`, a string).
    static func readCount(_ bytes: UnsafeRawBufferPointer, from index: Int) -> Count? {
        guard index < bytes.count else { return nil }
        let first = bytes[index]
        guard first == UInt8(ascii: "-") || (first >= 0x30 && first <= 0x39) else { return nil }
        var position = index
        var valid = first != UInt8(ascii: "-")
        if !valid { position += 1 }
        var value = 0
        var digits = 0
        while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 {
            if valid {
                let (product, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = product.addingReportingOverflow(Int(bytes[position] - 0x30))
                if overflow1 || overflow2 || sum > TokenUsage.maximumField { valid = false } else { value = sum }
            }
            digits += 1
            position += 1
        }
        if digits == 0 { valid = false }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 {
                if bytes[position] != 0x30 { valid = false }  // 12.0 is 12; 1.5 is not a count
                position += 1
            }
        }
        // An exponent (1e3, 1e300) or anything else glued to the number makes it out of range.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == JSONBytes.comma || byte == JSONBytes.closeBrace || byte == JSONBytes.closeBracket
                || JSONBytes.isWhitespace(byte)
            {
                break
            }
            valid = false
            position += 1
        }
        return valid ? .valid(value, end: position) : .outOfRange(end: position)
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
