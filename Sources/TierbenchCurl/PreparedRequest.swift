#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
internal import CCurl
import TierbenchCore

/// A request built once and reused for many transfers: URL, method, header list and body bytes in C memory.
///
/// libcurl reads this memory without copying it (`CURLOPT_POSTFIELDS` + `CURLOPT_POSTFIELDSIZE_LARGE` for the
/// body, `CURLOPT_HTTPHEADER` for the `curl_slist`), so starting a transfer with a prepared request costs no
/// allocation in Swift. A busy slot keeps its request alive until the slot is given another one.
///
/// Unless given, these headers are added: `Content-Type: application/json` (when there is a body),
/// `User-Agent: tierbench/<version>`, and an empty `Expect:` that turns off `Expect: 100-continue`.
///
/// `@unchecked Sendable` is safe: every stored property is immutable after `init`; the C buffers are written only
/// in `init`, only read afterwards (by libcurl, on loop threads, possibly several at once), and freed in `deinit`,
/// which runs only when no slot of any loop references the request any more.
public final class PreparedRequest: @unchecked Sendable {
    /// How the method maps onto libcurl options.
    enum MethodKind { case get, head, post, custom }

    /// The absolute `http://` or `https://` URL.
    public let url: String
    /// The HTTP method, upper case.
    public let method: String
    /// Header lines as sent (`Name: value`), including the added defaults.
    public let headerLines: [String]

    let methodKind: MethodKind
    let urlPointer: UnsafeMutablePointer<CChar>
    let methodPointer: UnsafeMutablePointer<CChar>
    let headerList: UnsafeMutablePointer<curl_slist>?
    let bodyPointer: UnsafeMutableRawPointer

    /// Request body size in bytes.
    public let bodyCount: Int

    /// Builds the C representation of a request.
    /// - Parameters:
    ///   - url: absolute `http://` or `https://` URL.
    ///   - method: HTTP method; `GET` and `HEAD` send no body.
    ///   - headers: extra header fields; names must be tokens, values must not contain CR or LF.
    ///   - body: request body bytes.
    /// - Throws: `CurlError` (code -1 for a rejected header, libcurl's `CURLUcode` for a rejected URL).
    public convenience init(
        url: String, method: String = "POST", headers: [(name: String, value: String)] = [], body: [UInt8] = []
    ) throws(CurlError) {
        try self.init(url: url, method: method, headers: headers, bodyCount: body.count) { buffer in
            body.withUnsafeBytes { bytes in
                if let base = bytes.baseAddress, let target = buffer.baseAddress {
                    target.copyMemory(from: base, byteCount: bytes.count)
                }
            }
        }
    }

    /// Builds a request whose body `fill` writes straight into the request's own C buffer of `bodyCount` bytes (a
    /// large upload read from a file is then held once, not copied from an array).
    /// - Throws: `CurlError` as the other initialiser, or the error `fill` throws.
    public init(
        url: String, method: String = "POST", headers: [(name: String, value: String)] = [], bodyCount: Int,
        fill: (UnsafeMutableRawBufferPointer) throws(CurlError) -> Void
    ) throws(CurlError) {
        try Curl.globalInit()
        try Self.validate(url: url)
        let method = method.uppercased()
        guard !method.isEmpty, method.utf8.allSatisfy(Self.isTokenByte) else {
            throw CurlError(code: -1, message: "invalid HTTP method '\(method)'")
        }
        var lines: [String] = []
        for (name, value) in headers {
            guard !name.isEmpty, name.utf8.allSatisfy(Self.isTokenByte) else {
                throw CurlError(code: -1, message: "invalid header name '\(name)'")
            }
            guard !value.utf8.contains(where: { $0 == 13 || $0 == 10 || $0 == 0 }) else {
                throw CurlError(code: -1, message: "header '\(name)' has a line break in its value")
            }
            // "Name;" is libcurl's syntax for a header with an empty value ("Name:" would delete the header).
            lines.append(value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        func has(_ name: String) -> Bool { headers.contains { $0.name.lowercased() == name } }
        if bodyCount > 0 && !has("content-type") { lines.append("Content-Type: application/json") }
        if !has("user-agent") { lines.append("User-Agent: tierbench/\(TierbenchVersion.string)") }
        if !has("expect") { lines.append("Expect:") }

        let bodyCount = max(0, bodyCount)
        let bodyPointer = UnsafeMutableRawPointer.allocate(byteCount: max(bodyCount, 1), alignment: 16)
        do {
            try fill(UnsafeMutableRawBufferPointer(start: bodyPointer, count: bodyCount))
        } catch {
            bodyPointer.deallocate()
            throw error
        }
        var list: UnsafeMutablePointer<curl_slist>? = nil
        for line in lines {
            guard let extended = curl_slist_append(list, line) else {
                curl_slist_free_all(list)
                bodyPointer.deallocate()
                throw CurlError(code: -1, message: "out of memory building the header list")
            }
            list = extended
        }
        guard let urlPointer = strdup(url), let methodPointer = strdup(method) else {
            curl_slist_free_all(list)
            bodyPointer.deallocate()
            throw CurlError(code: -1, message: "out of memory copying the URL")
        }

        self.url = url
        self.method = method
        self.headerLines = lines
        self.methodKind = switch method {
        case "GET": .get
        case "HEAD": .head
        case "POST": .post
        default: .custom
        }
        self.urlPointer = urlPointer
        self.methodPointer = methodPointer
        self.headerList = list
        self.bodyPointer = bodyPointer
        self.bodyCount = method == "GET" || method == "HEAD" ? 0 : bodyCount
    }

    deinit {
        free(urlPointer)
        free(methodPointer)
        curl_slist_free_all(headerList)
        bodyPointer.deallocate()
    }

    /// Checks that `url` is an absolute http(s) URL that libcurl's parser accepts.
    private static func validate(url: String) throws(CurlError) {
        let lower = url.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
            throw CurlError(code: -1, message: "URL must start with http:// or https://: '\(url)'")
        }
        guard let handle = curl_url() else { throw CurlError(code: -1, message: "out of memory parsing the URL") }
        defer { curl_url_cleanup(handle) }
        let code = curl_url_set(handle, CURLUPART_URL, url, 0)
        guard code == CURLUE_OK else {
            throw CurlError(
                code: Int32(bitPattern: code.rawValue),
                message: "invalid URL '\(url)': \(String(cString: curl_url_strerror(code)))")
        }
    }

    /// RFC 9110 token characters (header names, methods).
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
