import Testing
@testable import TierbenchCore

struct MetricsErrorBodyParserTests {
    static func parse(_ text: String) -> APIErrorInfo? { ErrorBodyParser.parse(Array(text.utf8)) }

    @Test func openAIRateLimitEnvelope() {
        let body = """
        {
            "error": {
                "message": "Rate limit reached for gpt-4o-mini in organization org-x on requests per min (RPM): \
        Limit 3, Used 3, Requested 1. Please try again in 20s.",
                "type": "requests",
                "param": null,
                "code": "rate_limit_exceeded"
            }
        }
        """
        let info = Self.parse(body)
        #expect(info?.type == "requests")
        #expect(info?.code == "rate_limit_exceeded")
        #expect(info?.param == nil)
        #expect(info?.message.hasPrefix("Rate limit reached for gpt-4o-mini") == true)
    }

    @Test func contextLengthWithParam() {
        let body = #"{"error":{"message":"This model's maximum context length is 128000 tokens.","#
            + #""type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}"#
        #expect(Self.parse(body) == APIErrorInfo(
            message: "This model's maximum context length is 128000 tokens.", type: "invalid_request_error",
            code: "context_length_exceeded", param: "messages"))
    }

    @Test func vLLMStyleFlatErrorWithNumericCode() {
        let body = #"{"object":"error","message":"Limit 3, Used 3, Requested 1","type":"RateLimitError","code":429}"#
        #expect(Self.parse(body) == APIErrorInfo(message: "Limit 3, Used 3, Requested 1", type: "RateLimitError",
                                                 code: "429"))
    }

    @Test func stringErrorAndFastAPIDetail() {
        #expect(Self.parse(#"{"error":"overloaded"}"#)?.message == "overloaded")
        #expect(Self.parse(#"{"detail":"Too many requests"}"#)?.message == "Too many requests")
    }

    @Test func notAnError() {
        #expect(Self.parse("<html>502 Bad Gateway</html>") == nil)
        #expect(Self.parse("") == nil)
        #expect(Self.parse(#"{"choices":[]}"#) == nil)
        #expect(Self.parse("[1,2]") == nil)
    }
}
