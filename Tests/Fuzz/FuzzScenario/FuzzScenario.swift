import TierbenchCore

/// libFuzzer entry point: a scenario file's text (YAML or JSON) through `ScenarioLoader.parse`, as
/// `tierbench run|validate` reads it. A scenario that loads is then taken as far as the run's pure set-up goes:
/// written back as canonical JSON (summary.json's "scenario as run") and read again, its stages' total length, its
/// prompts (a prompt file or JSONL file reads as the input itself; synthetic prompts only when they total at most
/// 100,000 tokens, since larger ones are slow by design), the request bodies built from them, and the
/// `--dry-run` estimate.
/// Errors are fine; a trap, hang or runaway allocation is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScenario(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
    let scenario: Scenario
    do {
        scenario = try ScenarioLoader.parse(text: text, fileName: "fuzz.yaml")
    } catch {
        _ = error.description
        return 0
    }
    let canonical = scenario.canonicalJSON.jsonText
    _ = try? ScenarioLoader.parse(text: canonical, fileName: "fuzz.json")
    _ = scenario.load.stagesDuration  // the run's length when stages set it (LoadPlanBuilder, --dry-run)
    if case .synthetic(let synthetic) = scenario.prompts,
       Double(synthetic.count) * min(synthetic.meanTokens + 3 * synthetic.stddevTokens,
                                     Double(SyntheticPromptGenerator.maxDrawTokens)) > 100_000 {
        return 0
    }
    do {
        let prompts = try PromptLoader.load(scenario.prompts, baseDirectory: "fuzz", readFile: { _ in text })
        let bodies = try RequestBodyFactory(scenario: scenario, prompts: prompts).bodies
        // `tierbench run --dry-run`: requests, tokens and cost, at gpt-4o-mini's list price.
        let prices = PriceTable(date: "2025-01-01", source: "fuzz", models: [
            scenario.model: .init(input: 0.15, cachedInput: 0.075, output: 0.6),
        ])
        let traceRows = scenario.load.trace == nil ? nil : Int(size % 1_000 + 1)
        _ = DryRunEstimate(scenario: scenario, bodies: bodies, traceRows: traceRows, prices: prices)
            .render(target: "mock")
    } catch {
        _ = "\(error)"
    }
    return 0
}
