import Foundation

/// Removes the run's secrets (the API key, secret-looking header values) from text a server sent back, before that
/// text is stored or printed: a server whose error message echoes the request's `Authorization` header must not get
/// the key written into `requests.jsonl`.
///
/// Every occurrence of each secret is replaced by `[REDACTED]`. Secrets shorter than `minimumLength` bytes are not
/// redacted (replacing every "a" of a message would destroy it without protecting anything worth the name).
public struct SecretRedactor: Sendable, Equatable {
    /// What a secret is replaced with.
    public static let replacement = "[REDACTED]"
    /// Shortest secret that is redacted, in UTF-8 bytes.
    public static let minimumLength = 4

    /// The secrets, longest first (so a secret containing another is replaced whole).
    public let secrets: [String]

    /// - Parameter secrets: Values to hide; empty and too-short ones are ignored.
    public init(secrets: [String]) {
        var unique: [String] = []
        for secret in secrets where secret.utf8.count >= Self.minimumLength && !unique.contains(secret) {
            unique.append(secret)
        }
        self.secrets = unique.sorted { $0.utf8.count > $1.utf8.count }
    }

    /// Redacts nothing.
    public static let none = SecretRedactor(secrets: [])

    /// The secrets of a request's headers: every value of `Authorization`, `Proxy-Authorization`, `api-key`,
    /// `x-api-key` and of any header whose name contains `token`, `secret` or `key`, with a leading auth scheme
    /// (`Bearer `, `Basic `) also removed so the bare credential is found too.
    public static func secrets(ofHeaders headers: [(name: String, value: String)]) -> [String] {
        var secrets: [String] = []
        for header in headers {
            let name = header.name.lowercased()
            guard name == "authorization" || name == "proxy-authorization" || name.contains("key")
                || name.contains("token") || name.contains("secret")
            else { continue }
            let value = header.value.trimmingSpaces
            secrets.append(value)
            if let space = value.firstIndex(of: " ") {
                secrets.append(String(value[value.index(after: space)...]).trimmingSpaces)
            }
        }
        return secrets
    }

    /// `text` with every secret replaced by `[REDACTED]`.
    public func redact(_ text: String) -> String {
        guard !secrets.isEmpty else { return text }
        var result = text
        for secret in secrets where result.contains(secret) {
            result = result.replacingAll(secret, with: Self.replacement)
        }
        return result
    }

    /// `text` redacted; nil stays nil.
    public func redact(_ text: String?) -> String? {
        text.map { redact($0) }
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var view = Substring(self)
        while view.first == " " || view.first == "\t" { view.removeFirst() }
        while view.last == " " || view.last == "\t" { view.removeLast() }
        return String(view)
    }

    /// Every non-overlapping occurrence of `target` (non-empty) replaced by `replacement`, left to right.
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        var output = ""
        var rest = Substring(self)
        while let range = rest.range(of: target) {
            output += rest[..<range.lowerBound]
            output += replacement
            rest = rest[range.upperBound...]
        }
        output += rest
        return output
    }
}
