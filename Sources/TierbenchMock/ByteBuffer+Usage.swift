import Hummingbird

/// The `usage` objects of OpenAI responses.
extension ByteBuffer {
    /// Writes `"usage":{…}` for chat/completions; `details` adds the chat endpoint's detail objects.
    mutating func writeUsage(promptTokens: Int, completionTokens: Int, details: Bool) {
        writeStaticString("\"usage\":{\"prompt_tokens\":")
        writeDecimal(promptTokens)
        writeStaticString(",\"completion_tokens\":")
        writeDecimal(completionTokens)
        writeStaticString(",\"total_tokens\":")
        writeDecimal(promptTokens + completionTokens)
        if details {
            writeStaticString(Self.usageDetails)
        }
        writeStaticString("}")
    }

    /// The chat endpoint's usage detail objects (all zero in the mock).
    private static let usageDetails: StaticString =
        ",\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}"
}
