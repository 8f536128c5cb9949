import Hummingbird
import TierbenchCore

/// `POST /v1/completions`: `prompts × n` choices, choice index = prompt index × n + k.
extension MockResponder {
    func completions(
        _ request: CompletionRequest, context: MockRequestContext, env: inout RequestEnvironment
    ) async throws(MockAPIError) -> APIOutcome {
        let model = try resolveModel(request.model, route: .completions)
        let promptTokens = request.prompts.reduce(0) { $0 + $1.tokens }
        if let longest = request.prompts.map(\.tokens).max(), longest + request.maxTokens > model.contextWindow {
            throw MockAPIError(
                status: 400,
                message: "This model's maximum context length is \(model.contextWindow) tokens, however you requested "
                    + "\(longest + request.maxTokens) tokens (\(longest) in your prompt; \(request.maxTokens) for the "
                    + "completion). Please reduce your prompt; or completion length.",
                param: "prompt", code: "context_length_exceeded")
        }
        let choiceCount = request.prompts.count * request.n
        let reserved = promptTokens + choiceCount * request.maxTokens
        try admit(model: model, tokens: reserved, env: &env)
        let (fault, dropped) = try await applyFaults(streaming: request.stream, context: context, env: &env)
        if let dropped { return dropped }
        if fault == .malformed && !request.stream {
            return .finished(malformedResponse(prefix: "{\"object\":\"text_completion\",", env: env))
        }

        var choices: [Generated] = []
        choices.reserveCapacity(choiceCount)
        for prompt in request.prompts {
            for k in 0..<request.n {
                let plan = runtime.text.plan(promptHash: prompt.hash, choice: k)
                choices.append(
                    runtime.text.generate(
                        offset: plan.offset, naturalTokens: plan.naturalTokens, limit: request.maxTokens,
                        stop: request.stop))
            }
        }
        let completionTokens = choices.reduce(0) { $0 + $1.tokens }
        recordUsage(
            model: model, prompts: request.prompts.count, choices: choices.count, promptTokens: promptTokens,
            completionTokens: completionTokens, env: &env)
        correctReservation(model: model, reserved: reserved, used: promptTokens + completionTokens, env: env)
        let id = "cmpl-" + env.random.base62(29)
        let created = unixNow

        var head = ByteBuffer()
        head.writeStaticString("{\"id\":\"")
        head.writeString(id)
        head.writeStaticString("\",\"object\":\"text_completion\",\"created\":")
        head.writeDecimal(created)
        head.writeStaticString(",\"model\":")
        head.writeJSONString(model.snapshot)
        head.writeStaticString(",\"system_fingerprint\":\"")
        head.writeString(runtime.systemFingerprint)
        head.writeStaticString("\",\"choices\":[")

        if request.stream {
            env.record.streamed = true
            let stream = SSEStream(
                kind: .completion, prefix: Array("data: ".utf8) + Array(head.readableBytesView), choices: choices,
                promptTokens: promptTokens, includeUsage: request.includeUsage,
                latency: runtime.latency(for: model.id), timeScale: runtime.settings.timeScale, random: env.random,
                truncate: fault == .truncate, malformed: fault == .malformed)
            return streamingOutcome(stream, context: context, env: env)
        }

        await generationDelay(model: model.id, outputTokens: choices.map(\.tokens).max() ?? 0, env: &env)
        var body = head
        body.reserveCapacity(head.readableBytes + 160 * choices.count + completionTokens * TextGenerator.tokenBytes)
        for (index, choice) in choices.enumerated() {
            if index > 0 { body.writeStaticString(",") }
            body.writeStaticString("{\"text\":\"")
            body.writeBytes(choice.bytes)
            body.writeStaticString("\",\"index\":")
            body.writeDecimal(index)
            body.writeStaticString(",\"logprobs\":null,\"finish_reason\":\"")
            body.writeString(choice.finish.rawValue)
            body.writeStaticString("\"}")
        }
        body.writeStaticString("],")
        body.writeUsage(promptTokens: promptTokens, completionTokens: completionTokens, details: false)
        body.writeStaticString("}")
        return .finished(
            Response(
                status: .ok, headers: env.headers(runtime: runtime, contentType: "application/json"),
                body: .init(byteBuffer: body)))
    }
}
