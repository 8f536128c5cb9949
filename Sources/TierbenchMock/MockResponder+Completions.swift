import Hummingbird
import TierbenchCore

/// `POST /v1/completions`: `prompts × n` choices, choice index = prompt index × n + k. Same three steps as chat.
extension MockResponder {
    func completions(
        _ request: CompletionRequest, context: MockRequestContext, env: inout RequestEnvironment
    ) async throws(MockAPIError) -> APIOutcome {
        let admitted = try admitCompletions(request, env: &env)
        let (fault, dropped) = try await applyFaults(streaming: request.stream, context: context, env: &env)
        if let dropped { return dropped }
        if fault == .malformed && !request.stream {
            return .finished(malformedResponse(prefix: "{\"object\":\"text_completion\",", env: env))
        }
        switch completionsOutput(request, admitted: admitted, fault: fault, env: &env) {
        case .stream(let stream):
            return streamingOutcome(stream, context: context, env: env)
        case .body(let body, let outputTokens):
            await generationDelay(model: admitted.model.id, outputTokens: outputTokens, env: &env)
            return .finished(env.jsonReply(body).response(env: env, runtime: runtime))
        }
    }

    /// Resolves the model, checks the context length, and charges the quota and rate limits.
    func admitCompletions(
        _ request: CompletionRequest, pool: AdmissionPool = .sync, env: inout RequestEnvironment
    ) throws(MockAPIError) -> Admitted {
        let model = try resolveModel(request.model, route: .completions)
        if let longest = request.prompts.map(\.tokens).max(), longest + request.maxTokens > model.contextWindow {
            throw MockAPIError(
                status: 400,
                message: "This model's maximum context length is \(model.contextWindow) tokens, however you requested "
                    + "\(longest + request.maxTokens) tokens (\(longest) in your prompt; \(request.maxTokens) for the "
                    + "completion). Please reduce your prompt; or completion length.",
                param: "prompt", code: "context_length_exceeded")
        }
        let promptTokens = request.prompts.reduce(0) { $0 + $1.tokens }
        let reserved = promptTokens + request.prompts.count * request.n * request.maxTokens
        try admit(model: model, tokens: reserved, pool: pool, env: &env)
        return Admitted(model: model, reservedTokens: reserved, pool: pool)
    }

    /// Generates the choices, records usage, and builds the JSON body or the stream.
    func completionsOutput(
        _ request: CompletionRequest, admitted: Admitted, fault: FaultAction, env: inout RequestEnvironment
    ) -> GeneratedOutput {
        let model = admitted.model
        let promptTokens = request.prompts.reduce(0) { $0 + $1.tokens }
        var choices: [Generated] = []
        choices.reserveCapacity(request.prompts.count * request.n)
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
        // Each prompt is one segment; a request with several prompts reports the sum of their cached tokens.
        let cachedTokens = runtime.prefixCache.map { cache in
            request.prompts.reduce(0) { $0 + cache.lookUpAndInsert(CollectionOfOne($1), model: model.id) }
        }
        recordUsage(
            model: model, prompts: request.prompts.count, choices: choices.count, promptTokens: promptTokens,
            cachedTokens: cachedTokens ?? 0, completionTokens: completionTokens, env: &env)
        correctReservation(admitted, used: promptTokens + completionTokens, env: env)

        var head = ByteBuffer()
        head.writeWithByteWriter(reserving: ByteWriter.objectHeadBound(model: model.snapshot)) {
            $0.writeObjectHead(
                idPrefix: "cmpl-", object: "text_completion", created: created(env), model: model.snapshot,
                random: &env.random)
        }
        head.writeStaticString(",\"system_fingerprint\":\"")
        head.writeString(runtime.systemFingerprint)
        head.writeStaticString("\",\"choices\":[")

        if request.stream {
            env.record.streamed = true
            return .stream(
                SSEStream(
                    kind: .completion, prefix: Array("data: ".utf8) + Array(head.readableBytesView), choices: choices,
                    promptTokens: promptTokens, cachedTokens: cachedTokens, includeUsage: request.includeUsage,
                    latency: runtime.latency(for: model.id), timeScale: runtime.settings.timeScale, random: env.random,
                    arrival: env.start, truncate: fault == .truncate, malformed: fault == .malformed))
        }

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
        body.writeUsage(
            promptTokens: promptTokens, completionTokens: completionTokens, cachedTokens: cachedTokens, details: false)
        body.writeStaticString("}")
        return .body(body, outputTokens: choices.map(\.tokens).max() ?? 0)
    }
}
