/// Typed field readers that turn wrong types and ranges into the real API's 400 messages.
extension JSONReader {
    /// Reads an integer field named `param`; a decimal or another type is a 400 `invalid_type`.
    mutating func readInt(_ param: @autoclosure () -> String) throws(MockAPIError) -> Int {
        let kind = try peekKind()
        guard kind == .number else { throw .invalidType(param(), expected: "an integer", got: kind.article) }
        let value = try readNumber()
        guard value == value.rounded(), abs(value) < 9e15 else {
            throw .invalidType(param(), expected: "an integer", got: "a decimal")
        }
        return Int(value)
    }

    /// Reads an integer field or null (nil).
    mutating func readOptionalInt(_ param: @autoclosure () -> String) throws(MockAPIError) -> Int? {
        if consumeNull() { return nil }
        return try readInt(param())
    }

    /// Reads a number field or null (nil).
    mutating func readOptionalNumber(_ param: @autoclosure () -> String) throws(MockAPIError) -> Double? {
        if consumeNull() { return nil }
        let kind = try peekKind()
        guard kind == .number else { throw .invalidType(param(), expected: "a number", got: kind.article) }
        return try readNumber()
    }

    /// Reads a boolean field or null (nil).
    mutating func readOptionalBool(_ param: @autoclosure () -> String) throws(MockAPIError) -> Bool? {
        if consumeNull() { return nil }
        let kind = try peekKind()
        guard kind == .bool else { throw .invalidType(param(), expected: "a boolean", got: kind.article) }
        return try readBool()
    }

    /// Reads a string field.
    mutating func readString(_ param: @autoclosure () -> String) throws(MockAPIError) -> String {
        let kind = try peekKind()
        guard kind == .string else { throw .invalidType(param(), expected: "a string", got: kind.article) }
        return try readString()
    }

    /// Reads `stop`: null, a string, or an array of at most 4 strings.
    mutating func readStop() throws(MockAPIError) -> [String] {
        if consumeNull() { return [] }
        switch try peekKind() {
        case .string:
            return [try readString()]
        case .array:
            var stops: [String] = []
            try forEachElement { reader, index throws(MockAPIError) in
                stops.append(try reader.readString("stop[\(index)]"))
            }
            guard stops.count <= 4 else { throw .arrayTooLong("stop", maximum: 4, got: stops.count) }
            return stops
        case let kind:
            throw .invalidType("stop", expected: "a string or an array of strings", got: kind.article)
        }
    }

    /// Reads `stream_options`: null or an object; returns `include_usage` (false when absent).
    /// `present` tells whether a non-null object was given.
    mutating func readStreamOptions() throws(MockAPIError) -> (present: Bool, includeUsage: Bool) {
        if consumeNull() { return (false, false) }
        let kind = try peekKind()
        guard kind == .object else { throw .invalidType("stream_options", expected: "an object", got: kind.article) }
        var includeUsage = false
        try forEachMember { reader, key throws(MockAPIError) in
            if key.matches("include_usage") {
                includeUsage = try reader.readOptionalBool("stream_options.include_usage") ?? false
            } else {
                try reader.skipValue()
            }
        }
        return (true, includeUsage)
    }

    /// Reads a prompt or embedding input: a string, an array of strings, an array of token ids, or an array of
    /// token-id arrays. Returns each prompt's token count and hash.
    mutating func readPrompts(_ param: @autoclosure () -> String) throws(MockAPIError) -> [PromptMeasure] {
        switch try peekKind() {
        case .string:
            return [try measureString()]
        case .array:
            var prompts: [PromptMeasure] = []
            var tokenIDs = PromptMeasure(tokens: 0, hash: PromptMeasure.emptyHash)
            var sawTokenIDs = false
            try forEachElement { reader, index throws(MockAPIError) in
                switch try reader.peekKind() {
                case .string where !sawTokenIDs:
                    prompts.append(try reader.measureString())
                case .number where prompts.isEmpty:
                    tokenIDs.combine(UInt64(truncatingIfNeeded: try reader.readInt("\(param())[\(index)]")))
                    tokenIDs.tokens += 1
                    sawTokenIDs = true
                case .array where !sawTokenIDs:
                    var measure = PromptMeasure(tokens: 0, hash: PromptMeasure.emptyHash)
                    try reader.forEachElement { inner, innerIndex throws(MockAPIError) in
                        measure.combine(UInt64(truncatingIfNeeded: try inner.readInt("\(param())[\(index)][\(innerIndex)]")))
                        measure.tokens += 1
                    }
                    prompts.append(measure)
                case let kind:
                    throw .invalidType(
                        "\(param())[\(index)]", expected: "a string, an integer or an array of integers", got: kind.article)
                }
            }
            return sawTokenIDs ? [tokenIDs] : prompts
        case let kind:
            throw .invalidType(param(), expected: "a string or an array", got: kind.article)
        }
    }
}
