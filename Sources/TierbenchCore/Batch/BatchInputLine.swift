/// Builds the lines of a batch input file (openai-api.md §5.2):
/// `{"custom_id":"req-000001","method":"POST","url":"/v1/chat/completions","body":{…}}`.
public enum BatchInputLine {
    /// The `custom_id` of the line at `index` (from 0): `req-` and the 1-based number, at least six digits
    /// (`req-000001`). Stable for a given scenario and line count, unique within a job.
    public static func customID(index: Int) -> String {
        let number = String(index + 1)
        return "req-" + String(repeating: "0", count: max(0, 6 - number.count)) + number
    }

    /// One input line without its newline, as UTF-8 bytes.
    /// - Parameters:
    ///   - customID: the line's id (JSON-escaped here).
    ///   - url: the endpoint path, e.g. `/v1/chat/completions`.
    ///   - body: the request body, already compact JSON (`RequestBody.bytes`).
    public static func bytes(customID: String, url: String, body: [UInt8]) -> [UInt8] {
        var head = "{\"custom_id\":"
        JSONValue.writeEscaped(customID, to: &head)
        head += ",\"method\":\"POST\",\"url\":"
        JSONValue.writeEscaped(url, to: &head)
        head += ",\"body\":"
        var line: [UInt8] = []
        line.reserveCapacity(head.utf8.count + body.count + 1)
        line.append(contentsOf: head.utf8)
        line.append(contentsOf: body)
        line.append(UInt8(ascii: "}"))
        return line
    }
}
