import Foundation
import HTTPTypes
import Hummingbird
import TierbenchCore

/// Per-request state shared by the handlers: ids, randomness, timing, the caller's key and the rate-limit headers.
struct RequestEnvironment: Sendable {
    /// Arrival number of the request.
    let sequence: UInt64
    /// This request's random stream.
    var random: MockRandom
    /// Monotonic nanoseconds when the request arrived.
    let start: UInt64
    /// `req_<32 hex>`.
    let requestID: String
    /// The bearer token ("" when none); rate limits are per key.
    let apiKey: String
    /// `x-ratelimit-*` values to send, once known.
    var rateHeaders: RateLimitHeaders?
    /// The route, for stats.
    var record: RequestRecord

    init(runtime: MockRuntime, request: Request, route: MockRoute) {
        self.sequence = runtime.nextSequence()
        self.random = MockRandom(seed: runtime.settings.seed, sequence: sequence)
        self.start = MonotonicClock.now()
        self.requestID = "req_" + random.hex32()
        var key = ""
        if let authorization = request.headers[.authorization] {
            let bearer = "Bearer "
            key = authorization.hasPrefix(bearer) ? String(authorization.dropFirst(bearer.count)) : authorization
            key = key.trimmingCharacters(in: .whitespaces)
        }
        self.apiKey = key
        self.record = RequestRecord(route: route)
        if let retries = request.headers[HTTPField.Name.stainlessRetryCount], let count = Int(retries), count > 0 {
            record.retry = true
        }
    }

    /// The common response headers: content type, request id, OpenAI's version/organization/processing time, the
    /// rate-limit family when known, and `retry-after`/`retry-after-ms` when `retryAfter` (wall seconds) is given.
    func headers(runtime: MockRuntime, contentType: String, retryAfter: Double? = nil) -> HTTPFields {
        var fields = HTTPFields()
        fields.reserveCapacity(16)
        fields.append(HTTPField(name: .contentType, value: contentType))
        fields.append(HTTPField(name: .requestID, value: requestID))
        fields.append(HTTPField(name: .openAIVersion, value: "2020-10-01"))
        fields.append(HTTPField(name: .openAIOrganization, value: runtime.settings.organization))
        let elapsedMilliseconds = (MonotonicClock.now() &- start) / 1_000_000
        fields.append(HTTPField(name: .openAIProcessingMS, value: String(elapsedMilliseconds)))
        if let rate = rateHeaders {
            if let limit = rate.limitRequests, let remaining = rate.remainingRequests, let reset = rate.resetRequests {
                fields.append(HTTPField(name: .rateLimitRequests, value: String(limit)))
                fields.append(HTTPField(name: .rateRemainingRequests, value: String(remaining)))
                fields.append(HTTPField(name: .rateResetRequests, value: GoDuration.format(seconds: reset)))
            }
            if let limit = rate.limitTokens, let remaining = rate.remainingTokens, let reset = rate.resetTokens {
                fields.append(HTTPField(name: .rateLimitTokens, value: String(limit)))
                fields.append(HTTPField(name: .rateRemainingTokens, value: String(remaining)))
                fields.append(HTTPField(name: .rateResetTokens, value: GoDuration.format(seconds: reset)))
            }
        }
        if let retryAfter {
            let milliseconds = max(1, Int((retryAfter * 1000).rounded(.up)))
            fields.append(HTTPField(name: .retryAfter, value: String(max(1, Int(retryAfter.rounded(.up))))))
            fields.append(HTTPField(name: .retryAfterMS, value: String(milliseconds)))
        }
        return fields
    }

    /// A JSON error response in OpenAI's envelope.
    func errorResponse(_ error: MockAPIError, runtime: MockRuntime) -> Response {
        var fields = headers(runtime: runtime, contentType: "application/json", retryAfter: error.retryAfterSeconds)
        if error.status == 405 { fields.append(HTTPField(name: .allow, value: "GET, POST")) }
        return Response(status: HTTPResponse.Status(code: error.status), headers: fields, body: .init(byteBuffer: error.body()))
    }
}

extension HTTPField.Name {
    // Valid header names written as literals: the initializer only fails for invalid tokens.
    static let requestID = HTTPField.Name("x-request-id")!
    static let openAIVersion = HTTPField.Name("openai-version")!
    static let openAIOrganization = HTTPField.Name("openai-organization")!
    static let openAIProcessingMS = HTTPField.Name("openai-processing-ms")!
    static let rateLimitRequests = HTTPField.Name("x-ratelimit-limit-requests")!
    static let rateRemainingRequests = HTTPField.Name("x-ratelimit-remaining-requests")!
    static let rateResetRequests = HTTPField.Name("x-ratelimit-reset-requests")!
    static let rateLimitTokens = HTTPField.Name("x-ratelimit-limit-tokens")!
    static let rateRemainingTokens = HTTPField.Name("x-ratelimit-remaining-tokens")!
    static let rateResetTokens = HTTPField.Name("x-ratelimit-reset-tokens")!
    static let retryAfterMS = HTTPField.Name("retry-after-ms")!
    static let stainlessRetryCount = HTTPField.Name("x-stainless-retry-count")!
}
