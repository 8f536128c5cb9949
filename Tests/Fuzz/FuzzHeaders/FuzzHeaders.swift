import TierbenchCore

/// libFuzzer entry point: response header lines (split at LF, each keeping its line end, as libcurl's header
/// callback delivers them) through `ResponseHeaderScanner`, then what the load driver does with the result: the
/// retry delay (`retry-after-ms`, `retry-after` seconds or HTTP-date, `x-ratelimit-reset-*`) and the client
/// throttle's `follow_server`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHeaders(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = UnsafeRawBufferPointer(start: data, count: size)
    var headers = RateLimitHeaders()
    var start = 0
    while start < input.count {
        var end = start
        while end < input.count && input[end] != 0x0A { end += 1 }
        end = min(end + 1, input.count)
        ResponseHeaderScanner.scan(UnsafeRawBufferPointer(rebasing: input[start..<end]), into: &headers)
        start = end
    }
    let policy = RetryPolicy(maxAttempts: 3, honorRetryAfter: true, honorRateLimitReset: true)
    for now: Int64 in [0, 1_764_892_800, 253_402_300_799] {  // 1970, 2025-12-05, 9999-12-31
        _ = headers.retryDelayNanos(nowUnixSeconds: now)
        if let delay = policy.serverDelay(from: headers, nowUnixSeconds: now) {
            var random = SplitMix64(seed: 1)
            _ = policy.delay(beforeRetry: 1, serverDelay: delay, random: &random)
        }
    }
    var throttle = ClientThrottle(requestsPerMinute: 60, tokensPerMinute: 10_000, followServer: true, now: 0)
    throttle.observe(headers, now: 1_000_000)
    _ = throttle.admit(tokenCost: 100, now: 2_000_000)
    return 0
}
