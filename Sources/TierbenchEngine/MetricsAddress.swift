#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the harness's `/metrics` endpoint listens: `--metrics-address HOST:PORT` (an IPv4 literal, a bracketed
/// IPv6 literal such as `[::]:9464`, or a hostname), or `--metrics-port N` as `127.0.0.1:N`.
public struct MetricsAddress: Sendable, Equatable, CustomStringConvertible {
    /// The host to bind, without brackets (`0.0.0.0`, `::1`, `localhost`).
    public var host: String
    /// The port, 0–65535 (0 = a free one).
    public var port: Int

    /// The loopback default.
    public static let loopbackHost = "127.0.0.1"

    public init(host: String = MetricsAddress.loopbackHost, port: Int) {
        self.host = host
        self.port = port
    }

    /// `HOST:PORT`, with the host in brackets when it is an IPv6 literal.
    public var description: String { "\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    /// Parses `HOST:PORT`.
    /// - Throws: `ParseError`, saying what is wrong, for anything else.
    public static func parse(_ text: String) throws(ParseError) -> MetricsAddress {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw ParseError(text, "an IPv6 literal needs its closing ']'") }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw ParseError(text, "expected HOST:PORT, e.g. [::]:9464") }
            portText = rest.dropFirst()
            guard isIPv6(String(host)) else { throw ParseError(text, "'\(host)' is not an IPv6 address") }
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw ParseError(text, "expected HOST:PORT, e.g. 0.0.0.0:9464")
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            if host.contains(":") {
                throw ParseError(text, "put an IPv6 address in brackets, e.g. [::1]:9464")
            }
            guard isIPv4(String(host)) || (!looksNumeric(host) && isHostname(host)) else {
                throw ParseError(text, "'\(host)' is neither an IPv4 address nor a hostname")
            }
        }
        guard !portText.isEmpty, portText.allSatisfy(\.isASCII), portText.allSatisfy(\.isNumber),
            portText.count <= 5, let port = Int(portText), (0...65535).contains(port)
        else {
            throw ParseError(text, "the port must be a number between 0 and 65535")
        }
        return MetricsAddress(host: String(host), port: port)
    }

    /// Why an address was refused.
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public let description: String
        init(_ text: String, _ reason: String) {
            description = "--metrics-address '\(text)': \(reason)."
        }
    }

    private static func isIPv4(_ text: String) -> Bool {
        var address = in_addr()
        return inet_pton(AF_INET, text, &address) == 1
    }

    private static func isIPv6(_ text: String) -> Bool {
        var address = in6_addr()
        return inet_pton(AF_INET6, text, &address) == 1
    }

    /// Digits and dots only: meant as an IPv4 literal, so a bad one (`300.1.1.1`) is not taken for a hostname.
    private static func looksNumeric(_ host: Substring) -> Bool {
        host.allSatisfy { $0 == "." || ($0.isASCII && $0.isNumber) }
    }

    /// RFC 1123: dot-separated labels of 1–63 letters, digits and hyphens, not starting or ending with a hyphen.
    private static func isHostname(_ host: Substring) -> Bool {
        guard !host.isEmpty, host.utf8.count <= 253 else { return false }
        let trimmed = host.hasSuffix(".") ? host.dropLast() : host
        return trimmed.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            !label.isEmpty && label.count <= 63 && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }
}
