/// Classifies one streamed JSON chunk (a `data:` payload) in a single lexical pass, without decoding it.
///
/// A chunk *carries content* when any of `content`, `text`, `reasoning_content`, `refusal` or `arguments` has a
/// non-empty string value (chat deltas, completions text, reasoning, tool-call arguments). It *is an error* when
/// its top-level object has an `error` key. Strings are skipped whole, so key names inside generated text never
/// match. It *is malformed* when it is visibly not one JSON object: it does not start with `{` and end with `}`, its
/// brackets do not balance, or a string is left open (a lexical check, not a full JSON validation).
enum StreamChunkInspector {
    struct Result {
        var hasContent = false
        var isError = false
        var isMalformed = false
    }

    static func inspect(_ payload: UnsafeRawBufferPointer) -> Result {
        var result = Result()
        var lower = 0
        var upper = payload.count
        while lower < upper && JSONBytes.isWhitespace(payload[lower]) { lower += 1 }
        while upper > lower && JSONBytes.isWhitespace(payload[upper - 1]) { upper -= 1 }
        if lower == upper || payload[lower] != JSONBytes.openBrace || payload[upper - 1] != JSONBytes.closeBrace {
            result.isMalformed = true
        }
        var depth = 0
        var position = 0
        while position < payload.count {
            let byte = payload[position]
            if byte == JSONBytes.quote {
                guard let end = JSONBytes.endOfString(payload, openingQuote: position) else {
                    result.isMalformed = true
                    return result
                }
                let key = (position + 1)..<(end - 1)
                let afterKey = JSONBytes.skipWhitespace(payload, from: end)
                guard afterKey < payload.count, payload[afterKey] == JSONBytes.colon else {
                    position = end
                    continue
                }
                let valueStart = JSONBytes.skipWhitespace(payload, from: afterKey + 1)
                if depth == 1 && JSONBytes.equals(payload, key, "error") {
                    result.isError = true
                } else if !result.hasContent, isContentKey(payload, key), valueStart + 1 < payload.count,
                          payload[valueStart] == JSONBytes.quote, payload[valueStart + 1] != JSONBytes.quote {
                    result.hasContent = true
                }
                position = valueStart
                continue
            }
            if byte == JSONBytes.openBrace || byte == JSONBytes.openBracket {
                depth += 1
            } else if byte == JSONBytes.closeBrace || byte == JSONBytes.closeBracket {
                depth -= 1
                if depth < 0 { result.isMalformed = true }
            }
            position += 1
        }
        if depth != 0 { result.isMalformed = true }
        return result
    }

    private static func isContentKey(_ payload: UnsafeRawBufferPointer, _ key: Range<Int>) -> Bool {
        JSONBytes.equals(payload, key, "content") || JSONBytes.equals(payload, key, "text")
            || JSONBytes.equals(payload, key, "reasoning_content") || JSONBytes.equals(payload, key, "refusal")
            || JSONBytes.equals(payload, key, "arguments")
    }
}
