import Testing

@testable import TierbenchCore

/// Issue 11 item 13: the rule that stops a run against a hopeless target, on exact outcome sequences.
@Suite struct FailFastRuleTests {
    static func failure(_ errorClass: ErrorClass, status: Int = 0, message: String? = nil) -> RequestOutcome {
        RequestOutcome(index: 0, intendedStart: 0, actualStart: 0, end: 1, status: status, errorClass: errorClass,
                       errorMessage: message)
    }

    @Test func twentyHopelessFailuresStopTheRunWithTheFirstMessage() {
        var rule = FailFastRule()
        let first = Self.failure(.http4xx, status: 404, message: "The model `gpt-9` does not exist")
        #expect(rule.note(first) == nil)
        for _ in 1..<(FailFastRule.window - 1) { #expect(rule.note(Self.failure(.connectionRefused)) == nil) }
        let reason = rule.note(Self.failure(.dns))
        #expect(reason == "the first 20 requests all failed with HTTP 404 http_4xx: The model `gpt-9` does not exist")
        // It fires once.
        #expect(rule.note(Self.failure(.dns)) == nil)
    }

    @Test(arguments: [ErrorClass.rateLimited, .http5xx, .timeout, .connectionReset, .badResponse])
    func loadRelatedFailuresDisarmTheRule(errorClass: ErrorClass) {
        var rule = FailFastRule()
        for _ in 0..<10 { _ = rule.note(Self.failure(.connectionRefused)) }
        _ = rule.note(Self.failure(errorClass, status: errorClass == .rateLimited ? 429 : 500))
        for _ in 0..<50 { #expect(rule.note(Self.failure(.connectionRefused)) == nil) }
    }

    @Test func aSuccessDisarmsTheRule() {
        var rule = FailFastRule()
        _ = rule.note(RequestOutcome(index: 0, intendedStart: 0, actualStart: 0, end: 1, status: 200))
        for _ in 0..<50 { #expect(rule.note(Self.failure(.http4xx, status: 401)) == nil) }
        #expect(FailFastRule.isHopeless(.http4xx, status: 404))
        #expect(!FailFastRule.isHopeless(.http4xx, status: 408))
        #expect(!FailFastRule.isHopeless(.rateLimited, status: 429))
    }
}
