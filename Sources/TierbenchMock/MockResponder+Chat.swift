import HTTPTypes
import Hummingbird
import TierbenchCore

/// `POST /v1/chat/completions`.
extension MockResponder {
    func chat(
        _ request: ChatRequest, context: MockRequestContext, env: inout RequestEnvironment
    ) async throws(MockAPIError) -> APIOutcome {
        let model = try resolveModel(request.model, route: .chat)
        if request.promptTokens > model.contextWindow {
            throw .contextLengthExceeded(limit: model.contextWindow, tokens: request.promptTokens)
        }
        let reserved = TokenEstimator.requestCost(
            promptTokens: request.promptTokens, choices: request.n,
            maxCompletionTokens: request.maxCompletionTokens ?? TokenEstimator.defaultCompletionReservation)
        try admit(model: model, tokens: reserved, env: &env)
        let (fault, dropped) = try await applyFaults(streaming: request.stream, context: context, env: &env)
        if let dropped { return dropped }
        if fault == .malformed && !request.stream {
            return .finished(malformedResponse(prefix: "{\"object\":\"chat.completion\",", env: env))
        }

        let choices = (0..<request.n).map { index in
            let plan = runtime.text.plan(promptHash: request.promptHash, choice: index)
            return runtime.text.generate(
                offset: plan.offset, naturalTokens: plan.naturalTokens, limit: request.maxCompletionTokens,
                stop: request.stop)
        }
        let completionTokens = choices.reduce(0) { $0 + $1.tokens }
        recordUsage(
            model: model, prompts: 1, choices: choices.count, promptTokens: request.promptTokens,
            completionTokens: completionTokens, env: &env)
        correctReservation(model: model, reserved: reserved, used: request.promptTokens + completionTokens, env: env)
        let id = "chatcmpl-" + env.random.base62(29)
        let created = unixNow

        if request.stream {
            env.record.streamed = true
            var prefix = ByteBuffer()
            prefix.writeStaticString("data: {\"id\":\"")
            prefix.writeString(id)
            prefix.writeStaticString("\",\"object\":\"chat.completion.chunk\",\"created\":")
            prefix.writeDecimal(created)
            prefix.writeStaticString(",\"model\":")
            prefix.writeJSONString(model.snapshot)
            prefix.writeStaticString(",\"system_fingerprint\":\"")
            prefix.writeString(runtime.systemFingerprint)
            prefix.writeStaticString("\",\"service_tier\":\"default\",\"choices\":[")
            let stream = SSEStream(
                kind: .chat, prefix: Array(prefix.readableBytesView), choices: choices,
                promptTokens: request.promptTokens, includeUsage: request.includeUsage,
                latency: runtime.latency(for: model.id), timeScale: runtime.settings.timeScale, random: env.random,
                truncate: fault == .truncate, malformed: fault == .malformed)
            return streamingOutcome(stream, context: context, env: env)
        }

        await generationDelay(model: model.id, outputTokens: choices.map(\.tokens).max() ?? 0, env: &env)
        var body = ByteBuffer()
        body.reserveCapacity(560 + completionTokens * TextGenerator.tokenBytes)
        body.writeStaticString("{\"id\":\"")
        body.writeString(id)
        body.writeStaticString("\",\"object\":\"chat.completion\",\"created\":")
        body.writeDecimal(created)
        body.writeStaticString(",\"model\":")
        body.writeJSONString(model.snapshot)
        body.writeStaticString(",\"choices\":[")
        for (index, choice) in choices.enumerated() {
            if index > 0 { body.writeStaticString(",") }
            body.writeStaticString("{\"index\":")
            body.writeDecimal(index)
            body.writeStaticString(",\"message\":{\"role\":\"assistant\",\"content\":\"")
            body.writeBytes(choice.bytes)
            body.writeStaticString("\",\"refusal\":null,\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"")
            body.writeString(choice.finish.rawValue)
            body.writeStaticString("\"}")
        }
        body.writeStaticString("],")
        body.writeUsage(promptTokens: request.promptTokens, completionTokens: completionTokens, details: true)
        body.writeStaticString(",\"service_tier\":\"default\",\"system_fingerprint\":\"")
        body.writeString(runtime.systemFingerprint)
        body.writeStaticString("\"}")
        return .finished(
            Response(
                status: .ok, headers: env.headers(runtime: runtime, contentType: "application/json"),
                body: .init(byteBuffer: body)))
    }

    /// Wraps a stream in a response whose body ends the request's in-flight count when it is done.
    func streamingOutcome(_ stream: SSEStream, context: MockRequestContext, env: RequestEnvironment) -> APIOutcome {
        let runtime = self.runtime
        let channel = context.channel
        var headers = env.headers(runtime: runtime, contentType: "text/event-stream; charset=utf-8")
        headers.append(HTTPField(name: .cacheControl, value: "no-cache"))
        let body = ResponseBody { writer in
            do {
                try await stream.write(to: &writer, gate: runtime.gate, channel: channel)
            } catch {
                runtime.stats.end()
                runtime.metrics.requestFinished()
                throw error
            }
            runtime.stats.end()
            runtime.metrics.requestFinished()
        }
        return .streaming(Response(status: .ok, headers: headers, body: body))
    }
}
