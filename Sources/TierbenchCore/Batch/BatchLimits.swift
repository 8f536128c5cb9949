/// The Batch API's fixed limits and accepted values (batch-api.md §2–§3, openai-api.md §5.3 and §5.7).
public enum BatchLimits {
    /// Requests (lines) in one batch input file.
    public static let maxRequests = 50_000
    /// Bytes of one batch input file: "The batch input file is larger than the 209715200 maximum…".
    public static let maxInputBytes = 209_715_200
    /// Embedding inputs across all requests of an `/v1/embeddings` batch.
    public static let maxEmbeddingInputs = 50_000
    /// Batch creations per hour and organization.
    public static let creationsPerHour = 2_000
    /// The only completion window OpenAI accepts.
    public static let completionWindow = "24h"
    /// The completion window in seconds: `expires_at = created_at + 86400` in every real batch object recorded.
    public static let completionWindowSeconds = 86_400
    /// `endpoint` values `POST /v1/batches` accepts, in the order OpenAI's error message lists them.
    public static let endpoints = [
        "/v1/responses", "/v1/chat/completions", "/v1/embeddings", "/v1/completions", "/v1/moderations",
        "/v1/images/generations", "/v1/images/edits", "/v1/videos",
    ]
    /// `metadata` may hold at most this many pairs…
    public static let maxMetadataPairs = 16
    /// …with keys of at most 64 characters…
    public static let maxMetadataKeyLength = 64
    /// …and string values of at most 512 characters.
    public static let maxMetadataValueLength = 512
    /// Models whose model page says Batch "Not supported": a line naming one fails validation with
    /// `model_not_found`.
    public static let unsupportedModels: Set<String> = ["gpt-3.5-turbo-instruct"]
    /// `expires_after.seconds` / `output_expires_after.seconds`: one hour to 30 days.
    public static let fileExpirySeconds = 3_600...2_592_000
    /// Most lines (`--lines`) one job may have: 10^9 (20,000 full batches).
    public static let maxJobLines = 1_000_000_000

    /// Why `lines` is no usable `--lines`; nil when it is.
    public static func linesProblem(_ lines: Int) -> String? {
        guard lines >= 1, lines <= maxJobLines else {
            return "--lines must be between 1 and \(maxJobLines), got \(lines)."
        }
        return nil
    }

    /// Longest `--timeout` of `batch wait` / `batch run`: 30 days.
    public static let maxWaitSeconds = 2_592_000.0

    /// Why `seconds` is no usable wait (not finite, not above 0, or above 30 days); nil when it is.
    public static func timeoutProblem(_ seconds: Double) -> String? {
        guard seconds.isFinite, seconds > 0, seconds <= maxWaitSeconds else {
            return "--timeout must be a number of seconds above 0 and at most \(Int(maxWaitSeconds)) (30 days), got \(seconds)."
        }
        return nil
    }

    /// `seconds` made usable: NaN and anything above 30 days become 30 days, anything below 0 becomes 0.
    public static func clampedWait(_ seconds: Double) -> Double {
        guard !seconds.isNaN else { return maxWaitSeconds }
        return min(max(seconds, 0), maxWaitSeconds)
    }
}
