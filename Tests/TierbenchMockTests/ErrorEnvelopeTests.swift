import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TierbenchCore
import Testing

@testable import TierbenchMock

extension MockTests {
    /// Every error comes in OpenAI's envelope with the real status, type, param, code and message.
    @Suite struct ErrorEnvelopeTests {
        typealias Support = MockTestSupport

        /// (path, body, status, type, param, code, message prefix)
        static let badRequests: [(String, String, Int, String, String?, String?, String)] = [
            ("/v1/chat/completions", #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}"#, 400,
             "invalid_request_error", nil, nil, "We could not parse the JSON body of your request."),
            ("/v1/chat/completions", "not json at all", 400, "invalid_request_error", nil, nil, "We could not parse"),
            ("/v1/chat/completions", #"{"model":"gpt-4o-mini","messages":[]}"#, 400, "invalid_request_error", "messages",
             "empty_array", "Invalid 'messages': empty array."),
            ("/v1/chat/completions", #"{"model":"gpt-4o-mini"}"#, 400, "invalid_request_error", "messages",
             "missing_required_parameter", "Missing required parameter: 'messages'."),
            ("/v1/chat/completions", #"{"messages":[{"role":"user","content":"hi"}]}"#, 400, "invalid_request_error", nil,
             nil, "you must provide a model parameter"),
            ("/v1/chat/completions", #"{"model":"gpt-4o-mini","messages":[{"role":"robot","content":"hi"}]}"#, 400,
             "invalid_request_error", "messages[0].role", "invalid_value", "Invalid value: 'robot'."),
            ("/v1/chat/completions", #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"n":"2"}"#, 400,
             "invalid_request_error", "n", "invalid_type", "Invalid type for 'n': expected an integer, but got a string"),
            ("/v1/chat/completions", #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"n":0}"#, 400,
             "invalid_request_error", "n", "integer_below_min_value", "Invalid 'n': integer below minimum value."),
            ("/v1/chat/completions", #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"temperature":3}"#,
             400, "invalid_request_error", "temperature", "decimal_above_max_value", "Invalid 'temperature'"),
            ("/v1/chat/completions",
             #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"stream_options":{"include_usage":true}}"#,
             400, "invalid_request_error", "stream_options", nil, "The 'stream_options' parameter is only allowed"),
            ("/v1/chat/completions",
             #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"stop":["a","b","c","d","e"]}"#, 400,
             "invalid_request_error", "stop", "array_above_max_length", "Invalid 'stop': array too long."),
            ("/v1/completions", #"{"model":"davinci-002"}"#, 400, "invalid_request_error", "prompt",
             "missing_required_parameter", "Missing required parameter: 'prompt'."),
            ("/v1/embeddings", #"{"model":"text-embedding-3-small","input":""}"#, 400, "invalid_request_error", "input", nil,
             "'$.input' is invalid."),
            ("/v1/embeddings", #"{"model":"text-embedding-3-small","input":"x","encoding_format":"hex"}"#, 400,
             "invalid_request_error", "encoding_format", "invalid_value", "Invalid value: 'hex'."),
            ("/v1/embeddings", #"{"model":"text-embedding-ada-002","input":"x","dimensions":8}"#, 400,
             "invalid_request_error", "dimensions", nil, "This model does not support specifying dimensions."),
            ("/v1/chat/completions", #"{"model":"gpt-5-nonexistent","messages":[{"role":"user","content":"hi"}]}"#, 404,
             "invalid_request_error", nil, "model_not_found", "The model `gpt-5-nonexistent` does not exist"),
            ("/v1/unknown", "{}", 404, "invalid_request_error", nil, nil, "Invalid URL (POST /v1/unknown)"),
        ]

        @Test(arguments: badRequests.indices)
        func badRequest(index: Int) async throws {
            let (path, body, status, type, param, code, message) = Self.badRequests[index]
            let (app, runtime) = try Support.application()
            try await app.test(.router) { client in
                try await client.execute(uri: path, method: .post, headers: Support.jsonHeaders, body: Support.body(body)) {
                    response in
                    #expect(response.status.code == status)
                    #expect(response.headers[.contentType] == "application/json")
                    #expect(response.headers[.xRequestID]?.hasPrefix("req_") == true)
                    let error = try Support.errorObject(response.body)
                    #expect(error["type"] as? String == type)
                    #expect((error["param"] as? String) == param)
                    #expect((error["code"] as? String) == code)
                    let text = error["message"] as? String ?? ""
                    #expect(text.hasPrefix(message), "\(text)")
                }
            }
            #expect(runtime.snapshot().byStatus[String(status)] == 1)
        }

        @Test func methodNotAllowed() async throws {
            let (app, _) = try Support.application()
            try await app.test(.router) { client in
                try await client.execute(uri: "/v1/chat/completions", method: .get) { response in
                    #expect(response.status.code == 405)
                    let error = try Support.errorObject(response.body)
                    #expect(error["message"] as? String == "Invalid method for URL (GET /v1/chat/completions)")
                }
            }
        }

        @Test func bodyTooLarge() async throws {
            var settings = MockSettings()
            settings.maxBodyBytes = 1024
            let (app, _) = try Support.application(settings)
            try await app.test(.router) { client in
                let big = Support.chat(content: String(repeating: "x", count: 4096))
                try await client.execute(uri: "/v1/chat/completions", method: .post, headers: Support.jsonHeaders, body: big) {
                    response in
                    #expect(response.status.code == 413)
                    let error = try Support.errorObject(response.body)
                    #expect(error["code"] as? String == "request_too_large")
                }
            }
        }

        @Test func authentication() async throws {
            var settings = MockSettings()
            settings.apiKeys = ["sk-proj-goodkey0000001234"]
            let (app, _) = try Support.application(settings)
            try await app.test(.router) { client in
                try await client.execute(uri: "/v1/models", method: .get) { response in
                    #expect(response.status.code == 401)
                    let error = try Support.errorObject(response.body)
                    #expect((error["message"] as? String)?.hasPrefix("You didn't provide an API key.") == true)
                    #expect(error["code"] is NSNull)
                }
                try await client.execute(
                    uri: "/v1/chat/completions", method: .post, headers: Support.headers(key: "sk-proj-wrongkey00009876"),
                    body: Support.chat()
                ) { response in
                    #expect(response.status.code == 401)
                    let error = try Support.errorObject(response.body)
                    #expect(error["code"] as? String == "invalid_api_key")
                    #expect(error["type"] as? String == "invalid_request_error")
                    #expect(
                        error["message"] as? String
                            == "Incorrect API key provided: sk-proj-****9876. You can find your API key at https://platform.openai.com/account/api-keys."
                    )
                }
                try await client.execute(
                    uri: "/v1/chat/completions", method: .post, headers: Support.headers(key: "sk-proj-goodkey0000001234"),
                    body: Support.chat()
                ) { response in
                    #expect(response.status == .ok)
                }
            }
        }

        @Test func strictModeRefusesChatModelsOnCompletions() async throws {
            var settings = MockSettings()
            settings.strict = true
            let (app, _) = try Support.application(settings)
            try await app.test(.router) { client in
                try await client.execute(
                    uri: "/v1/completions", method: .post, headers: Support.jsonHeaders,
                    body: Support.body(#"{"model":"gpt-4o-mini","prompt":"hi"}"#)
                ) { response in
                    #expect(response.status.code == 404)
                    let error = try Support.errorObject(response.body)
                    #expect(
                        error["message"] as? String
                            == "This is a chat model and not supported in the v1/completions endpoint. Did you mean to use v1/chat/completions?"
                    )
                }
                try await client.execute(
                    uri: "/v1/completions", method: .post, headers: Support.jsonHeaders,
                    body: Support.body(#"{"model":"gpt-3.5-turbo-instruct","prompt":"hi"}"#)
                ) { response in
                    #expect(response.status == .ok)
                }
            }
        }

        @Test func rateLimitedRequestsAndTokens() async throws {
            var settings = MockSettings()
            settings.limits = RateLimitOverrides(rpm: 2, tpm: 1_000)
            let (app, runtime) = try Support.application(settings)
            try await app.test(.router) { client in
                for _ in 0..<2 {
                    try await client.execute(
                        uri: "/v1/chat/completions", method: .post, headers: Support.jsonHeaders,
                        body: Support.chat(#","max_tokens":10"#)
                    ) { response in
                        #expect(response.status == .ok)
                        #expect(response.headers[.xRateLimitLimitRequests] == "2")
                        #expect(response.headers[.xRateLimitLimitTokens] == "1000")
                    }
                }
                try await client.execute(
                    uri: "/v1/chat/completions", method: .post, headers: Support.jsonHeaders,
                    body: Support.chat(#","max_tokens":10"#)
                ) { response in
                    #expect(response.status.code == 429)
                    #expect(response.headers[.xRateLimitRemainingRequests] == "0")
                    #expect(response.headers[.retryAfter] != nil)
                    let retryMS = Int(response.headers[.xRetryAfterMS] ?? "") ?? 0
                    #expect(retryMS > 0 && retryMS <= 30_000)
                    let error = try Support.errorObject(response.body)
                    #expect(error["type"] as? String == "requests")
                    #expect(error["code"] as? String == "rate_limit_exceeded")
                    let message = error["message"] as? String ?? ""
                    #expect(
                        message.hasPrefix(
                            "Rate limit reached for gpt-4o-mini in organization org-tierbenchmock on requests per min (RPM): Limit 2, Used 2, Requested 1. Please try again in "
                        ), "\(message)")
                    #expect(message.hasSuffix("Visit https://platform.openai.com/account/rate-limits to learn more."))
                }
                try await client.execute(
                    uri: "/v1/chat/completions", method: .post, headers: Support.jsonHeaders,
                    body: Support.chat(#","max_tokens":2000"#)
                ) { response in
                    #expect(response.status.code == 429)
                    let error = try Support.errorObject(response.body)
                    #expect(error["type"] as? String == "tokens")
                    #expect(
                        (error["message"] as? String)?.hasPrefix(
                            "Request too large for gpt-4o-mini in organization org-tierbenchmock on tokens per min (TPM): Limit 1000, Requested 2009."
                        ) == true)
                }
            }
            let stats = runtime.snapshot()
            #expect(stats.rateLimited == 2 && stats.rateLimitedByType == ["requests": 1, "tokens": 1])
        }

        @Test func insufficientQuotaAfterTheBudget() async throws {
            var settings = MockSettings()
            settings.spendBudgetUSD = 0.000_001
            let (app, _) = try Support.application(settings)
            try await app.test(.router) { client in
                try await client.execute(
                    uri: "/v1/chat/completions", method: .post, headers: Support.jsonHeaders, body: Support.chat()
                ) { response in
                    #expect(response.status == .ok)
                }
                try await client.execute(
                    uri: "/v1/chat/completions", method: .post, headers: Support.jsonHeaders, body: Support.chat()
                ) { response in
                    #expect(response.status.code == 429)
                    #expect(response.headers[.retryAfter] == nil)
                    let error = try Support.errorObject(response.body)
                    #expect(error["type"] as? String == "insufficient_quota" && error["code"] as? String == "insufficient_quota")
                }
            }
        }

        @Test(arguments: [500, 502, 503])
        func serverFaults(status: Int) async throws {
            var settings = MockSettings()
            settings.faults.statusRates = [status: 1]
            let (app, _) = try Support.application(settings)
            try await app.test(.router) { client in
                try await client.execute(
                    uri: "/v1/chat/completions", method: .post, headers: Support.jsonHeaders, body: Support.chat()
                ) { response in
                    #expect(response.status.code == status)
                    let error = try Support.errorObject(response.body)
                    #expect(!(error["message"] as? String ?? "").isEmpty)
                }
            }
        }
    }
}
