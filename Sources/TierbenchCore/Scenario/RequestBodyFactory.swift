/// Builds every distinct request body of a scenario once, up front; request number i sends
/// `body(forRequest: i)`, cycling through `bodies`.
///
/// Text prompts are grouped `batchSize` at a time in order, so there are ceil(prompts / batchSize) bodies; the
/// last group wraps around to the first prompts, so every body carries exactly `batchSize` prompts.
/// - chat: the template with `{prompt}` replaced in every string (JSON-escaped when written).
/// - completions / embeddings: `prompt` / `input` is the array of the batch (each element is the template's
///   `prompt`/`input` string with `{prompt}` replaced, or the bare prompt when the template leaves the field
///   out); with batch_size 1 and a template string it stays a string.
/// - whole-body prompts (JSONL): the template's fields, overridden by the body's.
/// Then `model` is set (first), and with `stream: true` `"stream": true` and
/// `"stream_options": {"include_usage": true}`; without it both keys are removed.
public struct RequestBodyFactory: Sendable {
    /// The distinct bodies, in order; never empty.
    public let bodies: [RequestBody]

    /// The most prompt text all distinct bodies together may hold: 512 MiB.
    public static let maxBodyBytes = 512 * 1_048_576

    /// - Throws: `RequestBodyError` when there are no prompts, whole-body prompts meet batch_size > 1, or a
    ///   body lacks the endpoint's prompt field.
    public init(scenario: Scenario, prompts: [Prompt]) throws(RequestBodyError) {
        guard !prompts.isEmpty else {
            throw RequestBodyError(message: "there are no prompts", hint: "give at least one prompt")
        }
        let batch = scenario.batchSize
        let field = RequestBodyFactory.promptField(for: scenario.endpoint)
        if batch > 1, prompts.contains(where: { if case .body = $0 { return true } else { return false } }) {
            throw RequestBodyError(
                message: "batch_size \(batch) cannot batch whole request bodies from the JSONL file",
                hint: "set batch_size: 1, or use {\"prompt\": \"...\"} lines")
        }
        guard case .object = scenario.request else {
            throw RequestBodyError(message: "the request template is not a JSON object", hint: "write request: { ... }")
        }
        let groupCount = (prompts.count + batch - 1) / batch
        // Bound the bodies' memory before building them: the last group wraps around to the first prompts, so a
        // few long prompts and a large batch_size would otherwise build gigabytes.
        var promptBytes = 0
        for case .text(let text) in prompts { promptBytes += text.utf8.count }
        let expected = Double(promptBytes) * Double(groupCount * batch) / Double(prompts.count)
        if expected > Double(Self.maxBodyBytes) {
            throw RequestBodyError(
                message: "the request bodies would hold about \(Int(expected / 1_048_576)) MiB of prompt text "
                    + "(\(prompts.count) prompts in batches of \(batch)); the limit is \(Self.maxBodyBytes / 1_048_576) MiB",
                hint: "use fewer or shorter prompts, or a smaller batch_size")
        }
        var bodies: [RequestBody] = []
        bodies.reserveCapacity(groupCount)
        for group in 0..<groupCount {
            let members = (0..<batch).map { prompts[(group * batch + $0) % prompts.count] }
            var body: JSONValue
            var promptCount = batch
            if batch == 1, case .body(let whole) = members[0] {
                guard whole[field] != nil else {
                    throw RequestBodyError(
                        message: "prompt \(group + 1) is a request body without '\(field)', which \(scenario.endpoint.rawValue) needs",
                        hint: "add \(field) to that JSONL line, or use the matching endpoint")
                }
                body = RequestBodyFactory.merge(template: scenario.request, body: whole)
                if scenario.endpoint != .chat, case .array(let items) = body[field] { promptCount = items.count }
            } else {
                let texts = members.compactMap { if case .text(let text) = $0 { text } else { nil } }
                body = try RequestBodyFactory.fill(scenario: scenario, field: field, texts: texts)
            }
            bodies.append(RequestBodyFactory.finish(body, scenario: scenario, field: field, promptCount: promptCount))
        }
        self.bodies = bodies
    }

    /// Number of distinct bodies: ceil(prompt count / batch size).
    public var distinctBodyCount: Int { bodies.count }

    /// The body for request number `index` (≥ 0), cycling through `bodies`.
    public func body(forRequest index: Int) -> RequestBody {
        bodies[index % bodies.count]
    }

    /// The body field that carries prompts: `messages`, `prompt` or `input`.
    public static func promptField(for endpoint: Endpoint) -> String {
        switch endpoint {
        case .chat: return "messages"
        case .completions: return "prompt"
        case .embeddings: return "input"
        }
    }

    /// Estimated tokens of `text` by the estimate the mock also uses: `TokenEstimator.tokens(in:)`, ⌈UTF-8 bytes / 4⌉.
    public static func estimateTokens(_ text: String) -> Int {
        TokenEstimator.tokens(in: text)
    }

    /// The prompt tokens of a finished body, exactly as the mock counts them (`TokenEstimator`): for chat,
    /// Σ over messages (3 + tokens of the content string, or of its parts' `text`) + 3; for completions and embeddings,
    /// Σ tokens of each prompt/input string.
    static func estimatePromptTokens(_ body: JSONValue, endpoint: Endpoint) -> Int {
        let field = promptField(for: endpoint)
        guard endpoint == .chat else {
            switch body[field] {
            case .string(let text)?: return estimateTokens(text)
            case .array(let items)?: return items.reduce(0) { $0 + ($1.stringValue.map(estimateTokens) ?? 0) }
            default: return 0
            }
        }
        guard case .array(let messages)? = body[field] else { return 0 }
        return TokenEstimator.chatPromptTokens(messageContentTokens: messages.map { message in
            switch message["content"] {
            case .string(let text)?: return estimateTokens(text)
            case .array(let parts)?: return parts.reduce(0) { $0 + ($1["text"]?.stringValue.map(estimateTokens) ?? 0) }
            default: return 0
            }
        })
    }

    // MARK: Building

    private static func fill(scenario: Scenario, field: String, texts: [String]) throws(RequestBodyError) -> JSONValue {
        var body = scenario.request
        guard scenario.endpoint != .chat else {
            guard body.containsPlaceholder, let text = texts.first else {
                throw RequestBodyError(message: "the chat template never uses {prompt}",
                                       hint: "write content: \"{prompt}\" in a message")
            }
            return body.replacingPlaceholder(with: text)
        }
        let fieldTemplate = body[field]?.stringValue
        let elements = texts.map { text in fieldTemplate?.replacingPlaceholder(with: text) ?? text }
        if scenario.batchSize == 1, fieldTemplate != nil, let only = elements.first {
            body.set(field, .string(only))
        } else {
            body.set(field, .array(elements.map(JSONValue.string)))
        }
        return body
    }

    private static func merge(template: JSONValue, body: JSONValue) -> JSONValue {
        var merged = template
        if case .object(let members) = body {
            for member in members { merged.set(member.key, member.value) }
        }
        return merged
    }

    private static func finish(_ body: JSONValue, scenario: Scenario, field: String, promptCount: Int) -> RequestBody {
        guard case .object(let members) = body else {
            return RequestBody(bytes: Array(body.jsonText.utf8), promptCount: promptCount, estimatedPromptTokens: 1,
                               maxTokens: nil, choices: 1)
        }
        var ordered = [JSONValue.Member("model", .string(scenario.model))]
        ordered += members.filter { !["model", "stream", "stream_options"].contains($0.key) }
        if scenario.stream {
            ordered.append(.init("stream", .bool(true)))
            ordered.append(.init("stream_options", .object([.init("include_usage", .bool(true))])))
        }
        let final = JSONValue.object(ordered)
        let maxTokens = final["max_completion_tokens"]?.intValue ?? final["max_tokens"]?.intValue
        return RequestBody(
            bytes: Array(final.jsonText.utf8), promptCount: promptCount,
            estimatedPromptTokens: estimatePromptTokens(final, endpoint: scenario.endpoint), maxTokens: maxTokens,
            choices: final["n"]?.intValue ?? 1)
    }
}

extension String {
    /// This string with `{prompt}` replaced by `prompt`.
    fileprivate func replacingPlaceholder(with prompt: String) -> String {
        JSONValue.string(self).replacingPlaceholder(with: prompt).stringValue ?? self
    }
}
