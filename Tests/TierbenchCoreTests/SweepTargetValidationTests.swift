import Testing

@testable import TierbenchCore

/// Issue 11 items 1, 2 and 7: a sweep measures the scenario's own target unless told otherwise, refuses what `run`
/// refuses, and HTTP/2 against the HTTP/1.1-only mock is an error, not 100% failures.
@Suite struct SweepTargetValidationTests {
    typealias S = ScenarioTestSupport

    static let remote = """
        target: { base_url: "http://127.0.0.1:9/v1", api_key_env: MY_KEY }
        sweep: { max_workers: [1, 2, 4] }
        """

    @Test func aSweepWithoutTiersMeasuresTheScenariosURL() throws {
        let scenario = try ScenarioLoader.parse(text: S.minimal(Self.remote), fileName: "s.yaml")
        let tiers = try #require(scenario.sweep?.tiers)
        #expect(tiers == [.remote(label: "target", baseURL: "http://127.0.0.1:9/v1", apiKeyEnv: "MY_KEY")])
        #expect(tiers.allSatisfy { !$0.isMock })
    }

    @Test func aSweepWithoutTiersKeepsTheMocksPreset() throws {
        let scenario = try ScenarioLoader.parse(
            text: S.minimal("mock: { tier: tier2 }\nsweep: { max_workers: [1, 2] }"), fileName: "s.yaml")
        #expect(scenario.sweep?.tiers == [.mock("tier2")])
        let plain = try ScenarioLoader.parse(text: S.minimal("sweep: { max_workers: [1, 2] }"), fileName: "s.yaml")
        #expect(plain.sweep?.tiers == [.unlimitedMock])
    }

    @Test func chatBatchSizesAboveOneAreRefusedInASweep() {
        let errors = S.errors(S.minimal("sweep: { max_workers: [1, 2], batch_size: [1, 5] }"))
        #expect(errors.contains { $0.keyPath == "sweep.batch_size" && $0.message.contains("prompt arrays") }, "\(errors)")
        #expect(S.errors(S.minimal("endpoint: completions\nsweep: { max_workers: [1, 2], batch_size: [1, 5] }"))
            .isEmpty)
    }

    @Test func http2AgainstTheMockIsRefused() {
        let errors = S.errors(S.minimal("http: { version: \"2\" }"))
        #expect(errors.contains { $0.keyPath == "http.version" && $0.message.contains("HTTP/1.1 only") }, "\(errors)")
        // A sweep whose tiers include a mock preset is refused too, even when the scenario targets a URL.
        let sweep = S.errors(S.minimal(
            "target: { base_url: \"http://127.0.0.1:9/v1\" }\nhttp: { version: \"2\" }\nsweep: { max_workers: [1], tier: [tier1] }"))
        #expect(sweep.contains { $0.keyPath == "http.version" }, "\(sweep)")
        // A real server may speak HTTP/2.
        #expect(S.errors(S.minimal("target: { base_url: \"http://127.0.0.1:9/v1\" }\nhttp: { version: \"2\" }")).isEmpty)
    }
}
