import Hummingbird
import TierbenchCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The steps every generation endpoint shares after parsing: faults, then capacity and latency.
extension MockResponder {
    /// Draws this request's fault. Status faults throw; reset and hang are carried out here and return `.dropped`;
    /// malformed, truncate and none are returned for the handler to act on. A slow first byte is slept here.
    func applyFaults(
        streaming: Bool, context: MockRequestContext, env: inout RequestEnvironment
    ) async throws(MockAPIError) -> (action: FaultAction, dropped: APIOutcome?) {
        let (action, slow) = runtime.faults.decide(&env.random, streaming: streaming)
        if slow {
            runtime.stats.recordFault("slow_first_byte")
            await sleep(seconds: runtime.faults.slowFirstByteDelay)
        }
        switch action {
        case .none:
            return (action, nil)
        case .status(let status):
            env.record.fault = action.label
            throw .serverFault(status: status)
        case .reset:
            env.record.fault = action.label
            await resetConnection(context)
            return (action, .dropped(Response(status: .ok)))
        case .hang:
            env.record.fault = action.label
            await hang(context)
            return (action, .dropped(Response(status: .ok)))
        case .malformed, .truncate:
            env.record.fault = action.label
            return (action, nil)
        }
    }

    /// Holds a capacity slot (queueing FIFO when all are busy) for `base + perOutputToken × tokens +
    /// prefillPerToken × uncached prompt tokens` (`MockLatencyModel.responseSeconds`, the prompt and cached tokens
    /// recorded in `env`), scaled.
    ///
    /// Without a capacity limit the latency counts from the request's arrival, so the mock's own parsing time is
    /// part of it rather than added to it (a debug build would otherwise answer a few ms late).
    func generationDelay(model: String, outputTokens: Int, env: inout RequestEnvironment) async {
        let real = responseSeconds(model: model, outputTokens: outputTokens, env: &env)
        let wall = runtime.wallSeconds(real)
        guard let gate = runtime.gate else {
            let spent = Double(MonotonicClock.now() &- env.start) / 1e9
            await sleep(seconds: wall - spent)
            if wall > 0 { runtime.asyncLag.record(due: env.start &+ TickStream.nanoseconds(wall), written: MonotonicClock.now()) }
            return
        }
        guard await gate.acquire() else { return }
        let granted = MonotonicClock.now()
        await sleep(seconds: wall)
        if wall > 0 { runtime.asyncLag.record(due: granted &+ TickStream.nanoseconds(wall), written: MonotonicClock.now()) }
        gate.release()
    }

    /// A non-streamed response's latency in real seconds, sampled from the model's latency with the prompt and
    /// cached tokens recorded in `env` (the Hummingbird path and batch lines alike).
    func responseSeconds(model: String, outputTokens: Int, env: inout RequestEnvironment) -> Double {
        let (prompt, cached) = (env.record.promptTokens, env.record.cachedTokens)
        return runtime.latency(for: model).responseSeconds(
            outputTokens: outputTokens, promptTokens: prompt, cachedTokens: cached, sample: { env.random.sample($0) })
    }

    /// Records usage and spend of a successful generation.
    func recordUsage(
        model: MockModel, prompts: Int, choices: Int, promptTokens: Int, cachedTokens: Int = 0, completionTokens: Int,
        env: inout RequestEnvironment
    ) {
        env.record.prompts = prompts
        env.record.choices = choices
        env.record.promptTokens = promptTokens
        env.record.cachedTokens = cachedTokens
        env.record.completionTokens = completionTokens
        let cost = model.cost(
            promptTokens: promptTokens, cachedTokens: cachedTokens, completionTokens: completionTokens,
            batch: env.batchPricing)
        env.record.spendUSD = cost
        runtime.addSpend(cost)
    }

    /// Gives back reserved tokens that were not used, when `correctToActualUsage` is on.
    /// A batch line charged no sync bucket, so it refunds none.
    func correctReservation(_ admitted: Admitted, used: Int, env: RequestEnvironment) {
        let reserved = admitted.reservedTokens
        guard admitted.pool == .sync, runtime.settings.correctToActualUsage, runtime.hasLimits, reserved > used,
            let group = runtime.limiter.group(apiKey: env.apiKey, model: admitted.model.id, now: env.start)
        else { return }
        group.refund(tokens: reserved - used, now: MonotonicClock.now())
    }

    /// A 200 whose body is cut mid-JSON (the malformed-JSON fault).
    func malformedResponse(prefix: StaticString, env: RequestEnvironment) -> Response {
        var body = ByteBuffer()
        body.writeStaticString(prefix)
        body.writeStaticString("\"id\":\"")
        body.writeString(env.requestID)
        body.writeStaticString("\",\"choices\":[{\"index\":0,")
        return Response(
            status: .ok, headers: env.headers(runtime: runtime, contentType: "application/json"),
            body: .init(byteBuffer: body))
    }

    /// `created`: Unix seconds now, or the environment's fixed second (a batch line's virtual start).
    func created(_ env: RequestEnvironment) -> Int { env.created ?? Int(time(nil)) }
}
