import Foundation
import Testing
@testable import TierbenchCore

struct ReportRequestLogLineTests {
    static let ms: UInt64 = 1_000_000
    /// 2026-11-22T21:56:01.000Z in Unix ns.
    static let runStart: Int64 = 1_795_384_561_000_000_000

    static func parse(_ line: String) throws -> [String: Any] {
        #expect(line.hasSuffix("\n"))
        #expect(line.dropLast().contains("\n") == false)
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
        return try #require(object as? [String: Any])
    }

    @Test func successfulClosedLoopRequest() throws {
        let outcome = RequestOutcome(
            index: 41, intendedStart: 1_234_567_890, actualStart: 1_234_567_890, end: 1_234_567_890 + 20_125_400,
            status: 200, prompts: 1, usage: TokenUsage(prompt: 12, completion: 30, total: 42))
        let line = RequestLogLine.line(outcome, runStartUnixNanos: Self.runStart)
        #expect(line == #"{"i":41,"sent_at":"2026-11-22T21:56:02.234Z","t_ms":1234.568,"latency_ms":20.125,"#
            + #""status":200,"prompts":1,"prompt_tokens":12,"completion_tokens":30,"total_tokens":42}"# + "\n")
        let json = try Self.parse(line)
        #expect(json["i"] as? Int == 41)
        #expect(json["latency_ms"] as? Double == 20.125)
        #expect(json["total_tokens"] as? Int == 42)
        #expect(json["response_time_ms"] == nil)
        #expect(json["error"] == nil)
        #expect(json["warmup"] == nil)
        #expect(json["attempts"] == nil)
        #expect(json["cached_tokens"] == nil, "no cached tokens reported, no key")
    }

    @Test func cachedPromptTokensFollowTheUsage() throws {
        let outcome = RequestOutcome(
            index: 0, intendedStart: 0, actualStart: 0, end: Self.ms, status: 200, prompts: 1,
            usage: TokenUsage(prompt: 2_006, completion: 300, cachedPrompt: 1_920))
        let line = RequestLogLine.line(outcome, runStartUnixNanos: Self.runStart)
        #expect(line.contains(#""prompt_tokens":2006,"completion_tokens":300,"total_tokens":2306,"cached_tokens":1920}"#))
        #expect(try Self.parse(line)["cached_tokens"] as? Int == 1_920)
    }

    @Test func failedRetriedLateWarmupStreamingRequest() throws {
        let message = "Rate limit reached: \"TPM\"\n\tpath C:\\x \u{01} ünïcödé ✓"
        let outcome = RequestOutcome(
            index: 3, intendedStart: 10 * Self.ms, actualStart: 12 * Self.ms, end: 112 * Self.ms, status: 429,
            errorClass: .rateLimited, errorMessage: message, prompts: 4, firstTokenAt: 42 * Self.ms,
            attempts: 3, warmup: true)
        let json = try Self.parse(RequestLogLine.line(outcome, runStartUnixNanos: Self.runStart))
        #expect(json["sent_at"] as? String == "2026-11-22T21:56:01.012Z")
        #expect(json["t_ms"] as? Double == 12)
        #expect(json["latency_ms"] as? Double == 100)
        #expect(json["response_time_ms"] as? Double == 102)
        #expect(json["status"] as? Int == 429)
        #expect(json["prompts"] as? Int == 4)
        #expect(json["error"] as? String == "http_429")
        #expect(json["message"] as? String == message)
        #expect(json["warmup"] as? Bool == true)
        #expect(json["attempts"] as? Int == 3)
        #expect(json["ttft_ms"] as? Double == 30)
        #expect(json["prompt_tokens"] == nil)
    }

    @Test func transportFailureWithoutResponse() throws {
        let outcome = RequestOutcome(index: 0, intendedStart: 0, actualStart: 0, end: 400, status: 0,
                                     errorClass: .connectionRefused, errorMessage: "Couldn't connect to server")
        let line = RequestLogLine.line(outcome, runStartUnixNanos: Self.runStart)
        #expect(line.contains(#""latency_ms":0.000,"status":0,"#))
        let json = try Self.parse(line)
        #expect(json["error"] as? String == "connection_refused")
    }

    @Test func appendsToAReusedBuffer() throws {
        var buffer: [UInt8] = []
        for index in 0..<3 {
            RequestLogLine.append(
                RequestOutcome(index: index, intendedStart: 0, actualStart: 0, end: Self.ms, status: 200),
                runStartUnixNanos: Self.runStart, to: &buffer)
        }
        let lines = String(decoding: buffer, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 3)
        for (index, line) in lines.enumerated() {
            #expect(try Self.parse(line + "\n")["i"] as? Int == index)
        }
    }

    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (Int64(951_782_400_123_456_789), "2000-02-29T00:00:00.123Z"),
        (Int64(1_795_384_561_999_000_000), "2026-11-22T21:56:01.999Z"),
        (Int64(-1_000_000), "1969-12-31T23:59:59.999Z"),
        (Int64(4_102_444_799_000_000_000), "2099-12-31T23:59:59.000Z"),
    ])
    func timestamps(unixNanos: Int64, expected: String) {
        #expect(UTCTimestamp.iso8601(unixNanos: unixNanos) == expected)
    }

    @Test func timestampFractionDigits() {
        #expect(UTCTimestamp.iso8601(unixNanos: 951_782_400_123_456_789, fractionDigits: 0) == "2000-02-29T00:00:00Z")
        #expect(UTCTimestamp.iso8601(unixNanos: 951_782_400_123_456_789, fractionDigits: 9)
            == "2000-02-29T00:00:00.123456789Z")
    }

    @Test func timestampsMatchFoundation() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        var random = MetricsTestRandom(state: 9)
        for _ in 0..<1_000 {
            let millis = Int64(random.next() % 4_000_000_000_000)
            let expected = formatter.string(from: Date(timeIntervalSince1970: Double(millis) / 1_000))
            #expect(UTCTimestamp.iso8601(unixNanos: millis * 1_000_000) == expected)
        }
    }
}
