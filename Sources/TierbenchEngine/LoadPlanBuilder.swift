import Foundation
import TierbenchCore
import TierbenchCurl

/// Turns a loaded scenario into a `LoadPlan`: every distinct request body serialised once, with URL and headers.
enum LoadPlanBuilder {
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
        return LoadPlan(
            requests: requests,
            promptsPerRequest: prompts,
            estimatedPromptTokens: estimates,
            tokenCost: costs,
            model: .closed(workers: load.maxWorkers),
            durationNanos: load.duration.map { UInt64(max(0, $0.nanoseconds)) },
            requestLimit: load.requests,
            warmupNanos: UInt64(max(0, load.warmup.nanoseconds)),
            stream: scenario.stream,
            curlOptions: options)
    }
}
