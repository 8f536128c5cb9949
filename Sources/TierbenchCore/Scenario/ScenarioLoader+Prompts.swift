import Yams

extension ScenarioLoader {
    // MARK: prompts

    static func readPrompts(_ entry: ScenarioMapping.Entry, reader: ScenarioNodeReader) -> PromptSource? {
        let kinds = ["inline", "file", "jsonl", "synthetic"]
        guard let prompts = reader.mapping(entry.value, "prompts", keys: kinds, at: entry.keyNode.mark) else {
            return nil
        }
        guard let chosen = prompts.entries.first else {
            reader.report(prompts.mark, "prompts", "no prompt source",
                          hint: "give one of inline: [...], file: prompts.txt, jsonl: data.jsonl, synthetic: {...}")
            return nil
        }
        if prompts.entries.count > 1 {
            let second = prompts.entries[1]
            reader.report(second.keyNode, prompts.path(second.key), "only one prompt source is allowed",
                          hint: "keep either \(chosen.key) or \(second.key)")
            return nil
        }
        let path = prompts.path(chosen.key)
        switch chosen.key {
        case "inline":
            guard let items = reader.sequence(chosen.value, path, expecting: "a list of prompt strings") else { return nil }
            if items.isEmpty {
                reader.report(chosen.value, path, "the list is empty", hint: "give at least one prompt")
                return nil
            }
            var texts: [String] = []
            for (index, item) in items.enumerated() {
                if let text = reader.string(item, "\(path)[\(index)]") { texts.append(text) }
            }
            return texts.count == items.count ? .inline(texts) : nil
        case "file":
            return reader.string(chosen.value, path).map { .file($0) }
        case "jsonl":
            return reader.string(chosen.value, path).map { .jsonl($0) }
        default:
            return readSynthetic(chosen, path: path, reader: reader).map { .synthetic($0) }
        }
    }

    private static func readSynthetic(
        _ entry: ScenarioMapping.Entry, path: String, reader: ScenarioNodeReader
    ) -> SyntheticPrompts? {
        guard let section = reader.mapping(entry.value, path, keys: ["count", "tokens", "seed"], at: entry.keyNode.mark)
        else { return nil }
        var synthetic = SyntheticPrompts()
        let before = reader.errors.count
        if let node = section["count"], let count = reader.int(node, section.path("count"), min: 1, max: 10_000_000) {
            synthetic.count = count
        }
        if let node = section["seed"], let seed = reader.int(node, section.path("seed"), min: 0, max: Int.max) {
            synthetic.seed = UInt64(seed)
        }
        if let tokens = reader.section(section, "tokens", keys: ["mean", "stddev"]) {
            if let node = tokens["mean"], let mean = reader.number(node, tokens.path("mean"), min: 1, max: Double(ScenarioLimits.maxTokensPerRequest)) {
                synthetic.meanTokens = mean
            }
            if let node = tokens["stddev"], let stddev = reader.number(node, tokens.path("stddev"), min: 0, max: Double(ScenarioLimits.maxTokensPerRequest)) {
                synthetic.stddevTokens = stddev
            }
        }
        let bytes = Double(synthetic.count) * (synthetic.meanTokens + 3 * synthetic.stddevTokens)
            * Double(SyntheticPromptGenerator.charactersPerToken)
        if reader.errors.count == before, bytes > Double(ScenarioLimits.maxSyntheticPromptBytes) {
            reader.report(section.mark, path, "\(synthetic.count) prompts of about \(Int(synthetic.meanTokens)) tokens "
                          + "would take \(Int(bytes / 1_048_576)) MiB of prompt text; the limit is "
                          + "\(ScenarioLimits.maxSyntheticPromptBytes / 1_048_576) MiB (count × (mean + 3 stddev) × 4 bytes)",
                          hint: "lower count or tokens; prompts are reused round-robin, so a few thousand are enough")
        }
        return reader.errors.count == before ? synthetic : nil
    }

    // MARK: request

    /// Reads the body template and checks that `{prompt}` can go where the endpoint needs it.
    /// - Parameter textPromptsOnly: The prompt source always gives text (not whole bodies), so the template must
    ///   use `{prompt}` for chat.
    static func readRequest(
        _ node: Node, endpoint: Endpoint, textPromptsOnly: Bool, reader: ScenarioNodeReader
    ) -> JSONValue? {
        guard case .mapping(let mapping) = node else {
            reader.report(node, "request", "expected a mapping (the JSON request body), got \(node.gotDescription)")
            return nil
        }
        guard let template = reader.jsonValue(node, "request") else { return nil }
        var failed = false
        let field = RequestBodyFactory.promptField(for: endpoint)
        for (keyNode, valueNode) in mapping {
            let key = keyNode.scalar?.string ?? ""
            let path = "request." + key
            switch key {
            case "model":
                reader.report(keyNode, path, "the model is set by the top-level 'model:' key",
                              hint: "move it to model: at the top level")
                failed = true
            case "stream", "stream_options":
                reader.report(keyNode, path, "streaming is set by the top-level 'stream:' key",
                              hint: "write stream: true at the top level; tierbench adds stream_options itself")
                failed = true
            case field where endpoint != .chat:
                guard case .scalar = valueNode, let text = template[key]?.stringValue,
                    text.contains(Scenario.promptPlaceholder)
                else {
                    reader.report(valueNode, path, "must be a string containing {prompt}, or left out",
                                  hint: "tierbench fills \(key) from the prompts (an array when batch_size > 1)")
                    failed = true
                    continue
                }
            case "n":
                if reader.int(valueNode, path, min: 1, max: 128) == nil { failed = true }
            case "max_tokens", "max_completion_tokens":
                if case .int = template[key] {
                    guard reader.int(valueNode, path, min: 1, max: ScenarioLimits.maxTokensPerRequest) != nil else {
                        failed = true
                        continue
                    }
                } else {
                    reader.report(valueNode, path, "expected a whole number of tokens between 1 and "
                                  + "\(ScenarioLimits.maxTokensPerRequest), got \(valueNode.gotDescription)")
                    failed = true
                }
            default:
                if endpoint != .chat, let value = template[key], value.containsPlaceholder {
                    reader.report(keyNode, path, "{prompt} can only appear in request.\(field) for \(endpoint.rawValue)",
                                  hint: "remove {prompt} here")
                    failed = true
                }
            }
        }
        if endpoint == .chat && textPromptsOnly && !template.containsPlaceholder && !failed {
            reader.report(node.mark, "request", "the template never uses {prompt}, so every request would be the same",
                          hint: "write content: \"{prompt}\" in a message")
            failed = true
        }
        return failed ? nil : template
    }
}
