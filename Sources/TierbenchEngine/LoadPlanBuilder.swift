import Foundation
import TierbenchCore
import TierbenchCurl

/// Turns a loaded scenario into a `LoadPlan`: every distinct request body serialised once, with URL and headers.
enum LoadPlanBuilder {
    /// Most concurrent requests an open loop keeps when `max_in_flight` is not set.
    static let defaultInFlightCap = 4096

    /// - Parameter baseURL: The target's base URL (for the mock: where it listens).
    /// - Parameter prices: The price table for cost estimates and `budget.max_usd`.
    static func build(loaded: ScenarioFile, baseURL: String, prices: PriceTable = .builtIn) throws(EngineError) -> LoadPlan {
        let scenario = loaded.scenario
        let target = scenario.target.resolved(mockBaseURL: baseURL)
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json")]
        if let variable = target.apiKeyEnv {
            guard let key = ProcessInfo.processInfo.environment[variable], !key.isEmpty else {
                throw EngineError.missingAPIKey(variable: variable, scenario: loaded.path)
            }
            headers.append(("Authorization", "Bearer \(key)"))
        }
        for header in target.headers { headers.append((header.name, header.value)) }
        if scenario.stream { headers.append(("Accept", "text/event-stream")) }

        let bodies = try requestBodies(loaded)
        let url = target.url(for: scenario.endpoint)
        var requests: [PreparedRequest] = []
        var prompts: [Int] = []
        var estimates: [Int] = []
        var costs: [Double] = []
        requests.reserveCapacity(bodies.count)
        for body in bodies {
            do {
                requests.append(try PreparedRequest(url: url, method: "POST", headers: headers, body: body.bytes))
            } catch {
                throw EngineError.transport(error.description)
            }
            prompts.append(body.promptCount)
            estimates.append(body.estimatedPromptTokens)
            costs.append(Double(body.estimatedPromptTokens) + Double(body.maxCompletionTokens))
        }

        var options = CurlLoopOptions()
        options.httpVersion = scenario.http.version == .http2 ? .http2 : .http1_1
        options.connectTimeout = scenario.timeouts.connect
        options.requestTimeout = scenario.timeouts.request
        options.spin = scenario.load.effectiveSpin
        options.maxRedirects = scenario.http.followRedirects
        options.mode = scenario.http.loop == .poll ? .poll : .epoll
        let load = scenario.load
        let model = try loadModel(load, timeout: scenario.timeouts.request, path: loaded.path, trace: loaded.trace)
        var duration = load.duration
        if duration == nil, !load.stages.isEmpty { duration = load.stagesDuration }
        var plan = LoadPlan(
            requests: requests,
            promptsPerRequest: prompts,
            estimatedPromptTokens: estimates,
            tokenCost: costs,
            model: model,
            durationNanos: duration.map { UInt64(max(0, $0.nanoseconds)) },
            requestLimit: load.requests,
            warmupNanos: UInt64(max(0, load.warmup.nanoseconds)),
            stream: scenario.stream,
            curlOptions: options)
        plan.retry = scenario.retry
        plan.failFast = !(scenario.target.isMock && scenario.mock.faults.injectsHopelessStatuses)
        plan.redactor = SecretRedactor(secrets: SecretRedactor.secrets(ofHeaders: headers))
        if let throttle = scenario.throttle {
            plan.throttle = ThrottlePlan(
                requestsPerMinute: throttle.requestsPerMinute, tokensPerMinute: throttle.tokensPerMinute,
                timeScale: scenario.target.isMock ? scenario.mock.timeScale : 1, burst: throttle.burst,
                followServer: throttle.followServer)
        }
        plan.seed = scenario.mock.seed
        if let settings = scenario.sessions {
            plan.sessions = try SessionPlan.build(loaded: loaded, settings: settings, url: url, headers: headers)
        }
        plan.price = prices.modelPrice(for: scenario.model)
        if let price = plan.price {
            // No cached tokens in the estimate: the budget reserves the uncached (upper-bound) price.
            plan.costEstimate = bodies.map {
                price.usd(TokenUsage(prompt: $0.estimatedPromptTokens, completion: $0.maxCompletionTokens))
            }
        }
        if let maxUSD = scenario.budget.maxUSD {
            guard plan.price != nil else {
                throw EngineError.invalidScenario(
                    "\(loaded.path): budget.max_usd needs a price for model \(scenario.model), and the price table "
                        + "(\(prices.date)) has none; add it to a price file and pass --price-file FILE")
            }
            plan.budget = SpendBudget(maxUSD: maxUSD)
        }
        return plan
    }

    /// The load model of `load:`.
    /// - Parameter timeout: The request timeout, used to size an open loop without `max_in_flight`.
    static func loadModel(
        _ load: LoadSettings, timeout: TimeSpan, path: String, trace: Trace? = nil
    ) throws(EngineError) -> LoadPlan.Model {
        switch load.mode {
        case .closedLoop:
            return .closed(workers: load.maxWorkers, ramp: nil)
        case .waves:
            let waves = load.waves ?? WaveSettings(waveSize: load.maxWorkers)
            return .waves(size: waves.waveSize, pause: UInt64(max(0, waves.pause.nanoseconds)))
        case .rampingWorkers:
            var peak = load.maxWorkers
            var stages: [RateProfile.Stage] = []
            for stage in load.stages {
                guard case .workers(let target) = stage.target else { continue }
                peak = max(peak, target)
                stages.append(.init(duration: stage.duration.seconds, target: Double(target)))
            }
            return .closed(workers: peak, ramp: RateProfile(startRate: Double(load.maxWorkers), stages: stages))
        case .openLoop, .rampingRate:
            var peak = load.rate ?? 0
            var stages: [RateProfile.Stage] = []
            for stage in load.stages {
                guard case .rate(let target) = stage.target else { continue }
                peak = max(peak, target)
                stages.append(.init(duration: stage.duration.seconds, target: target))
            }
            let inFlight = load.maxInFlight
                ?? min(defaultInFlightCap, max(64, Int((peak * max(timeout.seconds, 1)).rounded(.up))))
            return .open(
                profile: RateProfile(startRate: load.rate ?? 0, stages: stages), arrival: load.arrival, seed: 1,
                maxInFlight: inFlight)
        case .trace:
            guard let trace, let speed = load.trace?.speed else {
                throw EngineError.invalidScenario("\(path): load.trace: the trace file was not loaded")
            }
            let peak = Double(trace.peakPerSecond(speed: speed))
            let inFlight = load.maxInFlight
                ?? min(defaultInFlightCap, max(64, Int((peak * max(timeout.seconds, 1)).rounded(.up))))
            return .trace(offsets: trace.sendOffsets(speed: speed), maxInFlight: inFlight)
        }
    }

    /// The distinct request bodies: from the prompts, or with a trace one per row (its prompt, or a synthetic prompt of
    /// `prompt_tokens` tokens, and its `max_tokens`).
    static func requestBodies(_ loaded: ScenarioFile) throws(EngineError) -> [RequestBody] {
        let scenario = loaded.scenario
        do throws(RequestBodyError) {
            if let sessions = scenario.sessions {
                // Turns are built at send time; this one stands for a first turn (estimates, --dry-run).
                let tokens = max(1, Int(sessions.userTokens.mean.rounded()))
                let first = SessionMessage.user(SyntheticPromptGenerator.text(tokens: tokens, seed: sessions.seed))
                let prompt = Prompt.body(.object([.init("messages", SessionConversation.json([first]))]))
                return try RequestBodyFactory(scenario: scenario, prompts: [prompt]).bodies
            }
            guard let trace = loaded.trace else {
                return try RequestBodyFactory(scenario: scenario, prompts: loaded.prompts).bodies
            }
            guard scenario.batchSize == 1 else {
                throw RequestBodyError(message: "load.trace sends one prompt per row; batch_size must be 1",
                                       hint: "remove batch_size")
            }
            let limitKey = scenario.request["max_completion_tokens"] != nil ? "max_completion_tokens" : "max_tokens"
            var bodies: [RequestBody] = []
            bodies.reserveCapacity(trace.records.count)
            for (row, record) in trace.records.enumerated() {
                var rowScenario = scenario
                if let limit = record.maxTokens, scenario.endpoint != .embeddings {
                    rowScenario.request.set(limitKey, .int(limit))
                }
                let text = record.prompt
                    ?? SyntheticPromptGenerator.text(tokens: record.promptTokens ?? 1, seed: UInt64(row) &+ 1)
                bodies.append(try RequestBodyFactory(scenario: rowScenario, prompts: [.text(text)]).bodies[0])
            }
            return bodies
        } catch {
            throw EngineError.invalidScenario("\(loaded.path): \(error.description)")
        }
    }
}
