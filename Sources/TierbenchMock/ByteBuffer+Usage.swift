import Hummingbird
import TierbenchCore

/// The `usage` objects of OpenAI responses.
extension ByteBuffer {
    /// Writes `"usage":{…}` for chat/completions; `details` adds the chat endpoint's detail objects.
    /// `cachedTokens` is `prompt_tokens_details.cached_tokens` (the prefix cache's answer); without `details` the
    /// object is written only when it is given (completions with a prefix cache).
    mutating func writeUsage(promptTokens: Int, completionTokens: Int, cachedTokens: Int? = nil, details: Bool) {
        writeWithByteWriter(reserving: 400) {
            $0.writeUsage(
                promptTokens: promptTokens, completionTokens: completionTokens, cachedTokens: cachedTokens,
                details: details)
        }
    }

    /// The chat endpoint's usage detail objects after `cached_tokens` (all zero in the mock).
    static let usageDetailsAfterCached: StaticString =
        ",\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}"
}

extension ByteWriter {
    /// Writes `"usage":{…}` like `ByteBuffer.writeUsage` (at most 400 bytes).
    mutating func writeUsage(promptTokens: Int, completionTokens: Int, cachedTokens: Int? = nil, details: Bool) {
        write("\"usage\":{\"prompt_tokens\":")
        writeDecimal(promptTokens)
        write(",\"completion_tokens\":")
        writeDecimal(completionTokens)
        write(",\"total_tokens\":")
        writeDecimal(promptTokens + completionTokens)
        if details || cachedTokens != nil {
            write(",\"prompt_tokens_details\":{\"cached_tokens\":")
            writeDecimal(cachedTokens ?? 0)
            if details { write(ByteBuffer.usageDetailsAfterCached) } else { write("}") }
        }
        write("}")
    }
}

extension ByteWriter {
    /// Writes `{"id":"<idPrefix><29 base-62>","object":"<object>","created":<created>,"model":<model>`, the start of
    /// every chat and completions object (at most ``objectHeadBound(model:)`` bytes).
    mutating func writeObjectHead(
        idPrefix: StaticString, object: StaticString, created: Int, model: String, random: inout MockRandom
    ) {
        write("{\"id\":\"")
        write(idPrefix)
        writeBase62(29, random: &random)
        write("\",\"object\":\"")
        write(object)
        write("\",\"created\":")
        writeDecimal(created)
        write(",\"model\":")
        writeJSONString(model)
    }

    /// Bytes `writeObjectHead` may take for `model`.
    static func objectHeadBound(model: String) -> Int { 140 + jsonStringBound(model) }
}
