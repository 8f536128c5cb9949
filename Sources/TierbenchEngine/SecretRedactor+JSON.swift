import TierbenchCore

extension SecretRedactor {
    /// `json` with every string and key redacted: an API answer passes this before it is decoded, so no
    /// server-supplied text of a batch or file object (error messages, metadata, model, ids) can carry a secret into
    /// the state file, the summary or the console.
    func redact(_ json: JSONValue) -> JSONValue {
        guard !secrets.isEmpty else { return json }
        switch json {
        case .string(let text): return .string(redact(text))
        case .array(let items): return .array(items.map { redact($0) })
        case .object(let members):
            return .object(members.map { JSONValue.Member(redact($0.key), redact($0.value)) })
        case .null, .bool, .int, .double: return json
        }
    }
}
