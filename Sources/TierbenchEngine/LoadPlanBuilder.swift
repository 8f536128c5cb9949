import Foundation
import TierbenchCore
import TierbenchCurl

/// Turns a loaded scenario into a `LoadPlan`: every distinct request body serialised once, with URL and headers.
enum LoadPlanBuilder {
    /// Most concurrent requests an open loop keeps when `max_in_flight` is not set.
    static let defaultInFlightCap = 4096

    /// - Parameter baseURL: The target's base URL (for the mock: where it listens).
    static func build(loaded: ScenarioFile, baseURL: String) throws(EngineError) -> LoadPlan {
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

        let factory: RequestBodyFactory
        do {
            factory = try RequestBodyFactory(scenario: scenario, prompts: loaded.prompts)
        } catch {
            throw EngineError.invalidScenario("\(loaded.path): \(error.description)")
        }
        let url = target.url(for: scenario.endpoint)
        var requests: [PreparedRequest] = []
        var prompts: [Int] = []
        var estimates: [Int] = []
        var costs: [Double] = []
        requests.reserveCapacity(factory.bodies.count)
        for body in factory.bodies {
            do {
                requests.append(try PreparedRequest(url: url, method: "POST", headers: headers, body: body.bytes))
            } catch {
                throw EngineError.transport(error.description)
            }
            prompts.append(body.promptCount)
            estimates.append(body.estimatedPromptTokens)
            costs.append(Double(body.estimatedPromptTokens + body.choices * (body.maxTokens ?? 16)))
        }

        var options = CurlLoopOptions()
        options.httpVersion = scenario.http.version == .http2 ? .http2 : .http1_1
        options.connectTimeout = scenario.timeouts.connect
        options.requestTimeout = scenario.timeouts.request
        let load = scenario.load
        let model = try loadModel(load, timeout: scenario.timeouts.request, path: loaded.path)
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
        if let throttle = scenario.throttle {
            plan.throttle = ThrottlePlan(
                requestsPerMinute: throttle.requestsPerMinute, tokensPerMinute: throttle.tokensPerMinute,
                timeScale: scenario.target.isMock ? scenario.mock.timeScale : 1, followServer: throttle.followServer)
        }
        plan.seed = scenario.mock.seed
        return plan
    }

    /// The load model of `load:`.
    /// - Parameter timeout: The request timeout, used to size an open loop without `max_in_flight`.
    static func loadModel(_ load: LoadSettings, timeout: TimeSpan, path: String) throws(EngineError) -> LoadPlan.Model {
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
            throw EngineError.invalidScenario(
                "\(path): load.trace: trace replay is parsed but this build cannot run it yet; "
                    + "use load.rate with load.arrival, or load.stages")
        }
    }
}
