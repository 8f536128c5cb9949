/// Small helpers for the YAML the monitoring exports write by hand (deterministic text, no YAML library needed).
enum YAMLText {
    /// A double-quoted YAML scalar (JSON escaping is valid YAML).
    static func quoted(_ text: String) -> String {
        var out = ""
        JSONValue.writeEscaped(text, to: &out)
        return out
    }

    /// Text safe inside a `#` comment line (newlines flattened).
    static func comment(_ text: String) -> String {
        String(text.map { $0 == "\n" || $0 == "\r" ? " " : $0 })
    }
}
