/// The tool's version, written into every result file so results can be traced to the code that made them.
public enum TierbenchVersion {
    public static let string = "0.1.0"
    /// Version of the `summary.json` schema (docs/summary.schema.json). Bump on any incompatible change.
    public static let summarySchema = 1
    /// Version of the scenario file format this build reads (`version:` in a scenario).
    public static let scenarioFormat = 1
}
