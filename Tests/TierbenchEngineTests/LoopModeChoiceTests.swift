import Testing
import TierbenchCore
import TierbenchCurl
@testable import TierbenchEngine

@Suite("The load plan picks the curl loop's pass by workload")
struct LoopModeChoiceTests {
    private func mode(stream: Bool, workers: Int) throws -> CurlLoopMode {
        let scenario = try TestScenario("""
            version: 1
            name: mode
            stream: \(stream)
            prompts: { inline: ["a"] }
            load: { max_workers: \(workers), requests: 10 }
            """)
        let loaded = try ScenarioFile.load(path: scenario.path)
        return try LoadPlanBuilder.build(loaded: loaded, baseURL: "http://127.0.0.1:9/v1").curlOptions.mode
    }

    @Test("streams always run the epoll pass; other requests leave the choice to the slot count")
    func streamsRunTheEpollPass() throws {
        #expect(try mode(stream: true, workers: 4) == .epoll)
        #expect(try mode(stream: true, workers: 1_000) == .epoll)
        #expect(try mode(stream: false, workers: 4) == .auto)
        #expect(CurlLoopMode.auto.usesEpoll(slots: 4) == false)
    }
}
