import TierbenchCore

/// libFuzzer entry point: a scenario file's text (YAML or JSON) through `ScenarioLoader.parse`, as
/// `tierbench run|validate` reads it; a scenario that loads is written back as canonical JSON (summary.json's
/// "scenario as run") and read again, and its stages' total length is taken. Errors are fine; a trap, hang or runaway allocation is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScenario(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let scenario = try ScenarioLoader.parse(text: text, fileName: "fuzz.yaml")
        _ = scenario.load.stagesDuration  // the run's length when stages set it (LoadPlanBuilder, --dry-run)
        let canonical = scenario.canonicalJSON.jsonText
        _ = try? ScenarioLoader.parse(text: canonical, fileName: "fuzz.json")
    } catch {
        _ = error.description
    }
    return 0
}
