/// Reads rate-limit and retry headers from raw header lines, as libcurl's header callback delivers them.
///
/// Names match case-insensitively; the value is trimmed of spaces, tabs and the CR LF. Nothing is allocated:
/// names are compared byte by byte and numbers parsed in place.
public enum ResponseHeaderScanner {
    /// Fills the matching field of `headers` from one header line such as `retry-after-ms: 120\r\n`.
    /// - Returns: whether the line was a header this scanner knows (even if its value was unreadable).
    @discardableResult
    public static func scan(_ line: UnsafeRawBufferPointer, into headers: inout RateLimitHeaders) -> Bool {
        guard let colon = line.firstIndex(of: JSONBytes.colon), colon > 0 else { return false }
        let name = trimmed(line, 0..<colon)
        let value = trimmed(line, (colon + 1)..<line.count)
        if nameIs(line, name, "retry-after") {
            if let seconds = ByteNumber.decimal(line, value) {
                headers.retryAfterSeconds = seconds
            } else {
                headers.retryAfterDate = HTTPDate.parse(line, value)
            }
        } else if nameIs(line, name, "retry-after-ms") {
            headers.retryAfterMilliseconds = ByteNumber.decimal(line, value)
        } else if nameIs(line, name, "x-ratelimit-limit-requests") {
            headers.limitRequests = ByteNumber.integer(line, value)
        } else if nameIs(line, name, "x-ratelimit-limit-tokens") {
            headers.limitTokens = ByteNumber.integer(line, value)
        } else if nameIs(line, name, "x-ratelimit-remaining-requests") {
            headers.remainingRequests = ByteNumber.integer(line, value)
        } else if nameIs(line, name, "x-ratelimit-remaining-tokens") {
            headers.remainingTokens = ByteNumber.integer(line, value)
        } else if nameIs(line, name, "x-ratelimit-reset-requests") {
            headers.resetRequestsNanos = GoDuration.parse(line, value)
        } else if nameIs(line, name, "x-ratelimit-reset-tokens") {
            headers.resetTokensNanos = GoDuration.parse(line, value)
        } else if nameIs(line, name, "x-ratelimit-limit-project-tokens") {
            headers.limitProjectTokens = ByteNumber.integer(line, value)
        } else if nameIs(line, name, "x-ratelimit-remaining-project-tokens") {
            headers.remainingProjectTokens = ByteNumber.integer(line, value)
        } else if nameIs(line, name, "x-ratelimit-reset-project-tokens") {
            headers.resetProjectTokensNanos = GoDuration.parse(line, value)
        } else if nameIs(line, name, "x-should-retry") {
            headers.shouldRetry = nameIs(line, value, "true") ? true : nameIs(line, value, "false") ? false : nil
        } else {
            return false
        }
        return true
    }

    /// Scans a header line given as bytes; see `scan(_: UnsafeRawBufferPointer, into:)`.
    @discardableResult
    public static func scan(_ line: [UInt8], into headers: inout RateLimitHeaders) -> Bool {
        line.withUnsafeBytes { scan($0, into: &headers) }
    }

    /// `range` without leading and trailing spaces, tabs, CR and LF.
    private static func trimmed(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper && JSONBytes.isWhitespace(bytes[lower]) { lower += 1 }
        while upper > lower && JSONBytes.isWhitespace(bytes[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    /// Case-insensitive ASCII comparison of the bytes in `range` with a lower-case `name`.
    private static func nameIs(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, _ name: StaticString) -> Bool {
        guard range.count == name.utf8CodeUnitCount else { return false }
        let expected = name.utf8Start
        for offset in 0..<range.count {
            var byte = bytes[range.lowerBound + offset]
            if byte >= 0x41 && byte <= 0x5A { byte |= 0x20 }
            if byte != expected[offset] { return false }
        }
        return true
    }
}
