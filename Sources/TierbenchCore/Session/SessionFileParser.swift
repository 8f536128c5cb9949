/// Reads a `sessions.file` into conversation transcripts. Pure: the caller passes the file's text.
///
/// The file is a JSON array of conversations or JSONL (one conversation per line). A conversation is either
/// ShareGPT (`{"conversations": [{"from": "human"|"gpt"|"system", "value": "..."}]}`) or
/// `{"session_id": "...", "turns": [{"role": "user"|"assistant"|"system", "content": "..."}]}` (a turn without
/// `role` is a user message; `text` is read when `content` is absent). A conversation needs at least one user message.
public enum SessionFileParser {
    /// Most conversations a file may hold.
    public static let maxConversations = 1_000_000

    /// The transcripts in file order.
    /// - Throws: `PromptLoadError` naming the line (JSONL) or the array element.
    public static func parse(_ text: String, file: String) throws(PromptLoadError) -> [[SessionMessage]] {
        let trimmed = text.drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == "\u{FEFF}" }
        var conversations: [[SessionMessage]] = []
        if trimmed.first == "[" {
            let value: JSONValue
            do {
                value = try JSONValue.parse(trimmed)
            } catch {
                throw failure(file, nil, "not valid JSON (\(error.description))", "write a JSON array or one object per line")
            }
            guard case .array(let items) = value else { throw failure(file, nil, "not a JSON array", "") }
            for (index, item) in items.enumerated() {
                conversations.append(try conversation(item, file: file, line: nil, where: "element \(index + 1)"))
            }
        } else {
            var lineNumber = 0
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                lineNumber &+= 1
                let content = line.trimmingSuffix { $0 == "\r" || $0 == " " }
                if content.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
                let value: JSONValue
                do {
                    value = try JSONValue.parse(content)
                } catch {
                    throw failure(file, lineNumber, "not valid JSON (\(error.description))", "one conversation object per line")
                }
                conversations.append(try conversation(value, file: file, line: lineNumber, where: "this line"))
                if conversations.count > maxConversations {
                    throw failure(file, lineNumber, "more than \(maxConversations) conversations", "use a smaller file")
                }
            }
        }
        guard !conversations.isEmpty else {
            throw failure(file, nil, "the file holds no conversation", "add one conversation per line")
        }
        return conversations
    }

    private static func conversation(_ value: JSONValue, file: String, line: Int?, where place: String)
        throws(PromptLoadError) -> [SessionMessage]
    {
        var messages: [SessionMessage] = []
        if case .array(let items)? = value["conversations"] {
            for item in items {
                guard let from = item["from"]?.stringValue, let text = item["value"]?.stringValue else {
                    throw failure(file, line, "\(place): a ShareGPT message needs \"from\" and \"value\" strings", "")
                }
                switch from {
                case "human", "user": messages.append(.user(text))
                case "gpt", "assistant", "chatgpt", "bard": messages.append(.assistant(text))
                case "system": messages.append(.init(role: "system", content: text))
                default:
                    throw failure(file, line, "\(place): unknown ShareGPT speaker \"\(from)\"",
                                  "use human, gpt or system")
                }
            }
        } else if case .array(let turns)? = value["turns"] {
            for turn in turns {
                guard let text = turn["content"]?.stringValue ?? turn["text"]?.stringValue else {
                    throw failure(file, line, "\(place): a turn needs a \"content\" string", "")
                }
                let role = turn["role"]?.stringValue ?? "user"
                guard ["user", "assistant", "system"].contains(role) else {
                    throw failure(file, line, "\(place): unknown role \"\(role)\"", "use user, assistant or system")
                }
                messages.append(.init(role: role, content: text))
            }
        } else {
            throw failure(file, line, "\(place) has neither \"conversations\" (ShareGPT) nor \"turns\"",
                          "write {\"session_id\": \"a\", \"turns\": [{\"role\": \"user\", \"content\": \"hi\"}]}")
        }
        guard messages.contains(where: { $0.role == "user" }) else {
            throw failure(file, line, "\(place): the conversation has no user message", "")
        }
        return messages
    }

    private static func failure(_ file: String, _ line: Int?, _ message: String, _ hint: String) -> PromptLoadError {
        PromptLoadError(keyPath: "sessions.file", file: file, line: line, message: message, hint: hint)
    }
}

extension Substring {
    fileprivate func trimmingSuffix(while predicate: (Character) -> Bool) -> Substring {
        var end = endIndex
        while end > startIndex, predicate(self[index(before: end)]) { end = index(before: end) }
        return self[startIndex..<end]
    }
}
