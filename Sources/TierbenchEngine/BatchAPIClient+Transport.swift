import Foundation
import TierbenchCore
import TierbenchCurl

extension BatchAPIClient {
    /// Sends a call and parses its JSON answer.
    func sendJSON(call: String, method: String, path: String, body: [UInt8] = [],
                  contentType: String = "application/json") async throws(BatchAPIError) -> JSONValue {
        let (_, _, bytes) = try await send(call: call, method: method, path: path, body: body, contentType: contentType)
        do {
            return try JSONValue.parse(Substring(String(decoding: bytes, as: UTF8.self)))
        } catch {
            throw BatchAPIError(call: call, status: 200, message: "the answer is not JSON (\(error.description))")
        }
    }

    /// Sends a call, retrying as the type's documentation says; returns status, header lines and body of a 2xx.
    func send(call: String, method: String, path: String, body: [UInt8] = [], contentType: String = "application/json",
              accept: String = "application/json") async throws(BatchAPIError) -> (Int, [String], [UInt8]) {
        var requestHeaders: [(name: String, value: String)] = headers.map { ($0.name, $0.value) }
        requestHeaders.append(("Accept", accept))
        if !body.isEmpty { requestHeaders.append(("Content-Type", contentType)) }
        let request: PreparedRequest
        do {
            request = try PreparedRequest(url: baseURL + path, method: method, headers: requestHeaders, body: body)
        } catch {
            throw BatchAPIError(call: call, status: 0, message: redactor.redact(error.description))
        }
        var attempt = 0
        while true {
            let (result, headerLines, responseBody) = await client.send(request)
            if result.status >= 200 && result.status < 300 && result.curlCode == 0 {
                return (result.status, headerLines, responseBody)
            }
            let error = failure(call: call, result: result, body: responseBody)
            let retryable = method == "GET" ? error.isTransient : (error.status == 429 || error.status == 503)
            attempt += 1
            guard retryable, attempt < maxAttempts, !Task.isCancelled else { throw error }
            let wait = retry.delay(attempt: attempt - 1, random: Double.random(in: 0..<1),
                                   retryAfter: Self.retryAfter(headerLines))
            try? await Task.sleep(nanoseconds: UInt64(wait * 1e9))
        }
    }

    /// The error of a failed transfer, with the server's message (redacted).
    func failure(call: String, result: TransferResult, body: [UInt8]) -> BatchAPIError {
        guard result.status > 0 else {
            return BatchAPIError(call: call, status: 0,
                                 message: redactor.redact(result.errorMessage ?? "no response"))
        }
        let text = String(decoding: body.prefix(65_536), as: UTF8.self)
        var code: String?
        var message = text.isEmpty ? "HTTP \(result.status)" : String(text.prefix(500))
        if let json = try? JSONValue.parse(Substring(text)), let error = json["error"] {
            code = error["code"]?.stringValue
            if let text = error["message"]?.stringValue { message = text }
        }
        return BatchAPIError(call: call, status: result.status, code: code.map(redactor.redact),
                             message: redactor.redact(message))
    }

    /// Seconds the server asked to wait (`retry-after-ms`, then `retry-after`), if it did.
    static func retryAfter(_ headerLines: [String]) -> Double? {
        var limits = RateLimitHeaders()
        for line in headerLines { _ = ResponseHeaderScanner.scan(Array(line.utf8), into: &limits) }
        return limits.retryDelayNanos(nowUnixSeconds: Int64(Date().timeIntervalSince1970)).map { Double($0) / 1e9 }
    }

    /// Percent-encodes what is not safe in a path segment or query value.
    static func escaped(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlUnreservedCharacters) ?? text
    }

    /// `head`, the file's bytes, `tail` in one buffer (the file is copied once).
    static func readFile(_ path: String, between head: [UInt8], and tail: [UInt8], call: String)
        throws(BatchAPIError) -> [UInt8]
    {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw BatchAPIError(call: call, status: 0, message: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw BatchAPIError(call: call, status: 0, message: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        let size = Int(info.st_size)
        var failed = false
        let buffer = [UInt8](unsafeUninitializedCapacity: head.count + size + tail.count) { storage, count in
            guard let base = storage.baseAddress else { return }
            for (offset, byte) in head.enumerated() { base[offset] = byte }
            var offset = 0
            while offset < size {
                let got = read(fd, base + head.count + offset, size - offset)
                if got <= 0 {
                    if got < 0 && errno == EINTR { continue }
                    failed = true
                    break
                }
                offset += got
            }
            for (index, byte) in tail.enumerated() { base[head.count + offset + index] = byte }
            count = head.count + offset + tail.count
        }
        if failed { throw BatchAPIError(call: call, status: 0, message: "cannot read \(path)") }
        return buffer
    }
}

extension CharacterSet {
    /// RFC 3986 unreserved characters.
    static let urlUnreservedCharacters = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
