/// The token estimate the mock uses for `usage` and rate limits, and that clients can reuse to predict a request's cost.
///
/// It is deliberately simple and documented rather than a real tokenizer: one token per started group of 4 UTF-8
/// bytes of text (OpenAI's rule of thumb is "about 4 characters per token"), so `"hello"` is 2 tokens and `""` is 0.
/// Chat prompts add the per-message framing of OpenAI's cookbook counter: 3 tokens per message, plus 3 tokens that
/// prime the assistant's reply.
public enum TokenEstimator {
    /// UTF-8 bytes counted as one token.
    public static let bytesPerToken = 4
    /// Framing tokens added for every chat message (role and separators).
    public static let tokensPerMessage = 3
    /// Tokens added once per chat prompt for the start of the assistant's reply.
    public static let tokensPerReply = 3
    /// Completion tokens reserved per choice when a chat request gives no limit (the value OpenAI's cookbook
    /// throttler assumes).
    public static let defaultCompletionReservation = 15

    /// Tokens in a text of `utf8Count` bytes: `ceil(utf8Count / 4)`.
    @inlinable
    public static func tokens(utf8Count: Int) -> Int {
        utf8Count <= 0 ? 0 : (utf8Count + bytesPerToken - 1) / bytesPerToken
    }

    /// Tokens in `text`: `ceil(UTF-8 bytes / 4)`.
    @inlinable
    public static func tokens(in text: String) -> Int {
        tokens(utf8Count: text.utf8.count)
    }

    /// Prompt tokens of a chat request whose messages carry these content token counts:
    /// `Σ (3 + content tokens) + 3`.
    @inlinable
    public static func chatPromptTokens<Counts: Sequence<Int>>(messageContentTokens: Counts) -> Int {
        var total = tokensPerReply
        for count in messageContentTokens { total += tokensPerMessage + count }
        return total
    }

    /// Prompt tokens of a chat request with `messages` messages whose contents estimate `contentTokens` in all.
    public static func chatPromptTokens(messages: Int, contentTokens: Int) -> Int {
        tokensPerReply + messages * tokensPerMessage + contentTokens
    }

    /// Prompt tokens of a chat request with these message contents.
    public static func chatPromptTokens(messageContents: [String]) -> Int {
        chatPromptTokens(messageContentTokens: messageContents.lazy.map { tokens(in: $0) })
    }

    /// The token cost a request is charged against a TPM/TPD limit before it runs:
    /// estimated prompt tokens + `n` × the completion limit (`max_completion_tokens` ?? `max_tokens`).
    @inlinable
    public static func requestCost(promptTokens: Int, choices n: Int, maxCompletionTokens: Int) -> Int {
        promptTokens + max(1, n) * max(0, maxCompletionTokens)
    }
}
