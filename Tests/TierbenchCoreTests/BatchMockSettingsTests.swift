import Testing

@testable import TierbenchCore

/// `mock: { batch: … }` in a scenario and `MockSettings.problems()` for the batch settings.
@Suite struct BatchMockSettingsTests {
    @Test func scenarioReadsEveryBatchKey() throws {
        let text = ScenarioTestSupport.minimal("""
            mock:
              batch:
                time_scale: 1440
                validate_min: 2s
                validate_max: 4s
                validate_per_mb: 100ms
                queue_delay: { median: 60s, sigma: 0.5 }
                stall_probability: 0.02
                stall_duration: 2h
                lines_per_second: 3
                tokens_per_second: 50000
                models: { gpt-4o: { lines_per_second: 1, tokens_per_second: 9000 } }
                finalize_min: 1s
                finalize_max: 2s
                cancel_min: 10s
                cancel_max: 20s
                creations_per_hour: 50
                max_file_bytes: 1000000
                line_latency: false
            """)
        let batch = try ScenarioLoader.parse(text: text, fileName: "test.yaml").mock.batch
        var expected = MockBatchSettings()
        expected.timeScale = 1440
        expected.validateMin = .seconds(2)
        expected.validateMax = .seconds(4)
        expected.validatePerMB = .milliseconds(100)
        expected.queueDelayMedian = .seconds(60)
        expected.queueDelaySigma = 0.5
        expected.stallProbability = 0.02
        expected.stallDuration = .seconds(7_200)
        expected.linesPerSecond = 3
        expected.tokensPerSecond = 50_000
        expected.modelRates = ["gpt-4o": MockBatchRate(linesPerSecond: 1, tokensPerSecond: 9_000)]
        expected.finalizeMin = .seconds(1)
        expected.finalizeMax = .seconds(2)
        expected.cancelMin = .seconds(10)
        expected.cancelMax = .seconds(20)
        expected.creationsPerHour = 50
        expected.maxFileBytes = 1_000_000
        expected.lineLatency = false
        #expect(batch == expected)

        // A plain duration is a constant queue wait.
        let constant = try ScenarioLoader.parse(
            text: ScenarioTestSupport.minimal("mock: { batch: { queue_delay: 30s } }"), fileName: "test.yaml")
        #expect(constant.mock.batch.queueDelayMedian == .seconds(30) && constant.mock.batch.queueDelaySigma == 0)
    }

    @Test(arguments: [
        ("mock: { batch: { lines_per_secnd: 2 } }", "mock.batch.lines_per_secnd", "did you mean 'lines_per_second'?"),
        ("mock: { batch: { stall_probability: 2 } }", "mock.batch.stall_probability", "between 0 and 1"),
        ("mock: { batch: { time_scale: 0.5 } }", "mock.batch.time_scale", "between 1 and"),
        ("mock: { batch: { validate_min: 5s, validate_max: 1s } }", "mock.batch.validate_max", "≥ validate_min"),
        ("mock: { batch: { cancel_max: 25h } }", "mock.batch.cancel_max", "between 0s and 24h"),
        ("mock: { batch: { cancel_max: 2d } }", "mock.batch.cancel_max", "not a duration"),
        ("mock: { batch: { queue_delay: { median: 1s, sigma: 9 } } }", "mock.batch.queue_delay.sigma", "between 0 and 5"),
    ])
    func problemsAreReportedAtTheKey(_ yaml: String, _ keyPath: String, _ text: String) {
        let errors = ScenarioTestSupport.errors(ScenarioTestSupport.minimal(yaml))
        let found = errors.first { $0.keyPath == keyPath && ($0.message.contains(text) || $0.hint.contains(text)) }
        #expect(found != nil, "got: \(errors.map(\.description))")
    }

    @Test func problemsNameTheFlag() {
        var settings = MockSettings()
        settings.batch.linesPerSecond = 0
        settings.batch.creationsPerHour = 0
        settings.batch.finalizeMin = .seconds(10)
        let problems = settings.problems()
        #expect(problems.map(\.key) == ["batch.lines_per_second", "batch.finalize_max", "batch.creations_per_hour"])
        #expect(problems.first?.flagDescription.hasPrefix("--batch-lines-per-second must be") == true)
        #expect(MockSettings().problems().isEmpty)
    }
}
