/// Turns a `PromptSource` into prompts. Pure: files are read only through the injected `readFile` closure.
public enum PromptLoader {
    /// Loads the prompts of `source`.
    /// - Parameters:
    ///   - source: The scenario's `prompts:`.
    ///   - baseDirectory: The scenario file's directory; relative prompt paths resolve against it.
    ///   - readFile: Returns a file's text for a resolved path (the engine passes real file IO; tests a dictionary).
    /// - Returns: At least one prompt, in file order.
    /// - Throws: `PromptLoadError` naming the file and, for content problems, the line.
    public static func load(
        _ source: PromptSource, baseDirectory: String, readFile: (String) throws -> String
    ) throws(PromptLoadError) -> [Prompt] {
        switch source {
        case .inline(let texts):
            return texts.map(Prompt.text)
        case .synthetic(let settings):
            return SyntheticPromptGenerator.generate(settings).map(Prompt.text)
        case .file(let path):
            let resolved = resolve(path: path, baseDirectory: baseDirectory)
            let text = try read(resolved, keyPath: "prompts.file", readFile: readFile)
            let prompts = lines(of: text).map { Prompt.text($0.text) }
            guard !prompts.isEmpty else {
                throw PromptLoadError(keyPath: "prompts.file", file: resolved, message: "the file has no prompts",
                                      hint: "write one prompt per line")
            }
            return prompts
        case .jsonl(let path):
            let resolved = resolve(path: path, baseDirectory: baseDirectory)
            let text = try read(resolved, keyPath: "prompts.jsonl", readFile: readFile)
            var prompts: [Prompt] = []
            for line in lines(of: text) {
                prompts.append(try jsonlPrompt(line.text, file: resolved, line: line.number))
            }
            guard !prompts.isEmpty else {
                throw PromptLoadError(keyPath: "prompts.jsonl", file: resolved, message: "the file has no prompts",
                                      hint: "write one JSON object per line, e.g. {\"prompt\": \"...\"}")
            }
            return prompts
        }
    }

    /// `path` itself when absolute, else `baseDirectory/path` (just `path` when the directory is empty).
    public static func resolve(path: String, baseDirectory: String) -> String {
        if path.hasPrefix("/") || baseDirectory.isEmpty { return path }
        return baseDirectory.hasSuffix("/") ? baseDirectory + path : baseDirectory + "/" + path
    }

    /// The directory part of a file path (`scenarios/quickstart.yaml` → `scenarios`; `a.yaml` → ``).
    public static func directory(ofFile path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func read(
        _ path: String, keyPath: String, readFile: (String) throws -> String
    ) throws(PromptLoadError) -> String {
        do {
            return try readFile(path)
        } catch {
            throw PromptLoadError(keyPath: keyPath, file: path, message: "cannot read the file (\(error))",
                                  hint: "relative paths resolve against the scenario file's directory")
        }
    }

    /// Non-blank lines with their numbers (from 1); a trailing `\r` is removed.
    private static func lines(of text: String) -> [(number: Int, text: String)] {
        var result: [(Int, String)] = []
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            var line = String(raw)
            if line.hasSuffix("\r") { line.removeLast() }
            if line.allSatisfy(\.isWhitespace) { continue }
            result.append((index + 1, line))
        }
        return result
    }

    /// `{"prompt": "text"}` → text; an object with `messages`, `prompt` or `input` → a whole body.
    private static func jsonlPrompt(_ text: String, file: String, line: Int) throws(PromptLoadError) -> Prompt {
        let value: JSONValue
        do {
            value = try JSONValueParser.parse(text)
        } catch {
            throw PromptLoadError(keyPath: "prompts.jsonl", file: file, line: line,
                                  message: "not valid JSON (\(error.message) at character \(error.offset + 1))",
                                  hint: "each line must be one JSON object")
        }
        guard case .object(let members) = value else {
            throw PromptLoadError(keyPath: "prompts.jsonl", file: file, line: line,
                                  message: "expected a JSON object, got \(value.jsonText.prefix(40))",
                                  hint: "write {\"prompt\": \"...\"} or a whole request body")
        }
        if members.count == 1, members[0].key == "prompt", case .string(let prompt) = members[0].value {
            return .text(prompt)
        }
        guard value["messages"] != nil || value["prompt"] != nil || value["input"] != nil else {
            throw PromptLoadError(keyPath: "prompts.jsonl", file: file, line: line,
                                  message: "the object has no prompt, messages or input",
                                  hint: "write {\"prompt\": \"...\"} or a whole request body")
        }
        return .body(value)
    }
}
