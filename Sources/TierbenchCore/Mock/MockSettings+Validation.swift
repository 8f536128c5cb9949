/// The one place the mock's settings are range-checked. `MockServer` refuses settings with problems
/// (`MockConfigurationError`), `tierbench mock` reports them as flag errors and the scenario loader at the key's line.
extension MockSettings {
    /// One setting out of range.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// The setting's key in a scenario's `mock:` section, e.g. `idle_timeout` or `faults.reset_rate`.
        public var key: String
        /// The `tierbench mock` flag that sets it, e.g. `--idle-timeout`; nil when only a scenario sets it.
        public var flag: String?
        /// What is wrong, without the setting's name: "must be between 1ms and 24h, got 0s".
        public var message: String

        public var description: String { "mock.\(key) \(message)" }
        /// The message as `tierbench mock` states it: "--idle-timeout must be …".
        public var flagDescription: String { "\(flag ?? "mock.\(key)") \(message)" }
    }

    /// File descriptors kept back from `RLIMIT_NOFILE` when it caps `maxConnections`: the listening socket, standard
    /// streams, the tiers file, the logs; each event loop keeps `reservedFileDescriptorsPerEventLoop` more (epoll,
    /// wake-up and timer descriptors).
    public static let reservedFileDescriptors = 64
    public static let reservedFileDescriptorsPerEventLoop = 4

    /// Allowed ranges (inclusive).
    public static let timeoutRange = TimeSpan.milliseconds(1)...TimeSpan.seconds(86_400)
    public static let maxHeaderBytesRange = 1_024...(16 << 20)
    public static let maxBodyBytesRange = 1...(1 << 30)
    public static let maxConnectionsRange = 1...1_000_000
    /// `cpu_burn_per_event`: more than 10 ms per event would stall an event loop for seconds.
    public static let cpuBurnRange = TimeSpan.nanoseconds(1)...TimeSpan.milliseconds(10)

    /// Every setting out of its range; empty when the settings are usable.
    public func problems() -> [Problem] {
        var problems: [Problem] = []
        func check(_ ok: Bool, _ key: String, _ flag: String?, _ message: @autoclosure () -> String) {
            if !ok { problems.append(Problem(key: key, flag: flag, message: message())) }
        }
        func checkTimeout(_ value: TimeSpan, _ key: String, _ flag: String) {
            let range = Self.timeoutRange
            check(range.contains(value), key, flag,
                  "must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
        }
        func checkInts(_ value: Int, _ range: ClosedRange<Int>, _ key: String, _ flag: String?, unit: String = "") {
            check(range.contains(value), key, flag,
                  "must be between \(range.lowerBound) and \(range.upperBound)\(unit), got \(value)")
        }
        check(timeScale.isFinite && timeScale >= 1 && timeScale <= ScenarioLimits.maxTimeScale, "time_scale", "--time-scale",
              "must be a number between 1 and \(Int(ScenarioLimits.maxTimeScale)), got \(timeScale)")
        check(initialFill >= 0 && initialFill <= 1, "initial_fill", "--initial-fill", "must be in 0…1, got \(initialFill)")
        if let capacity { checkInts(capacity, 1...ScenarioLimits.maxWorkers, "capacity", "--capacity") }
        if let outputTokens { checkInts(outputTokens, 1...131_072, "output_tokens", "--output-tokens") }
        // Rate limits stay within exact token-bucket arithmetic (limit × time scale ≤ 10¹⁸).
        for (key, value) in [("rpm", limits.rpm), ("tpm", limits.tpm), ("rpd", limits.rpd), ("tpd", limits.tpd)] {
            if let value { checkInts(value, 1...ScenarioLimits.maxRateLimit, "limits.\(key)", "--\(key)") }
        }
        if let embeddingDimensions {
            checkInts(embeddingDimensions, 1...65_536, "embedding_dimensions", "--embedding-dimensions")
        }
        if let spendBudgetUSD {
            check(spendBudgetUSD.isFinite && spendBudgetUSD > 0 && spendBudgetUSD <= ScenarioLimits.maxUSD,
                  "spend_budget_usd", "--spend-budget", "must be a number > 0 and ≤ 10⁹, got \(spendBudgetUSD)")
        }
        check(keepAliveRequests >= 0, "keep_alive_requests", "--keep-alive-requests",
              "must be ≥ 0 (0 = never close), got \(keepAliveRequests)")
        checkInts(maxBodyBytes, Self.maxBodyBytesRange, "max_body_bytes", "--max-body", unit: " bytes")
        checkInts(maxHeaderBytes, Self.maxHeaderBytesRange, "max_header_bytes", "--max-header", unit: " bytes")
        checkInts(maxConnections, Self.maxConnectionsRange, "max_connections", "--max-connections")
        checkTimeout(idleTimeout, "idle_timeout", "--idle-timeout")
        checkTimeout(headerTimeout, "header_timeout", "--header-timeout")
        checkTimeout(bodyTimeout, "body_timeout", "--body-timeout")
        if let cpuBurnPerEvent {
            check(Self.cpuBurnRange.contains(cpuBurnPerEvent), "cpu_burn_per_event", "--cpu-burn-per-event",
                  "must be between 1ns and 10ms, got \(cpuBurnPerEvent)")
        }
        check(hangLimit > .zero, "hang_limit", "--hang-limit", "must be > 0, got \(hangLimit)")
        let rates: [(String, String, Double)] = [
            ("faults.reset_rate", "--reset-rate", faults.resetRate),
            ("faults.hang_rate", "--hang-rate", faults.hangRate),
            ("faults.slow_first_byte.rate", "--slow-first-byte-rate", faults.slowFirstByteRate),
            ("faults.truncate_stream_rate", "--truncate-rate", faults.truncateStreamRate),
            ("faults.malformed_json_rate", "--malformed-rate", faults.malformedJSONRate),
        ] + faults.statusRates.keys.sorted().map { ("faults.status_rates.\($0)", "--error-rate", faults.statusRates[$0] ?? 0) }
        for (key, flag, rate) in rates {
            check((0...1).contains(rate), key, flag, "must be a probability in 0…1, got \(rate)")
        }
        for status in faults.statusRates.keys.sorted() {
            check((400...599).contains(status), "faults.status_rates", "--error-rate",
                  "statuses must be 400…599, got \(status)")
        }
        problems += batchProblems()
        problems += prefixCacheProblems()
        return problems
    }

    /// The `prefix_cache.*` settings out of range.
    private func prefixCacheProblems() -> [Problem] {
        guard let cache = prefixCache else { return [] }
        var problems: [Problem] = []
        func checkInts(_ value: Int, _ range: ClosedRange<Int>, _ key: String, _ flag: String) {
            if !range.contains(value) {
                problems.append(Problem(
                    key: "prefix_cache." + key, flag: flag,
                    message: "must be between \(range.lowerBound) and \(range.upperBound), got \(value)"))
            }
        }
        typealias Limits = MockPrefixCacheSettings
        checkInts(cache.blockTokens, Limits.blockTokensRange, "block_tokens", "--prefix-cache-block-tokens")
        checkInts(cache.minTokens, Limits.minTokensRange, "min_tokens", "--prefix-cache-min-tokens")
        checkInts(cache.capacityTokens, Limits.capacityTokensRange, "capacity_tokens", "--prefix-cache-capacity-tokens")
        guard problems.isEmpty else { return problems }
        if cache.capacityTokens < cache.minTokens {
            problems.append(Problem(
                key: "prefix_cache.capacity_tokens", flag: "--prefix-cache-capacity-tokens",
                message: "must hold min_tokens (\(cache.minTokens)), got \(cache.capacityTokens); "
                    + "raise capacity_tokens or lower min_tokens (a smaller cache could never report a hit)"))
        } else if cache.capacityTokens < cache.blockTokens {
            problems.append(Problem(
                key: "prefix_cache.capacity_tokens", flag: "--prefix-cache-capacity-tokens",
                message: "must hold at least one block (≥ block_tokens, \(cache.blockTokens)), got \(cache.capacityTokens)"))
        } else if cache.capacityBlocks > Limits.maxCapacityBlocks {
            problems.append(Problem(
                key: "prefix_cache.capacity_tokens", flag: "--prefix-cache-capacity-tokens",
                message: "must be at most \(Limits.maxCapacityBlocks) blocks of \(cache.blockTokens) tokens "
                    + "(\(Limits.maxCapacityBlocks * cache.blockTokens) tokens), got \(cache.capacityTokens); "
                    + "raise block_tokens or lower the capacity"))
        }
        return problems
    }

    /// Allowed ranges of the batch settings (inclusive).
    public static let batchDelayRange = TimeSpan.zero...TimeSpan.seconds(86_400)
    public static let batchRateRange = 0.000_001...1_000_000_000.0
    public static let batchCreationsRange = 1...1_000_000

    /// The `batch.*` settings out of range.
    private func batchProblems() -> [Problem] {
        var problems: [Problem] = []
        func check(_ ok: Bool, _ key: String, _ flag: String?, _ message: @autoclosure () -> String) {
            if !ok { problems.append(Problem(key: "batch." + key, flag: flag, message: message())) }
        }
        func checkDelay(_ value: TimeSpan, _ key: String, _ flag: String?) {
            let range = Self.batchDelayRange
            check(range.contains(value), key, flag, "must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
        }
        func checkRate(_ value: Double, _ key: String, _ flag: String?) {
            let range = Self.batchRateRange
            check(value.isFinite && range.contains(value), key, flag, "must be a number > 0 and ≤ 10⁹, got \(value)")
        }
        if let scale = batch.timeScale {
            check(scale.isFinite && scale >= 1 && scale <= ScenarioLimits.maxTimeScale, "time_scale", "--batch-time-scale",
                  "must be a number between 1 and \(Int(ScenarioLimits.maxTimeScale)), got \(scale)")
        }
        checkDelay(batch.validateMin, "validate_min", nil)
        checkDelay(batch.validateMax, "validate_max", nil)
        check(batch.validateMin <= batch.validateMax, "validate_max", nil,
              "must be ≥ validate_min (\(batch.validateMin)), got \(batch.validateMax)")
        checkDelay(batch.validatePerMB, "validate_per_mb", nil)
        checkDelay(batch.queueDelayMedian, "queue_delay.median", "--batch-queue-delay")
        check(batch.queueDelaySigma.isFinite && (0...5).contains(batch.queueDelaySigma), "queue_delay.sigma",
              "--batch-queue-sigma", "must be a number between 0 and 5, got \(batch.queueDelaySigma)")
        check((0...1).contains(batch.stallProbability), "stall_probability", "--batch-stall-probability",
              "must be a probability in 0…1, got \(batch.stallProbability)")
        checkDelay(batch.stallDuration, "stall_duration", nil)
        checkRate(batch.linesPerSecond, "lines_per_second", "--batch-lines-per-second")
        if let tokens = batch.tokensPerSecond { checkRate(tokens, "tokens_per_second", "--batch-tokens-per-second") }
        for model in batch.modelRates.keys.sorted() {
            guard let rate = batch.modelRates[model] else { continue }
            checkRate(rate.linesPerSecond, "models.\(model).lines_per_second", nil)
            if let tokens = rate.tokensPerSecond { checkRate(tokens, "models.\(model).tokens_per_second", nil) }
        }
        checkDelay(batch.finalizeMin, "finalize_min", nil)
        checkDelay(batch.finalizeMax, "finalize_max", nil)
        check(batch.finalizeMin <= batch.finalizeMax, "finalize_max", nil,
              "must be ≥ finalize_min (\(batch.finalizeMin)), got \(batch.finalizeMax)")
        checkDelay(batch.cancelMin, "cancel_min", nil)
        checkDelay(batch.cancelMax, "cancel_max", nil)
        check(batch.cancelMin <= batch.cancelMax, "cancel_max", nil,
              "must be ≥ cancel_min (\(batch.cancelMin)), got \(batch.cancelMax)")
        check((1...(512 << 20)).contains(batch.maxFileBytes), "max_file_bytes", nil,
              "must be between 1 and \(512 << 20) bytes, got \(batch.maxFileBytes)")
        let creations = Self.batchCreationsRange
        check(creations.contains(batch.creationsPerHour), "creations_per_hour", "--batch-creations-per-hour",
              "must be between \(creations.lowerBound) and \(creations.upperBound), got \(batch.creationsPerHour)")
        return problems
    }

    /// The connection cap in force: `maxConnections`, at most the open-file limit less the descriptors kept back
    /// (64 + 4 per event loop; at least 1) when the process's limit is known. Accepting beyond the limit would fail
    /// with EMFILE, on which NIO's accept loop spins (it stays registered for reads after a failed accept).
    public func effectiveMaxConnections(openFileLimit: Int?, eventLoops: Int) -> Int {
        guard let openFileLimit else { return maxConnections }
        let reserve = Self.reservedFileDescriptors + Self.reservedFileDescriptorsPerEventLoop * max(1, eventLoops)
        return max(1, min(maxConnections, openFileLimit - reserve))
    }
}
