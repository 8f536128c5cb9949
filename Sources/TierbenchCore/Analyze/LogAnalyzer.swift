/// `tierbench analyze`'s core: fed one line at a time (bytes in, no IO), it keeps histograms and per-bucket counters
/// only, so memory does not grow with the number of rows.
///
/// Use: `beginFile`, then `feed` every line of the file in order (without its line break), then `endFile`; repeat
/// for each file; `finish` builds the figures. Files of one kind are added together, each on its own time axis
/// from its origin (requests and sessions: the run's start, `t_ms`/`start_ms` 0; traces: the first row's
/// timestamp).
public struct LogAnalyzer: Sendable {
    /// One input file as it was read.
    public struct FileSummary: Sendable, Hashable, Codable {
        public var file: String
        public var kind: AnalyzeInputKind?
        public var lines: Int
        public var rows: Int
        public var badRows: Int

        enum CodingKeys: String, CodingKey {
            case file, kind, lines, rows
            case badRows = "bad_rows"
        }
    }

    let options: AnalyzeOptions
    /// Rows held back to put arrivals in time order (`ArrivalOrder`; smaller in tests).
    var orderWindow = ArrivalOrder.defaultWindow
    var requests = RequestTally()
    var sessions = SessionTally()
    var requestArrivals = RateBuckets()
    var sessionStarts = RateBuckets()
    /// Inter-arrival gaps of every file, merged at each file's end.
    var gaps = DurationHistogram()
    var gapMoments = GapMoments()
    var arrivalsOrdered = 0
    var outOfOrder = 0
    /// Files are overlaid on one time axis (each from its origin), like the frequency buckets: the span is the
    /// earliest first arrival to the latest last arrival of any file (ms), and the intervals the sum over files with
    /// ≥ 2 arrivals of their count − 1, so the rate is the overlaid files' combined rate.
    var arrivalFirstMs: Double?
    var arrivalLastMs: Double?
    var arrivalIntervals = 0

    /// The overlaid span (ms; 0 before two arrivals).
    var arrivalSpanMs: Double {
        guard let first = arrivalFirstMs, let last = arrivalLastMs else { return 0 }
        return max(last - first, 0)
    }
    public private(set) var files: [FileSummary] = []
    public private(set) var problems: [AnalyzeProblem] = []
    public private(set) var badRows = 0

    // The file being read.
    private var file = FileSummary(file: "", kind: nil, lines: 0, rows: 0, badRows: 0)
    private var forcedKind: AnalyzeInputKind?
    private var fileModel: String?
    private var order = ArrivalOrder()
    private var fileArrivals = RateBuckets()
    private var fileStarts = RateBuckets()
    private var traceOrigin: Double?
    private var scanner = FlatJSONScanner()
    /// Why the current file cannot be read at all (its first row is of no known kind); set by `feed`.
    public private(set) var fileError: String?

    public init(options: AnalyzeOptions) {
        self.options = options
    }

    /// Starts a file; `kind` nil = detect it from the first non-blank line. `defaultModel` is the model of this
    /// file's rows that name none (e.g. from the summary.json beside it); nil = `options.defaultModel`.
    public mutating func beginFile(_ name: String, kind: AnalyzeInputKind? = nil, defaultModel: String? = nil) {
        file = FileSummary(file: name, kind: kind, lines: 0, rows: 0, badRows: 0)
        fileModel = defaultModel ?? options.defaultModel
        forcedKind = kind
        order = ArrivalOrder(window: orderWindow)
        fileArrivals = RateBuckets()
        fileStarts = RateBuckets()
        traceOrigin = nil
        fileError = nil
    }

    /// Reads one line (its bytes without the line break; a trailing CR is ignored). Blank lines are skipped.
    public mutating func feed(_ line: UnsafeRawBufferPointer) {
        file.lines &+= 1
        var bytes = line
        if let last = bytes.last, last == 0x0D { bytes = UnsafeRawBufferPointer(rebasing: bytes.dropLast()) }
        if file.lines == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            bytes = UnsafeRawBufferPointer(rebasing: bytes.dropFirst(3))  // a UTF-8 byte order mark
        }
        guard bytes.contains(where: { !JSONBytes.isWhitespace($0) }) else { return }
        if file.kind == nil {
            guard let kind = AnalyzeInputKind.detect(bytes) else {
                fileError = "\(file.file):\(file.lines): " + AnalyzeInputKind.refusal(bytes)
                return
            }
            file.kind = kind
        }
        if let reason = scanner.scan(bytes) {
            return bad("not valid JSON (\(reason))")
        }
        do {
            switch file.kind ?? .requests {
            case .requests:
                let row = try RequestRow.request(bytes, scanner)
                add(row)
            case .trace:
                var (row, timestamp) = try RequestRow.trace(bytes, scanner)
                let origin = traceOrigin ?? timestamp
                traceOrigin = origin
                row.arrivalMs = (timestamp - origin) * 1_000
                guard row.arrivalMs >= 0 else {
                    throw RequestRow.Bad(reason: "timestamp \(timestamp) is earlier than the first row's \(origin)")
                }
                guard row.arrivalMs <= RequestRow.maxMillis else {
                    throw RequestRow.Bad(reason: "timestamp \(timestamp) is more than 366 days after the first row's")
                }
                add(row)
            case .sessions:
                let (start, failed) = try sessions.add(bytes, scanner)
                if let start { fileStarts.record(offsetSeconds: start / 1_000, failed: failed) }
            }
            file.rows &+= 1
        } catch let error as RequestRow.Bad {
            bad(error.reason)
        } catch {
            bad("\(error)")
        }
    }

    /// Counts a line the reader skipped for being longer than `limit` bytes as a bad row.
    public mutating func feedTooLong(limit: Int) {
        file.lines &+= 1
        bad("line longer than \(limit) bytes (skipped to the next line break)")
    }

    /// `feed` for text (tests).
    public mutating func feed(_ line: String) {
        var copy = line
        copy.withUTF8 { feed(UnsafeRawBufferPointer($0)) }
    }

    private mutating func add(_ row: RequestRow) {
        requests.add(row, defaultModel: fileModel)
        order.add(row.arrivalMs)
        fileArrivals.record(offsetSeconds: row.arrivalMs / 1_000, failed: row.failed && !row.warmup)
    }

    private mutating func bad(_ reason: String) {
        badRows &+= 1
        file.badRows &+= 1
        if problems.count < options.listedProblems {
            problems.append(AnalyzeProblem(file: file.file, line: file.lines, reason: reason))
        }
    }

    /// Ends the current file: puts its last arrivals in order and adds its counters to the totals.
    public mutating func endFile() {
        order.finish()
        gaps.merge(order.gaps)
        gapMoments.merge(order.moments)
        arrivalsOrdered &+= order.released
        outOfOrder &+= order.outOfOrder
        // Rows too late to be put in order are out of the gaps but still arrived (inside the span, as a later row
        // had been released before them): they count in the rate.
        if order.released >= 2, let first = order.first, let last = order.last {
            arrivalFirstMs = min(arrivalFirstMs ?? first, first)
            arrivalLastMs = max(arrivalLastMs ?? last, last)
            arrivalIntervals &+= order.released &+ order.outOfOrder - 1
        }
        requestArrivals.merge(fileArrivals)
        sessionStarts.merge(fileStarts)
        files.append(file)
    }

    /// The figures of everything fed so far.
    public func finish() -> LogAnalysis {
        LogAnalysis(self)
    }
}
