/// Codable in the scenario file's shape: `"mock"` or `{ "base_url": …, "api_key_env": …, "headers": [...] }`.
extension ScenarioTarget {
    public init(from decoder: any Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            guard text == "mock" else {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: decoder.codingPath, debugDescription: "expected \"mock\" or a remote target, got '\(text)'"))
            }
            self = .mock
        } else {
            self = .remote(try RemoteTarget(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .mock:
            var container = encoder.singleValueContainer()
            try container.encode("mock")
        case .remote(let remote):
            try remote.encode(to: encoder)
        }
    }
}

/// Codable in the scenario file's shape: `{ "inline": [...] }`, `{ "file": … }`, `{ "jsonl": … }` or
/// `{ "synthetic": { … } }`.
extension PromptSource {
    private enum CodingKeys: String, CodingKey {
        case inline, file, jsonl, synthetic
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let texts = try container.decodeIfPresent([String].self, forKey: .inline) {
            self = .inline(texts)
        } else if let path = try container.decodeIfPresent(String.self, forKey: .file) {
            self = .file(path)
        } else if let path = try container.decodeIfPresent(String.self, forKey: .jsonl) {
            self = .jsonl(path)
        } else if let settings = try container.decodeIfPresent(SyntheticPrompts.self, forKey: .synthetic) {
            self = .synthetic(settings)
        } else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "expected one of inline, file, jsonl, synthetic"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .inline(let texts): try container.encode(texts, forKey: .inline)
        case .file(let path): try container.encode(path, forKey: .file)
        case .jsonl(let path): try container.encode(path, forKey: .jsonl)
        case .synthetic(let settings): try container.encode(settings, forKey: .synthetic)
        }
    }
}
