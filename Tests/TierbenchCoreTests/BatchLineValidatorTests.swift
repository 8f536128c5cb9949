import Testing

@testable import TierbenchCore

@Suite("Batch line validation")
struct BatchLineValidatorTests {
    private static let endpoint = "/v1/chat/completions"

    private func validate(_ lines: [String], endpoint: String = endpoint) -> BatchLineValidator {
        var validator = BatchLineValidator(endpoint: endpoint) { !BatchLimits.unsupportedModels.contains($0) }
        for (index, line) in lines.enumerated() { _ = validator.check(Substring(line), number: index + 1) }
        validator.finish()
        return validator
    }

    private func line(_ id: String, model: String = "gpt-4o-mini", extra: String = "") -> String {
        #"{"custom_id":"\#(id)","method":"POST","url":"/v1/chat/completions","body":{"model":"\#(model)","messages":[{"role":"user","content":"hello there"}]\#(extra)}}"#
    }

    @Test func goodLinesCountTokensAndBytes() {
        let lines = [line("a"), line("b"), ""]
        let validator = validate(lines)
        #expect(validator.errors.isEmpty)
        #expect(validator.requestCount == 2)
        #expect(validator.model == "gpt-4o-mini")
        // "hello there" = 11 bytes → 3 tokens, + 3 per message + 3 for the reply.
        #expect(validator.inputTokens == 2 * 9)
        #expect(validator.byteCount == lines.reduce(0) { $0 + $1.utf8.count + 1 })
    }

    @Test func eachProblemGetsOpenAIsCodeAndLine() {
        let lines = [
            "{not json",
            #"{"method":"POST","url":"/v1/chat/completions","body":{}}"#,
            #"{"custom_id":"x","method":"POST","url":"/v1/embeddings","body":{"model":"gpt-4o-mini"}}"#,
            line("c", model: "gpt-3.5-turbo-instruct"),
            #"{"custom_id":"d","method":"POST","url":"/v1/chat/completions","body":{"messages":[]}}"#,
            #"{"custom_id":"e","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-4o-mini"}}"#,
            line("f", extra: #","stream":true"#),
            line("g"),
            line("g"),
            line("h", model: "gpt-4o"),
            #"{"custom_id":"i","method":"GET","url":"/v1/chat/completions","body":{}}"#,
        ]
        let validator = validate(lines)
        let found = validator.errors.map { "\($0.line ?? 0):\($0.code ?? "-"):\($0.param ?? "-")" }
        #expect(found == [
            "1:invalid_json_line:-", "2:missing_required_parameter:custom_id", "3:invalid_url:url",
            "4:model_not_found:body.model", "5:invalid_request:body.model", "6:invalid_request:body.messages",
            "7:streaming_unsupported:body.stream", "9:duplicate_custom_id:custom_id",
            "10:model_mismatch:body.model", "11:invalid_request:method",
        ])
        #expect(validator.errors[0].message == "This line is not parseable as valid JSON.")
        #expect(validator.errors[1].message == "Missing required parameter: 'custom_id'.")
        #expect(validator.errors[3].message == "The provided model 'gpt-3.5-turbo-instruct' is not supported by the Batch API.")
    }

    @Test func byteOrderMarkOnTheFirstLineIsIgnored() {
        let validator = validate(["\u{FEFF}" + line("a")])
        #expect(validator.errors.isEmpty)
        #expect(validator.requestCount == 1)
    }

    @Test func fileLevelProblems() {
        #expect(validate([]).errors.map(\.code) == ["empty_file"])
        #expect(validate(["", "  "]).errors.map(\.code) == ["empty_file"])
        let embeddings = (0..<3).map {
            #"{"custom_id":"e\#($0)","method":"POST","url":"/v1/embeddings","body":{"model":"text-embedding-3-small","input":["a","b"]}}"#
        }
        let validator = validate(embeddings, endpoint: "/v1/embeddings")
        #expect(validator.errors.isEmpty)
        #expect(validator.embeddingInputs == 6)
    }

    @Test func errorsAreCappedButCounted() {
        let validator = validate(Array(repeating: "nope", count: BatchLineValidator.maxErrors + 5))
        #expect(validator.errors.count == BatchLineValidator.maxErrors)
        #expect(validator.errorCount == BatchLineValidator.maxErrors + 5)
    }

    @Test func tokenLimitMessageMatchesOpenAIs() {
        let error = BatchError.tokenLimitExceeded(model: "gpt-4o-mini", organization: "org-x", limit: 2_000_000)
        #expect(error.message == "Enqueued token limit reached for gpt-4o-mini in organization org-x. Limit: "
            + "2,000,000 enqueued tokens. Please try again once some in_progress batches have been completed.")
        #expect(error.line == nil && error.code == "token_limit_exceeded")
    }
}
