/// The assistant's reply text in a chat response body, for the live history of a session.
///
/// - Non-streaming: `choices[0].message.content` of the JSON body.
/// - Streaming: the `choices[0].delta.content` of every `data:` event, concatenated in order.
/// Bodies are cut at `maxBodyBytes` by the engine; the reply is at most `maxReplyBytes` of UTF-8 (longer replies
/// are cut there, at a character boundary). A body that is not a chat response gives "".
public enum SessionReply {
    /// Most response body bytes kept per turn to read the reply from.
    public static let maxBodyBytes = 4 << 20
    /// Most reply bytes carried into the history.
    public static let maxReplyBytes = 1 << 20

    public static func text(body: [UInt8], stream: Bool) -> String {
        let text = String(decoding: body, as: UTF8.self)
        var reply = ""
        if stream {
            for line in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
                guard line.hasPrefix("data:") else { continue }
                let payload = line.dropFirst(5).drop { $0 == " " }
                guard payload.first == "{", let event = try? JSONValue.parse(payload) else { continue }
                if case .array(let choices)? = event["choices"], let first = choices.first,
                    let piece = first["delta"]?["content"]?.stringValue
                {
                    reply += piece
                    if reply.utf8.count >= maxReplyBytes { break }
                }
            }
        } else if let value = try? JSONValue.parse(Substring(text)), case .array(let choices)? = value["choices"],
            let content = choices.first?["message"]?["content"]?.stringValue
        {
            reply = content
        }
        return cut(reply)
    }

    private static func cut(_ reply: String) -> String {
        guard reply.utf8.count > maxReplyBytes else { return reply }
        var bytes = Array(reply.utf8.prefix(maxReplyBytes))
        // `reply` is valid UTF-8 (decoded), so the cut can only split its last character: find that character's lead
        // byte and drop the character when fewer bytes than its sequence length remain.
        var continuation = 0
        while continuation < min(3, bytes.count), bytes[bytes.count - 1 - continuation] & 0xC0 == 0x80 { continuation += 1 }
        let leadIndex = bytes.count - 1 - continuation
        if leadIndex >= 0 {
            let lead = bytes[leadIndex]
            let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
            if continuation + 1 < length { bytes.removeLast(continuation + 1) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
