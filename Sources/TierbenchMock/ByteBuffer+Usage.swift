import Hummingbird
import TierbenchCore

/// The `usage` objects of OpenAI responses.
extension ByteBuffer {
    /// Writes `"usage":{…}` for chat/completions; `details` adds the chat endpoint's detail objects.
    mutating func writeUsage(promptTokens: Int, completionTokens: Int, details: Bool) {
        writeWithByteWriter(reserving: 300) {
            $0.writeUsage(promptTokens: promptTokens, completionTokens: completionTokens, details: details)
        }
    }

    /// The chat endpoint's usage detail objects (all zero in the mock).
    static let usageDetails: StaticString =
        ",\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}"
}

extension ByteWriter {
    /// Writes `"usage":{…}` like `ByteBuffer.writeUsage` (at most 300 bytes).
    mutating func writeUsage(promptTokens: Int, completionTokens: Int, details: Bool) {
        write("\"usage\":{\"prompt_tokens\":")
        writeDecimal(promptTokens)
        write(",\"completion_tokens\":")
        writeDecimal(completionTokens)
        write(",\"total_tokens\":")
        writeDecimal(promptTokens + completionTokens)
        if details { write(ByteBuffer.usageDetails) }
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
