import Testing
import TierbenchCore
import TierbenchCurl
@testable import TierbenchEngine

@Suite("http.loop picks the curl loop's pass")
struct LoopModeChoiceTests {
    private func mode(_ http: String) throws -> CurlLoopMode {
        let scenario = try TestScenario("""
            version: 1
            name: mode
            prompts: { inline: ["a"] }
            load: { max_workers: 4, requests: 10 }
            \(http)
            """)
        let loaded = try ScenarioFile.load(path: scenario.path)
        return try LoadPlanBuilder.build(loaded: loaded, baseURL: "http://127.0.0.1:9/v1").curlOptions.mode
    }

    @Test("epoll by default and with loop: epoll; poll only with loop: poll")
    func loopKeyPicksThePass() throws {
        #expect(try mode("") == .epoll)
        #expect(try mode("http: { version: \"1.1\" }") == .epoll)
        #expect(try mode("http: { loop: epoll }") == .epoll)
        #expect(try mode("http: { loop: poll }") == .poll)
    }

    @Test("an unknown loop is refused with its key path and the values allowed")
    func unknownLoopIsRefused() throws {
        do {
            _ = try mode("http: { loop: select }")
            Issue.record("loop: select was accepted")
        } catch {
            let text = "\(error)"
            #expect(text.contains("http.loop") && text.contains("\"epoll\" or \"poll\"") && text.contains("select"))
        }
    }

    @Test("loop: poll enters the scenario's canonical form (and so the shards' plan key); the default does not")
    func loopInCanonicalForm() throws {
        func canonical(_ http: String) throws -> String {
            try ScenarioLoader.parse(text: "version: 1\nname: c\nload: { max_workers: 1, requests: 1 }\n\(http)", fileName: "c.yaml")
                .canonicalJSON.jsonText
        }
        #expect(try canonical("") == canonical("http: { loop: epoll }"))
        #expect(try canonical("") != canonical("http: { loop: poll }"))
        #expect(try canonical("http: { loop: poll }").contains("\"loop\""))
    }
}
