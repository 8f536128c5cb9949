import Foundation
import TierbenchCore
import TierbenchCurl

extension BatchAPIClient {
    /// Sends a call and parses its JSON answer, every string in it redacted (see `SecretRedactor.redact(_:)`).
    func sendJSON(call: String, method: String, path: String, body: [UInt8] = [],
                  contentType: String = "application/json", attempts: Int? = nil) async throws(BatchAPIError) -> JSONValue {
        let (_, _, bytes) = try await send(call: call, method: method, path: path, body: body, contentType: contentType,
                                           attempts: attempts)
        return try parseAnswer(bytes, call: call)
    }

    /// A 2xx answer's JSON, redacted; a parse error's text is redacted too.
    func parseAnswer(_ bytes: [UInt8], call: String) throws(BatchAPIError) -> JSONValue {
        do {
            return redactor.redact(try JSONValue.parse(Substring(String(decoding: bytes, as: UTF8.self))))
        } catch {
            throw BatchAPIError(call: call, status: 200,
                                message: redactor.redact("the answer is not JSON (\(error.description))"))
        }
    }

    /// Sends a call, retrying as the type's documentation says; returns status, header lines and body of a 2xx.
    /// - Parameter sinkPath: write the body to this file (through `<path>.partial` and a rename) instead of
    ///   collecting it; the returned body is then empty.
    func send(call: String, method: String, path: String, body: [UInt8] = [], contentType: String = "application/json",
              accept: String = "application/json", sinkPath: String? = nil, attempts: Int? = nil)
        async throws(BatchAPIError) -> (Int, [String], [UInt8])
    {
        let request = try makeRequest(call: call, method: method, path: path, contentType: contentType, accept: accept,
                                      bodyCount: body.count) { buffer throws(CurlError) in
            body.withUnsafeBytes { bytes in
                if let base = bytes.baseAddress, let target = buffer.baseAddress {
                    target.copyMemory(from: base, byteCount: bytes.count)
                }
            }
        }
        return try await perform(request, call: call, method: method, sinkPath: sinkPath, attempts: attempts)
    }

    /// The request of a call with this client's headers; `fill` writes the body into the request's own buffer.
    func makeRequest(call: String, method: String, path: String, contentType: String, accept: String, bodyCount: Int,
                     fill: (UnsafeMutableRawBufferPointer) throws(CurlError) -> Void) throws(BatchAPIError)
        -> PreparedRequest
    {
        var requestHeaders: [(name: String, value: String)] = headers.map { ($0.name, $0.value) }
        requestHeaders.append(("Accept", accept))
        if bodyCount > 0 { requestHeaders.append(("Content-Type", contentType)) }
        do {
            return try PreparedRequest(url: baseURL + path, method: method, headers: requestHeaders,
                                       bodyCount: bodyCount, fill: fill)
        } catch {
            throw BatchAPIError(call: call, status: 0, message: redactor.redact(error.description))
        }
    }

    /// Sends `request` until it succeeds or may not be retried (see the type's documentation), at most `attempts`
    /// times (default `maxAttempts`). The error thrown carries the wait the server asked for.
    func perform(_ request: PreparedRequest, call: String, method: String, sinkPath: String? = nil,
                 attempts: Int? = nil) async throws(BatchAPIError) -> (Int, [String], [UInt8])
    {
        var attempt = 0
        while true {
            let (result, headerLines, responseBody) = try await transfer(request, call: call, sinkPath: sinkPath)
            if result.succeeded && (200..<300).contains(result.status) {
                return (result.status, headerLines, responseBody)
            }
            var error = failure(call: call, result: result, body: responseBody)
            error.retryAfter = Self.retryAfter(headerLines)
            let retryable = method == "GET" ? error.isTransient : (error.status == 429 || error.status == 503)
            attempt += 1
            guard retryable, attempt < (attempts ?? maxAttempts), !Task.isCancelled else { throw error }
            let wait = retry.delay(attempt: attempt - 1, random: Double.random(in: 0..<1), retryAfter: error.retryAfter)
            try? await Task.sleep(nanoseconds: UInt64(wait * 1e9))
        }
    }

    /// One transfer; with `sinkPath` the body streams into `<sinkPath>.partial`, renamed to `sinkPath` on a 2xx
    /// (after removing any secret from it), else removed (its first 64 KiB come back as the body, for the message).
    private func transfer(_ request: PreparedRequest, call: String, sinkPath: String?) async throws(BatchAPIError)
        -> CurlClient.Response
    {
        guard let sinkPath else { return await client.send(request) }
        let temporary = sinkPath + ".partial"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else {
            throw BatchAPIError(call: call, status: 0, message: "cannot write \(temporary): \(String(cString: strerror(errno)))")
        }
        let (result, headerLines, _) = await client.send(request, bodyTo: fd)
        let synced = fsync(fd) == 0
        close(fd)
        guard result.succeeded, (200..<300).contains(result.status) else {
            let head = FileHandle(forReadingAtPath: temporary).flatMap { try? $0.read(upToCount: 65_536) } ?? Data()
            unlink(temporary)
            return (result, headerLines, Array(head))
        }
        do throws(EngineError) {
            guard synced else { throw EngineError.cannotWrite(path: temporary, reason: String(cString: strerror(errno))) }
            if !redactor.secrets.isEmpty { try BatchFileIO.redact(temporary, redactor) }
            if rename(temporary, sinkPath) != 0 {
                throw EngineError.cannotWrite(path: sinkPath, reason: String(cString: strerror(errno)))
            }
        } catch {
            unlink(temporary)
            throw BatchAPIError(call: call, status: result.status, message: error.description)
        }
        return (result, headerLines, [])
    }

    /// The error of a failed transfer, with the server's message (redacted). A transfer curl failed (no answer, or
    /// cut after the headers: errors 18, 28, 56 with a status) is a transport failure (status 0, transient) with
    /// curl's message, never an HTTP error with a prefix of the body.
    func failure(call: String, result: TransferResult, body: [UInt8]) -> BatchAPIError {
        guard result.status > 0, result.curlCode == 0 else {
            var message = result.errorMessage ?? "no response"
            if result.status > 0 { message += " (after HTTP \(result.status) headers; curl error \(result.curlCode))" }
            return BatchAPIError(call: call, status: 0, message: redactor.redact(message))
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

    /// A POST request whose body is `head`, the file at `path`, `tail`, read straight into the request's buffer
    /// (the file is held once).
    func fileRequest(call: String, path requestPath: String, contentType: String, file: String, head: [UInt8],
                     tail: [UInt8]) throws(BatchAPIError) -> PreparedRequest {
        let fd = open(file, O_RDONLY)
        guard fd >= 0 else {
            throw BatchAPIError(call: call, status: 0, message: "cannot open \(file): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw BatchAPIError(call: call, status: 0, message: "cannot read \(file): \(String(cString: strerror(errno)))")
        }
        let size = Int(info.st_size)
        return try makeRequest(call: call, method: "POST", path: requestPath, contentType: contentType,
                               accept: "application/json", bodyCount: head.count + size + tail.count)
        { buffer throws(CurlError) in
            guard let base = buffer.baseAddress else { return }
            head.withUnsafeBytes { if let from = $0.baseAddress { base.copyMemory(from: from, byteCount: head.count) } }
            var offset = 0
            while offset < size {
                let got = read(fd, base + head.count + offset, size - offset)
                if got < 0 && errno == EINTR { continue }
                guard got > 0 else { throw CurlError(code: -1, message: "cannot read \(file): it ended or failed early") }
                offset += got
            }
            tail.withUnsafeBytes {
                if let from = $0.baseAddress { (base + head.count + size).copyMemory(from: from, byteCount: tail.count) }
            }
        }
    }
}

extension CharacterSet {
    /// RFC 3986 unreserved characters.
    static let urlUnreservedCharacters = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
