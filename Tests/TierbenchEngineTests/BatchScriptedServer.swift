import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 that answers requests, in arrival order, with a script of canned responses
/// (the last one repeats), and records when each request arrived and its head: for the batch client's retry and
/// redaction tests. One thread per connection; for tests only.
final class BatchScriptedServer: @unchecked Sendable {
    struct Reply {
        var status: Int
        var headers: [String] = []
        var body: String
        /// A Content-Length to announce instead of the body's (a larger one, then a close: a transfer cut after
        /// its headers).
        var contentLength: Int?
    }

    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var script: [Reply]
    private var arrivals: [(Date, String)] = []

    init(_ script: [Reply]) throws {
        self.script = script
        (listener, port) = try LoopbackListener.open()
        Thread { [self] in acceptLoop() }.start()
    }

    /// When each request arrived, and its request line and headers.
    var requests: [(Date, String)] { lock.withLock { arrivals } }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 { return }
            Thread { [self] in serve(connection) }.start()
        }
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            guard let end = Self.headerEnd(pending) else {
                let count = read(connection, &chunk, chunk.count)
                if count <= 0 { return }
                pending += chunk[0..<count]
                continue
            }
            let head = String(decoding: pending[0..<end], as: UTF8.self)
            let length = head.lowercased().split(separator: "\r\n")
                .first { $0.hasPrefix("content-length:") }
                .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            while pending.count < end + 4 + length {
                let count = read(connection, &chunk, chunk.count)
                if count <= 0 { return }
                pending += chunk[0..<count]
            }
            pending.removeFirst(end + 4 + length)
            let reply: Reply = lock.withLock {
                arrivals.append((Date(), head))
                return script.count > 1 ? script.removeFirst() : script[0]
            }
            var text = "HTTP/1.1 \(reply.status) X\r\nContent-Type: application/json\r\nContent-Length: \(reply.contentLength ?? reply.body.utf8.count)\r\n"
            for header in reply.headers { text += header + "\r\n" }
            text += "\r\n" + reply.body
            let bytes = Array(text.utf8)
            let written = bytes.withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
            if written != bytes.count || reply.contentLength != nil { return }
        }
    }

    private static func headerEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }
}
