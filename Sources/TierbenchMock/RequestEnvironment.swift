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
    /// The 128 random bits of `x-request-id`.
    private let requestIDBits: (UInt64, UInt64)
    /// The bearer token ("" when none); rate limits are per key.
    let apiKey: String
    /// `x-ratelimit-*` values to send, once known.
    var rateHeaders: BucketHeaders?
    /// The route, for stats.
    var record: RequestRecord
    /// The `created` of a generated body when it is not now: a batch line's virtual start second.
    var created: Int?
    /// Whether usage is priced at the Batch API price (`PriceTable.ModelPrice.batchUSD`).
    var batchPricing = false

    /// - Parameter arrival: when the request's bytes began to arrive (monotonic ns); nil = now.
    init(runtime: MockRuntime, headers: HTTPFields, route: MockRoute, arrival: UInt64? = nil) {
        self.init(
            runtime: runtime, authorization: headers[.authorization],
            retryCount: headers[HTTPField.Name.stainlessRetryCount], route: route, arrival: arrival)
    }

    /// - Parameters:
    ///   - authorization: the `Authorization` header (`Bearer <key>`).
    ///   - retryCount: the SDKs' `x-stainless-retry-count` header.
    ///   - arrival: when the request's bytes began to arrive (monotonic ns); nil = now.
    init(runtime: MockRuntime, authorization: String?, retryCount: String?, route: MockRoute, arrival: UInt64? = nil) {
        var key = ""
        if var authorization {
            key = authorization.withUTF8 { Self.apiKey(authorization: UnsafeRawBufferPointer($0)) }
        }
        let retry = retryCount.flatMap { Int($0) }.map { $0 > 0 } ?? false
        self.init(runtime: runtime, apiKey: key, retry: retry, route: route, arrival: arrival)
    }

    /// - Parameters:
    ///   - apiKey: the bearer token ("" when none).
    ///   - retry: whether the SDK marked the request as a retry.
    ///   - arrival: when the request's bytes began to arrive (monotonic ns); nil = now.
    init(runtime: MockRuntime, apiKey: String, retry: Bool, route: MockRoute, arrival: UInt64? = nil) {
        self.sequence = runtime.nextSequence()
        self.random = MockRandom(seed: runtime.settings.seed, sequence: sequence)
        let now = MonotonicClock.now()
        self.start = arrival.map { min($0, now) } ?? now
        self.requestIDBits = (random.next(), random.next())
        self.apiKey = apiKey
        self.record = RequestRecord(route: route)
        record.retry = retry
    }

    /// A batch line's environment: its own random stream (`random`, derived from the batch and line), no arrival
    /// number, no key (batch lines are not rate-limited per key).
    init(runtime: MockRuntime, random: MockRandom, route: MockRoute) {
        self.sequence = 0
        self.random = random
        self.start = MonotonicClock.now()
        self.requestIDBits = (self.random.next(), self.random.next())
        self.apiKey = ""
        self.record = RequestRecord(route: route)
    }

    /// The key in an `Authorization` value: what follows `Bearer `, without surrounding spaces.
    static func apiKey(authorization bytes: UnsafeRawBufferPointer) -> String {
        var token = bytes[...]
        let bearer: StaticString = "Bearer "
        let prefix = UnsafeRawBufferPointer(start: bearer.utf8Start, count: bearer.utf8CodeUnitCount)
        if token.starts(with: prefix) { token = token.dropFirst(prefix.count) }
        while token.first == UInt8(ascii: " ") { token = token.dropFirst() }
        while token.last == UInt8(ascii: " ") { token = token.dropLast() }
        return String(decoding: token, as: UTF8.self)
    }

    /// `req_<32 hex>`.
    var requestID: String {
        var buffer = ByteBuffer()
        writeRequestID(into: &buffer)
        return String(buffer: buffer)
    }

    /// Writes `req_<32 hex>`.
    func writeRequestID(into buffer: inout ByteBuffer) {
        buffer.writeStaticString("req_")
        buffer.writeHex16(requestIDBits.0)
        buffer.writeHex16(requestIDBits.1)
    }

    /// Writes the common headers as HTTP/1.1 header lines, without intermediate strings (the fast path); at most
    /// ``headerLinesBound(runtime:)`` bytes.
    func writeHeaderLines(
        into writer: inout ByteWriter, runtime: MockRuntime, retryAfter: Double?,
        contentType: StaticString = "application/json"
    ) {
        writer.write("content-type: ")
        writer.write(contentType)
        writer.write("\r\nx-request-id: req_")
        writer.writeHex16(requestIDBits.0)
        writer.writeHex16(requestIDBits.1)
        writer.write("\r\nopenai-version: 2020-10-01\r\nopenai-organization: ")
        writer.write(string: runtime.settings.organization)
        writer.write("\r\nopenai-processing-ms: ")
        writer.writeDecimal(UInt64((MonotonicClock.now() &- start) / 1_000_000))
        writer.write("\r\n")
        if let rate = rateHeaders {
            if let limit = rate.limitRequests, let remaining = rate.remainingRequests, let reset = rate.resetRequests {
                writer.write("x-ratelimit-limit-requests: ")
                writer.writeDecimal(limit)
                writer.write("\r\nx-ratelimit-remaining-requests: ")
                writer.writeDecimal(remaining)
                writer.write("\r\nx-ratelimit-reset-requests: ")
                writer.writeGoDuration(seconds: reset)
                writer.write("\r\n")
            }
            if let limit = rate.limitTokens, let remaining = rate.remainingTokens, let reset = rate.resetTokens {
                writer.write("x-ratelimit-limit-tokens: ")
                writer.writeDecimal(limit)
                writer.write("\r\nx-ratelimit-remaining-tokens: ")
                writer.writeDecimal(remaining)
                writer.write("\r\nx-ratelimit-reset-tokens: ")
                writer.writeGoDuration(seconds: reset)
                writer.write("\r\n")
            }
        }
        if let retryAfter {
            writer.write("retry-after: ")
            writer.writeDecimal(max(1, Int(retryAfter.rounded(.up))))
            writer.write("\r\nretry-after-ms: ")
            writer.writeDecimal(max(1, Int((retryAfter * 1000).rounded(.up))))
            writer.write("\r\n")
        }
    }

    /// Most bytes `writeHeaderLines` writes: its fixed text (about 330 bytes), 32 hex digits, 6 numbers of at most
    /// 20 characters, 2 Go durations of at most 26, and the organization.
    static func headerLinesBound(runtime: MockRuntime) -> Int {
        512 + 6 * 20 + 2 * 26 + runtime.settings.organization.utf8.count
    }

    /// Calls `emit` with each common response header: content type, request id, OpenAI's
    /// version/organization/processing time, the rate-limit family when known, and `retry-after`/`retry-after-ms`
    /// when `retryAfter` (wall seconds) is given.
    func forEachHeader(
        runtime: MockRuntime, contentType: String, retryAfter: Double?, _ emit: (HTTPField.Name, String) -> Void
    ) {
        emit(.contentType, contentType)
        emit(.requestID, requestID)
        emit(.openAIVersion, "2020-10-01")
        emit(.openAIOrganization, runtime.settings.organization)
        emit(.openAIProcessingMS, String((MonotonicClock.now() &- start) / 1_000_000))
        if let rate = rateHeaders {
            if let limit = rate.limitRequests, let remaining = rate.remainingRequests, let reset = rate.resetRequests {
                emit(.rateLimitRequests, String(limit))
                emit(.rateRemainingRequests, String(remaining))
                emit(.rateResetRequests, GoDuration.format(seconds: reset))
            }
            if let limit = rate.limitTokens, let remaining = rate.remainingTokens, let reset = rate.resetTokens {
                emit(.rateLimitTokens, String(limit))
                emit(.rateRemainingTokens, String(remaining))
                emit(.rateResetTokens, GoDuration.format(seconds: reset))
            }
        }
        if let retryAfter {
            emit(.retryAfter, String(max(1, Int(retryAfter.rounded(.up)))))
            emit(.retryAfterMS, String(max(1, Int((retryAfter * 1000).rounded(.up)))))
        }
    }

    /// The common response headers as `HTTPFields` (Hummingbird's path).
    func headers(runtime: MockRuntime, contentType: String, retryAfter: Double? = nil) -> HTTPFields {
        var fields = HTTPFields()
        fields.reserveCapacity(16)
        forEachHeader(runtime: runtime, contentType: contentType, retryAfter: retryAfter) { name, value in
            fields.append(HTTPField(name: name, value: value))
        }
        return fields
    }

    /// A JSON error reply in OpenAI's envelope.
    func errorReply(_ error: MockAPIError) -> MockReply {
        MockReply(status: error.status, body: error.body(), retryAfter: error.retryAfterSeconds)
    }

    /// A 200 JSON reply.
    func jsonReply(_ body: ByteBuffer) -> MockReply {
        MockReply(status: 200, body: body)
    }
}

/// A complete response: status, JSON body and what its headers depend on. Hummingbird's path wraps it in a
/// `Response`; the fast path writes it to the socket as bytes.
struct MockReply: Sendable {
    var status: Int
    var body: ByteBuffer
    /// Wall-clock seconds for `retry-after`/`retry-after-ms` (429s).
    var retryAfter: Double?

    static let contentType = "application/json"

    /// The reply as a Hummingbird response with the common headers.
    func response(env: RequestEnvironment, runtime: MockRuntime) -> Response {
        var fields = env.headers(runtime: runtime, contentType: Self.contentType, retryAfter: retryAfter)
        if status == 405 { fields.append(HTTPField(name: .allow, value: "GET, POST")) }
        // A body over the cap is not read: the connection closes after the 413 (`RequestBoundaryHandler`).
        if status == 413 { fields.append(HTTPField(name: .connection, value: "close")) }
        return Response(status: HTTPResponse.Status(code: status), headers: fields, body: .init(byteBuffer: body))
    }

    /// The standard reason phrase of the statuses the mock sends ("" for others: the phrase is optional).
    static func reasonPhrase(_ status: Int) -> StaticString {
        switch status {
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 413: return "Content Too Large"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        default: return ""
        }
    }

    /// Writes the whole HTTP/1.1 response — status line, headers, body — into `buffer`.
    func write(into buffer: inout ByteBuffer, env: RequestEnvironment, runtime: MockRuntime, close: Bool) {
        // Status line (≤ 40), the common headers, `allow` (18), `connection` (19), `content-length` (38).
        let bound = 128 + RequestEnvironment.headerLinesBound(runtime: runtime)
        let bodyLength = body.readableBytes
        buffer.writeWithByteWriter(reserving: bound) { writer in
            if status == 200 {
                writer.write("HTTP/1.1 200 OK\r\n")
            } else {
                writer.write("HTTP/1.1 ")
                writer.writeDecimal(status)
                writer.write(" ")
                writer.write(Self.reasonPhrase(status))
                writer.write("\r\n")
            }
            env.writeHeaderLines(into: &writer, runtime: runtime, retryAfter: retryAfter)
            if status == 405 { writer.write("allow: GET, POST\r\n") }
            if close { writer.write("connection: close\r\n") }
            writer.write("content-length: ")
            writer.writeDecimal(bodyLength)
            writer.write("\r\n\r\n")
        }
        var body = body
        buffer.writeBuffer(&body)
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
