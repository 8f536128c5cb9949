import HTTPTypes
import Hummingbird
import TierbenchCore

/// `POST /v1/chat/completions`, in three steps: `admitChat` (model, context length, quota, rate limits — sync),
/// faults and latency (async, skipped on the fast path), `chatOutput` (generation and the body — sync).
extension MockResponder {
    func chat(
        _ request: ChatRequest, context: MockRequestContext, env: inout RequestEnvironment
    ) async throws(MockAPIError) -> APIOutcome {
        let admitted = try admitChat(request, env: &env)
        let (fault, dropped) = try await applyFaults(streaming: request.stream, context: context, env: &env)
        if let dropped { return dropped }
        if fault == .malformed && !request.stream {
            return .finished(malformedResponse(prefix: "{\"object\":\"chat.completion\",", env: env))
        }
        switch chatOutput(request, admitted: admitted, fault: fault, env: &env) {
        case .stream(let stream):
            return streamingOutcome(stream, context: context, env: env)
        case .body(let body, let outputTokens):
            await generationDelay(model: admitted.model.id, outputTokens: outputTokens, env: &env)
            return .finished(env.jsonReply(body).response(env: env, runtime: runtime))
        }
    }

    /// Resolves the model, checks the context length, and charges the quota and (sync pool) rate limits.
    func admitChat(
        _ request: ChatRequest, pool: AdmissionPool = .sync, env: inout RequestEnvironment
    ) throws(MockAPIError) -> Admitted {
        let model = try resolveModel(request.model, route: .chat)
        if request.promptTokens > model.contextWindow {
            throw .contextLengthExceeded(limit: model.contextWindow, tokens: request.promptTokens)
        }
        let reserved = TokenEstimator.requestCost(
            promptTokens: request.promptTokens, choices: request.n,
            maxCompletionTokens: request.maxCompletionTokens ?? TokenEstimator.defaultCompletionReservation)
        try admit(model: model, tokens: reserved, pool: pool, env: &env)
        return Admitted(model: model, reservedTokens: reserved, pool: pool)
    }

    /// Generates the choices, records usage, and builds the JSON body or the stream.
    func chatOutput(
        _ request: ChatRequest, admitted: Admitted, fault: FaultAction, env: inout RequestEnvironment
    ) -> GeneratedOutput {
        let model = admitted.model
        let choices = (0..<request.n).map { index in
            let plan = runtime.text.plan(promptHash: request.promptHash, choice: index)
            return runtime.text.generate(
                offset: plan.offset, naturalTokens: plan.naturalTokens, limit: request.maxCompletionTokens,
                stop: request.stop)
        }
        let completionTokens = choices.reduce(0) { $0 + $1.tokens }
        let cachedTokens = runtime.prefixCache?.lookUpAndInsert(request.segments, model: model.id) ?? 0
        recordUsage(
            model: model, prompts: 1, choices: choices.count, promptTokens: request.promptTokens,
            cachedTokens: cachedTokens, completionTokens: completionTokens, env: &env)
        correctReservation(
            admitted, used: request.promptTokens + completionTokens, env: env)
        let created = self.created(env)

        if request.stream {
            env.record.streamed = true
            var prefix = ByteBuffer()
            prefix.writeStaticString("data: ")
            prefix.writeWithByteWriter(reserving: ByteWriter.objectHeadBound(model: model.snapshot)) {
                $0.writeObjectHead(
                    idPrefix: "chatcmpl-", object: "chat.completion.chunk", created: created, model: model.snapshot,
                    random: &env.random)
            }
            prefix.writeStaticString(",\"system_fingerprint\":\"")
            prefix.writeString(runtime.systemFingerprint)
            prefix.writeStaticString("\",\"service_tier\":\"default\",\"choices\":[")
            return .stream(
                SSEStream(
                    kind: .chat, prefix: Array(prefix.readableBytesView), choices: choices,
                    promptTokens: request.promptTokens, cachedTokens: cachedTokens, includeUsage: request.includeUsage,
                    latency: runtime.latency(for: model.id), timeScale: runtime.settings.timeScale, random: env.random,
                    arrival: env.start, truncate: fault == .truncate, malformed: fault == .malformed))
        }

        // Fixed text ≈ 660 bytes (usage at most 400), plus 200 per choice beyond its text, plus the variable strings.
        let bound = 600 + ByteWriter.objectHeadBound(model: model.snapshot) + runtime.systemFingerprint.utf8.count
            + choices.reduce(0) { $0 + 200 + $1.bytes.count }
        var body = ByteBuffer()
        body.writeWithByteWriter(reserving: bound) { body in
            body.writeObjectHead(
                idPrefix: "chatcmpl-", object: "chat.completion", created: created, model: model.snapshot,
                random: &env.random)
            body.write(",\"choices\":[")
            for (index, choice) in choices.enumerated() {
                if index > 0 { body.write(",") }
                body.write("{\"index\":")
                body.writeDecimal(index)
                body.write(",\"message\":{\"role\":\"assistant\",\"content\":\"")
                body.write(bytes: choice.bytes)
                body.write("\",\"refusal\":null,\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"")
                body.write(string: choice.finish.rawValue)
                body.write("\"}")
            }
            body.write("],")
            body.writeUsage(
                promptTokens: request.promptTokens, completionTokens: completionTokens, cachedTokens: cachedTokens,
                details: true)
            body.write(",\"service_tier\":\"default\",\"system_fingerprint\":\"")
            body.write(string: runtime.systemFingerprint)
            body.write("\"}")
        }
        return .body(body, outputTokens: choices.map(\.tokens).max() ?? 0)
    }

    /// Wraps a stream in a response whose body ends the request's in-flight count when it is done.
    func streamingOutcome(_ stream: SSEStream, context: MockRequestContext, env: RequestEnvironment) -> APIOutcome {
        let runtime = self.runtime
        let channel = context.channel
        var headers = env.headers(runtime: runtime, contentType: "text/event-stream; charset=utf-8")
        headers.append(HTTPField(name: .cacheControl, value: "no-cache"))
        let body = ResponseBody { writer in
            do {
                try await stream.write(
                    to: &writer, gate: runtime.gate, channel: channel, lag: runtime.asyncLag,
                    burn: UInt64(max(0, runtime.settings.cpuBurnPerEvent?.nanoseconds ?? 0)))
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

/// A generation request that passed the model, quota and rate-limit checks.
struct Admitted: Sendable {
    var model: MockModel
    /// Tokens charged against the token buckets (batch lines: estimated, not charged).
    var reservedTokens: Int
    /// The pool it was admitted to; only the sync pool's buckets get a refund (`correctReservation`).
    var pool: AdmissionPool = .sync
}

/// What a generation endpoint produced.
enum GeneratedOutput: Sendable {
    /// A complete JSON body, and the output tokens that set the latency.
    case body(ByteBuffer, outputTokens: Int)
    /// An SSE stream to write.
    case stream(SSEStream)
}
