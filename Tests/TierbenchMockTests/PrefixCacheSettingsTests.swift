import Testing

@testable import TierbenchCore

extension MockTests {
    /// `mock: { prefix_cache: …, latency: { prefill_per_token } }` in a scenario, and `MockSettings.problems()`.
    @Suite struct PrefixCacheSettingsTests {
        static func scenario(_ mock: String) -> String { "version: 1\nload: { requests: 10 }\n" + mock }

        static func errors(_ mock: String) -> [ScenarioError] {
            do {
                _ = try ScenarioLoader.parse(text: scenario(mock), fileName: "test.yaml")
                return []
            } catch {
                return error.errors
            }
        }

        @Test func scenarioReadsTheCacheAndThePrefillTerm() throws {
            let text = Self.scenario("""
                mock:
                  latency: { ttft: 30ms, prefill_per_token: 0.1ms }
                  models: { gpt-4o: { prefill_per_token: { dist: normal, mean: 1ms, stddev: 100us } } }
                  prefix_cache: { block_tokens: 16, min_tokens: 64, capacity_tokens: 4096 }
                """)
            let mock = try ScenarioLoader.parse(text: text, fileName: "test.yaml").mock
            #expect(mock.prefixCache == MockPrefixCacheSettings(blockTokens: 16, minTokens: 64, capacityTokens: 4_096))
            #expect(mock.prefixCache?.capacityBlocks == 256)
            #expect(mock.latency.prefillPerToken == .constant(.microseconds(100)))
            #expect(mock.latency.ttft == .constant(.milliseconds(30)))
            #expect(mock.modelLatency["gpt-4o"]?.prefillPerToken
                == LatencyDistribution(kind: .normal, mean: .milliseconds(1), stddev: .microseconds(100)))
            // `{}` takes OpenAI's defaults; no section, no cache.
            let defaults = try ScenarioLoader.parse(text: Self.scenario("mock: { prefix_cache: {} }"), fileName: "t.yaml")
            #expect(defaults.mock.prefixCache == MockPrefixCacheSettings(blockTokens: 128, minTokens: 1_024, capacityTokens: 1_000_000))
            #expect(try ScenarioLoader.parse(text: Self.scenario("mock: {}"), fileName: "t.yaml").mock.prefixCache == nil)
        }

        @Test(arguments: [
            ("mock: { prefix_cache: { block_tokns: 16 } }", "mock.prefix_cache.block_tokns", "did you mean 'block_tokens'?"),
            ("mock: { prefix_cache: { block_tokens: 0 } }", "mock.prefix_cache.block_tokens", "between 8 and 65536"),
            ("mock: { prefix_cache: { block_tokens: 7 } }", "mock.prefix_cache.block_tokens", "between 8 and 65536"),
            ("mock: { prefix_cache: { min_tokens: 4096, capacity_tokens: 2048 } }", "mock.prefix_cache.capacity_tokens",
             "must hold min_tokens (4096)"),
            ("mock: { prefix_cache: { min_tokens: -1 } }", "mock.prefix_cache.min_tokens", "between 0 and"),
            ("mock: { prefix_cache: { block_tokens: 128, min_tokens: 0, capacity_tokens: 100 } }", "mock.prefix_cache.capacity_tokens",
             "at least one block"),
            ("mock: { prefix_cache: { block_tokens: 8, capacity_tokens: 40000000 } }", "mock.prefix_cache.capacity_tokens",
             "at most 4194304 blocks"),
            ("mock: { prefix_cache: 5 }", "mock.prefix_cache", "mapping"),
            ("mock: { latency: { prefill_per_tokn: 1ms } }", "mock.latency.prefill_per_tokn", "did you mean 'prefill_per_token'?"),
            ("mock: { latency: { prefill_per_token: 1 } }", "mock.latency.prefill_per_token", "unit"),
        ])
        func problemsAreReportedAtTheKey(_ yaml: String, _ keyPath: String, _ text: String) {
            let errors = Self.errors(yaml)
            let found = errors.first { $0.keyPath == keyPath && ($0.message.contains(text) || $0.hint.contains(text)) }
            #expect(found != nil, "got: \(errors.map(\.description))")
            #expect(errors.allSatisfy { $0.line == 3 }, "got: \(errors.map(\.description))")
        }

        /// In block style each key has its own line: a range problem points at the nested key, not at `prefix_cache:`.
        @Test func rangeProblemsOfNestedKeysPointAtTheirOwnLine() {
            let errors = Self.errors("""
                mock:
                  prefix_cache:
                    block_tokens: 16
                    min_tokens: -1
                    capacity_tokens: 0
                """)
            let lines = Dictionary(errors.map { ($0.keyPath, $0.line) }, uniquingKeysWith: { first, _ in first })
            #expect(lines["mock.prefix_cache.min_tokens"] == 6, "got: \(errors.map(\.description))")
            #expect(lines["mock.prefix_cache.capacity_tokens"] == 7, "got: \(errors.map(\.description))")
        }

        @Test func canonicalFormReadsBackWithTheCacheAndPrefill() throws {
            let scenario = try ScenarioLoader.parse(text: Self.scenario("""
                mock:
                  latency: { ttft: 30ms, prefill_per_token: 100us }
                  models: { gpt-4o: { prefill_per_token: 1ms } }
                  prefix_cache: { block_tokens: 64 }
                """), fileName: "test.yaml")
            let canonical = scenario.canonicalJSON.jsonText
            #expect(canonical.contains(#""prefix_cache":{"block_tokens":64,"min_tokens":1024,"capacity_tokens":1000000}"#))
            #expect(try ScenarioLoader.parse(text: canonical, fileName: "canonical.json") == scenario)
            // Without them, the canonical form has neither key (scenarios written before keep their form).
            let plain = try ScenarioLoader.parse(text: Self.scenario("mock: { latency: { ttft: 30ms } }"), fileName: "t.yaml")
            #expect(!plain.canonicalJSON.jsonText.contains("prefix"))
        }

        @Test func problemsNameTheFlag() {
            var settings = MockSettings()
            settings.prefixCache = MockPrefixCacheSettings(blockTokens: 0, minTokens: 0, capacityTokens: 0)
            let problems = settings.problems()
            #expect(problems.map(\.key) == ["prefix_cache.block_tokens", "prefix_cache.capacity_tokens"])
            #expect(problems.first?.flagDescription == "--prefix-cache-block-tokens must be between 8 and 65536, got 0")
            settings.prefixCache = MockPrefixCacheSettings(blockTokens: 16, minTokens: 1_024, capacityTokens: 1_000)
            #expect(settings.problems().map(\.flagDescription) == [
                "--prefix-cache-capacity-tokens must hold min_tokens (1024), got 1000; raise "
                    + "capacity_tokens or lower min_tokens (a smaller cache could never report a hit)"
            ])
            settings.prefixCache = MockPrefixCacheSettings()
            #expect(settings.problems().isEmpty)
        }
    }
}
