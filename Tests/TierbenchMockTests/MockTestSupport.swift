import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TierbenchCore
import Testing

@testable import TierbenchMock

/// Helpers shared by the mock tests: an application around the mock's responder, and JSON/SSE decoding.
enum MockTestSupport {
    /// An application serving the mock with `settings` (for `app.test(.router)` or `.live`).
    static func application(
        _ settings: MockSettings = MockSettings(), batchClock: (any BatchClock)? = nil
    ) throws -> (Application<MockResponder>, MockRuntime) {
        let tiers = try TierCatalog.load(path: settings.tiersFile)
        try tiers.validate(settings)
        let runtime = MockRuntime(settings: settings, tiers: tiers, batchClock: batchClock)
        let app = Application(
            responder: MockResponder(runtime: runtime),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        return (app, runtime)
    }

    /// Decodes a JSON object body.
    static func object(_ buffer: ByteBuffer) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))
        return try #require(value as? [String: Any])
    }

    /// The `error` object of an OpenAI error envelope, checking that all four keys are present.
    static func errorObject(_ buffer: ByteBuffer) throws -> [String: Any] {
        let envelope = try object(buffer)
        let error = try #require(envelope["error"] as? [String: Any])
        for key in ["message", "type", "param", "code"] { #expect(error.keys.contains(key), "missing \(key)") }
        return error
    }

    /// The `data:` payloads of an SSE body, in order.
    static func events(_ buffer: ByteBuffer) -> [String] {
        String(buffer: buffer).components(separatedBy: "\n\n").compactMap { event in
            event.hasPrefix("data: ") ? String(event.dropFirst(6)) : nil
        }
    }

    /// Runs a timing measurement up to `attempts` times until `measure` reports success, so one scheduling hiccup
    /// on a busy 2-core machine does not fail a test; returns the last attempt's description for the message.
    static func timed(
        attempts: Int = 3, _ measure: () async throws -> (ok: Bool, description: String)
    ) async throws -> (ok: Bool, description: String) {
        var last = (ok: false, description: "")
        for _ in 0..<attempts {
            last = try await measure()
            if last.ok { break }
        }
        return last
    }

    /// A JSON body.
    static func body(_ json: String) -> ByteBuffer { ByteBuffer(string: json) }

    static let jsonHeaders: HTTPFields = [.contentType: "application/json"]

    static func headers(key: String) -> HTTPFields {
        [.contentType: "application/json", .authorization: "Bearer \(key)"]
    }

    /// A chat body with one user message.
    static func chat(_ extra: String = "", model: String = "gpt-4o-mini", content: String = "Say hello") -> ByteBuffer {
        body(#"{"model":"\#(model)","messages":[{"role":"user","content":"\#(content)"}]\#(extra)}"#)
    }
}

extension HTTPField.Name {
    static let xRateLimitLimitRequests = HTTPField.Name("x-ratelimit-limit-requests")!
    static let xRateLimitRemainingRequests = HTTPField.Name("x-ratelimit-remaining-requests")!
    static let xRateLimitResetRequests = HTTPField.Name("x-ratelimit-reset-requests")!
    static let xRateLimitLimitTokens = HTTPField.Name("x-ratelimit-limit-tokens")!
    static let xRateLimitRemainingTokens = HTTPField.Name("x-ratelimit-remaining-tokens")!
    static let xRateLimitResetTokens = HTTPField.Name("x-ratelimit-reset-tokens")!
    static let xRequestID = HTTPField.Name("x-request-id")!
    static let xRetryAfterMS = HTTPField.Name("retry-after-ms")!
}
