import HTTPTypes
import Hummingbird
import NIOCore
import TierbenchCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The mock's request handler: matches the route, then runs the pipeline every API request goes through —
/// auth → scheduled fault window → body → parse (400) → model (404) → quota and rate limits (429) → random faults →
/// capacity and latency → the generated response.
struct MockResponder: HTTPResponder {
    typealias Context = MockRequestContext

    let runtime: MockRuntime

    func respond(to request: Request, context: MockRequestContext) async throws -> Response {
        let route = MockRoute(method: request.method, path: Substring(request.uri.path))
        switch route {
        case .metrics:
            runtime.updateBatchMetrics()
            runtime.updateScheduleLagMetrics()
            var fields = HTTPFields()
            fields.append(HTTPField(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8"))
            return Response(status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: runtime.metrics.render())))
        case .health:
            // Liveness only: no auth, not counted, never faulted; `HEAD` gets the same empty 200.
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer()))
        case .stats:
            return jsonResponse(MockStatsJSON.encode(runtime.snapshot()))
        case .statsReset:
            runtime.reset()
            return jsonResponse(MockStatsJSON.encode(runtime.snapshot()))
        default:
            return await respondAPI(to: request, route: route, context: context)
        }
    }

    private func jsonResponse(_ bytes: [UInt8]) -> Response {
        var fields = HTTPFields()
        fields.append(HTTPField(name: .contentType, value: "application/json"))
        return Response(status: .ok, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// Runs the API pipeline and records the outcome. Streaming bodies finish the in-flight count themselves.
    private func respondAPI(to request: Request, route: MockRoute, context: MockRequestContext) async -> Response {
        runtime.stats.begin()
        runtime.metrics.requestStarted()
        let arrival = await context.channel.requestArrival()
        var env = RequestEnvironment(runtime: runtime, headers: request.headers, route: route, arrival: arrival)
        var request = request
        let outcome: APIOutcome
        do {
            outcome = try await handle(&request, route: route, context: context, env: &env)
        } catch {
            outcome = .finished(errorReply(error, env: &env).response(env: env, runtime: runtime))
        }
        switch outcome {
        case .finished(let response):
            finish(env: env, status: response.status.code)
            return response
        case .streaming(let response):
            // The body writer ends the in-flight count; count the response now.
            record(env: env, status: response.status.code)
            return response
        case .dropped(let response):
            finish(env: env, status: nil)
            return response
        }
    }

    /// The error's reply; counts 429s and adds the rate-limit headers when none are known yet.
    func errorReply(_ error: MockAPIError, env: inout RequestEnvironment) -> MockReply {
        if error.status == 429 {
            let type = error.type == "insufficient_quota" ? "insufficient_quota" : error.type
            env.record.rateLimitType = type
            runtime.metrics.recordRateLimited(type: type)
        }
        if env.rateHeaders == nil { env.rateHeaders = peekRateHeaders(env: env) }
        return env.errorReply(error)
    }

    /// Records the outcome and ends the in-flight count.
    func finish(env: RequestEnvironment, status: Int?) {
        record(env: env, status: status)
        runtime.stats.end()
        runtime.metrics.requestFinished()
    }

    func record(env: RequestEnvironment, status: Int?) {
        var record = env.record
        record.status = status
        runtime.stats.record(record)
        runtime.metrics.recordRequest(
            route: record.route, status: status ?? 0, durationNanoseconds: Int64(MonotonicClock.now() &- env.start))
        if (200..<300).contains(status ?? 0) {
            runtime.metrics.recordTokens(prompt: record.promptTokens, completion: record.completionTokens)
        }
    }

    /// The pipeline up to the route's handler.
    private func handle(
        _ request: inout Request, route: MockRoute, context: MockRequestContext, env: inout RequestEnvironment
    ) async throws(MockAPIError) -> APIOutcome {
        switch route {
        case .unknown: throw .invalidURL(method: request.method.rawValue, path: request.uri.path)
        case .wrongMethod: throw .invalidMethod(method: request.method.rawValue, path: request.uri.path)
        default: break
        }
        try authenticate(env: env)
        try await applyFaultWindow(env: &env)
        switch route {
        case .models:
            env.rateHeaders = peekRateHeaders(env: env)
            return .finished(modelsReply(env: env).response(env: env, runtime: runtime))
        case .model(let id):
            guard let model = runtime.models.model(id) else { throw .modelNotFound(id) }
            env.rateHeaders = peekRateHeaders(env: env)
            return .finished(modelReply(model, env: env).response(env: env, runtime: runtime))
        default:
            break
        }
        if let outcome = try await handleBatchAPI(&request, route: route, env: &env) { return outcome }
        let body = try await collectBody(&request)
        // The one pipeline (MockResponder+Pipeline.swift): parse → admit → respond.
        guard let parsed = try parse(route: route, body: body) else {
            throw .invalidURL(method: request.method.rawValue, path: request.uri.path)
        }
        return try await respond(parsed, context: context, env: &env)
    }

    func authenticate(env: RequestEnvironment) throws(MockAPIError) {
        let keys = runtime.settings.apiKeys
        guard !keys.isEmpty else { return }
        guard !env.apiKey.isEmpty else { throw .missingAPIKey }
        guard keys.contains(env.apiKey) else { throw .incorrectAPIKey(env.apiKey) }
    }

    /// A scheduled window: answer with its status, or hold the request until a freeze ends.
    private func applyFaultWindow(env: inout RequestEnvironment) async throws(MockAPIError) {
        let elapsed = Double(MonotonicClock.now() &- runtime.startTime) / 1e9
        guard let (window, secondsLeft) = runtime.faults.activeWindow(
            elapsedWallSeconds: elapsed, timeScale: runtime.settings.timeScale)
        else { return }
        switch window.action {
        case .status(let status):
            env.record.fault = "window_\(status)"
            throw .serverFault(status: status)
        case .freeze:
            runtime.stats.recordFault("freeze")
            await sleep(seconds: secondsLeft)
        }
    }

    /// Collects the body up to the cap; larger bodies are a 413.
    func collectBody(_ request: inout Request, limit: Int? = nil) async throws(MockAPIError) -> ByteBuffer {
        let limit = limit ?? runtime.settings.maxBodyBytes
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw .bodyTooLarge(limit: limit)
        }
        do {
            return try await request.collectBody(upTo: limit)
        } catch {
            throw .bodyTooLarge(limit: limit)
        }
    }

    /// Resolves a generation request's model, enforcing strict mode's endpoint checks.
    func resolveModel(_ id: String, route: MockRoute) throws(MockAPIError) -> MockModel {
        guard let model = runtime.models.model(id) else { throw .modelNotFound(id) }
        if runtime.settings.strict {
            if route == .completions && model.kind != .completion { throw .chatModelOnCompletions }
            if route == .chat && model.kind != .chat { throw .notAChatModel }
        }
        return model
    }

    /// Checks the spend budget and, for the sync pool, the rate limits, charging `tokens`; sets the rate headers.
    func admit(model: MockModel, tokens: Int, pool: AdmissionPool, env: inout RequestEnvironment) throws(MockAPIError) {
        if runtime.quotaExhausted { throw .insufficientQuota }
        guard pool == .sync, runtime.hasLimits,
            let group = runtime.limiter.group(apiKey: env.apiKey, model: model.id, now: env.start)
        else { return }
        let (headers, denial) = group.admit(tokens: tokens, now: MonotonicClock.now())
        env.rateHeaders = headers
        if let denial { throw rateLimitError(denial, model: model.id) }
    }

    /// The real 429 for a denial, with `retry-after` in wall-clock (or real) seconds.
    private func rateLimitError(_ denial: RateLimitDenial, model: String) -> MockAPIError {
        let settings = runtime.settings
        let dimension = denial.dimension
        let visit = "Visit https://platform.openai.com/account/rate-limits to learn more."
        var error: MockAPIError
        if denial.tooLarge {
            error = MockAPIError(
                status: 429,
                message: "Request too large for \(model) in organization \(settings.organization) on \(dimension.phrase): "
                    + "Limit \(denial.limit), Requested \(denial.requested). The input or output tokens must be reduced "
                    + "in order to run successfully. \(visit)",
                type: dimension.countsTokens ? "tokens" : "requests", code: "rate_limit_exceeded")
        } else {
            var message = "Rate limit reached for \(model) in organization \(settings.organization) on \(dimension.phrase): "
                + "Limit \(denial.limit), Used \(denial.used), Requested \(denial.requested). "
                + "Please try again in \(GoDuration.format(seconds: denial.waitSeconds)). \(visit)"
            if settings.tier == "free" {
                message += " You can increase your rate limit by adding a payment method to your account at "
                    + "https://platform.openai.com/account/billing."
            }
            error = MockAPIError(
                status: 429, message: message, type: dimension.countsTokens ? "tokens" : "requests",
                code: "rate_limit_exceeded")
            let wait = settings.scaleRetryAfter ? denial.waitSeconds / settings.timeScale : denial.waitSeconds
            error.retryAfterSeconds = max(wait, 0.001)
        }
        return error
    }

    /// The rate-limit headers of the fallback model's buckets, without charging (for responses naming no model).
    func peekRateHeaders(env: RequestEnvironment) -> BucketHeaders? {
        guard runtime.hasLimits else { return nil }
        let now = MonotonicClock.now()
        return runtime.limiter.group(apiKey: env.apiKey, model: runtime.fallbackLimitModel, now: now)?.peek(now: now)
    }

    /// Sleeps `seconds` of wall-clock time without blocking a thread; returns early on cancellation.
    func sleep(seconds: Double) async {
        guard seconds > 0 else { return }
        // Zero tolerance: the default lets the timer fire late by a few ms, which would show up as latency.
        try? await Task.sleep(for: .nanoseconds(Int64(min(seconds, 9e9) * 1e9)), tolerance: .zero)
    }

    /// Resets the connection (RST) without an answer.
    func resetConnection(_ context: MockRequestContext) async {
        let channel = context.channel
        if let provider = channel as? any SocketOptionProvider {
            try? await provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
        }
        try? await channel.close()
    }

    /// Holds the request until the client disconnects, the server stops, or `hangLimit` passes.
    func hang(_ context: MockRequestContext) async {
        let deadline = ContinuousClock.now + .nanoseconds(runtime.settings.hangLimit.nanoseconds)
        while context.channel.isActive && !runtime.isStopping && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
            if Task.isCancelled { break }
        }
        try? await context.channel.close()
    }
}

/// How the pipeline ended.
enum APIOutcome: Sendable {
    /// A complete response.
    case finished(Response)
    /// A streaming response whose body ends the request's in-flight count.
    case streaming(Response)
    /// The connection was reset or abandoned; the response is never delivered.
    case dropped(Response)
}
