import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 keep-alive chat server on 127.0.0.1 (port 0) that records every request (its headers and body)
/// and answers with a reply unique to the request, `reply-<n>` (n counts from 1 in arrival order): as a chat
/// completion, or as an SSE stream of two content chunks when the body asks for `"stream":true`. Ground truth for
/// what a sessions run sent and what it could have known. One thread per connection; for tests only.
final class SessionCaptureServer: @unchecked Sendable {
    struct Exchange {
        var headers: [String: String]
        var body: [String: Any]
        var reply: String
    }

    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var stopped = false
    private var log: [Exchange] = []
    /// Streams announce one byte more than they send, so the body stays open after `[DONE]` until the client ends it.
    private let holdStreamsOpen: Bool

    init(holdStreamsOpen: Bool = false) throws {
        self.holdStreamsOpen = holdStreamsOpen
        (listener, port) = try LoopbackListener.open()
        Thread { [self] in acceptLoop() }.start()
    }

    /// Every request so far, in arrival order.
    var exchanges: [Exchange] { lock.withLock { log } }

    func stop() {
        lock.withLock { stopped = true }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 { return }
            if lock.withLock({ stopped }) {
                close(connection)
                return
            }
            Thread { [self] in serve(connection) }.start()
        }
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            guard let end = headerEnd(pending) else {
                let count = read(connection, &chunk, chunk.count)
                if count <= 0 { return }
                pending += chunk[0..<count]
                continue
            }
            var headers: [String: String] = [:]
            for line in String(decoding: pending[0..<end], as: UTF8.self).split(separator: "\r\n").dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let length = Int(headers["content-length"] ?? "") ?? 0
            while pending.count < end + 4 + length {
                let count = read(connection, &chunk, chunk.count)
                if count <= 0 { return }
                pending += chunk[0..<count]
            }
            let bodyBytes = Data(pending[(end + 4)..<(end + 4 + length)])
            pending.removeFirst(end + 4 + length)
            let body = (try? JSONSerialization.jsonObject(with: bodyBytes)) as? [String: Any] ?? [:]
            let reply = lock.withLock { () -> String in
                let reply = "reply-\(log.count + 1)"
                log.append(Exchange(headers: headers, body: body, reply: reply))
                return reply
            }
            let stream = body["stream"] as? Bool ?? false
            let response = Array(Self.response(reply: reply, stream: stream, extraLength: stream && holdStreamsOpen ? 1 : 0).utf8)
            let written = response.withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
            if written != response.count { return }
        }
    }

    static func response(reply: String, stream: Bool, extraLength: Int = 0) -> String {
        let usage = #""usage":{"prompt_tokens":11,"completion_tokens":2,"total_tokens":13}"#
        let body: String
        let type: String
        if stream {
            let cut = reply.index(reply.startIndex, offsetBy: 4)
            body = [
                #"{"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}"#,
                #"{"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"\#(reply[..<cut])"}}]}"#,
                #"{"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"\#(reply[cut...])"}}]}"#,
                #"{"id":"c","object":"chat.completion.chunk","choices":[],\#(usage)}"#,
                "[DONE]",
            ].map { "data: \($0)\n\n" }.joined()
            type = "text/event-stream"
        } else {
            body = #"{"id":"c","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"\#(reply)"},"finish_reason":"stop"}],\#(usage)}"#
            type = "application/json"
        }
        return "HTTP/1.1 200 OK\r\nContent-Type: \(type)\r\nContent-Length: \(body.utf8.count + extraLength)\r\n\r\n\(body)"
    }

    private func headerEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }
}
