/// Shared parts of the trace importers: reading numbers and datetimes with range checks, locating CSV columns, and
/// turning the accepted rows into a sorted trace relative to its first request.
struct TraceImportRows {
    /// A point in time as whole seconds since 1970 plus a fraction in [0, 1), so 7-digit datetime fractions survive.
    struct Instant: Comparable {
        var whole: Int64
        var fraction: Double

        static func < (lhs: Instant, rhs: Instant) -> Bool {
            lhs.whole != rhs.whole ? lhs.whole < rhs.whole : lhs.fraction < rhs.fraction
        }

        /// Seconds from `origin` to this instant.
        func seconds(since origin: Instant) -> Double {
            Double(whole - origin.whole) + (fraction - origin.fraction)
        }
    }

    /// Why one row is skipped.
    struct RowProblem: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    /// One request read from a row: when, its token counts, and its recorded failure status.
    struct Request {
        var instant: Instant
        var inputTokens: Int
        var outputTokens: Int?
        /// The recorded failure (`TraceRecord.status`); nil when it succeeded or the source records no outcome.
        var status: String?
    }

    private struct Pending {
        var line: Int
        var request: Request
    }

    let file: String
    private var pending: [Pending] = []
    private(set) var problems: [TraceImportProblem] = []

    init(file: String) {
        self.file = file
    }

    /// Keeps one request.
    mutating func add(line: Int, _ request: Request) {
        pending.append(Pending(line: line, request: request))
    }

    /// The one row loop of the CSV importers: `read` turns each data row of `table` (header first) into a request;
    /// a row whose field count differs from the header's, or whose `read` throws, is skipped with its line and reason.
    /// - Returns: the kept rows as `result()` sorts them.
    static func eachRow(
        of table: [CSVTable.Row], file: String, _ read: (CSVTable.Row) throws(RowProblem) -> Request
    ) throws(TraceImportError) -> TraceImportResult {
        var rows = TraceImportRows(file: file)
        let width = table.first?.fields.count ?? 0
        for row in table.dropFirst() {
            guard row.fields.count == width else {
                rows.skip(line: row.line, "\(row.fields.count) fields, the header has \(width)")
                continue
            }
            do throws(RowProblem) {
                rows.add(line: row.line, try read(row))
            } catch {
                rows.skip(line: row.line, error.message)
            }
        }
        return try rows.result()
    }

    /// Records a skipped row.
    mutating func skip(line: Int, _ message: String) {
        problems.append(TraceImportProblem(line: line, message: message))
    }

    /// The kept rows sorted by time (stable), timestamps in seconds from the earliest row.
    /// - Throws: when no row is usable or the trace spans more than `load.trace` replays (30 days).
    func result() throws(TraceImportError) -> TraceImportResult {
        let sorted = pending.enumerated().sorted { lhs, rhs in
            let (left, right) = (lhs.element.request.instant, rhs.element.request.instant)
            return left != right ? left < right : lhs.offset < rhs.offset
        }.map(\.element)
        guard let first = sorted.first, let last = sorted.last else {
            let reason = problems.first.map { " (first problem: \($0))" } ?? ""
            throw TraceImportError(file: file, message: "no usable request rows\(reason)",
                                   hint: "check --format and the file's columns; see docs/traces.md")
        }
        let origin = first.request.instant
        let span = last.request.instant.seconds(since: origin)
        guard span <= ScenarioLimits.maxDuration.seconds else {
            throw TraceImportError(file: file, line: last.line,
                                   message: "the trace spans \(Int(span)) s; at most 30 days (\(Int(ScenarioLimits.maxDuration.seconds)) s) can be replayed",
                                   hint: "import a slice of the file")
        }
        let rows = sorted.map { row in
            let request = row.request
            let seconds = (request.instant.seconds(since: origin) * 1e6).rounded() / 1e6
            let record = TraceRecord(timestamp: seconds, promptTokens: request.inputTokens,
                                     maxTokens: request.outputTokens.flatMap { $0 >= 1 ? $0 : nil },
                                     status: request.status.flatMap(TraceRecord.normalizedStatus))
            return TraceImportRow(record: record, line: row.line)
        }
        return TraceImportResult(rows: rows, problems: problems)
    }

    // MARK: - Fields

    /// A token count: a whole number from 0 to `ScenarioLimits.maxTokensPerRequest` (`minimum` 1 for prompts).
    static func tokens(_ text: String, column: String, minimum: Int = 0) throws(RowProblem) -> Int {
        let trimmed = text.importTrimmed
        guard let value = Double(trimmed), value.isFinite else { throw RowProblem("\(column) '\(trimmed)' is not a number") }
        guard value >= Double(minimum), value <= Double(ScenarioLimits.maxTokensPerRequest), value == value.rounded() else {
            throw RowProblem("\(column) \(trimmed) is not a whole number between \(minimum) and \(ScenarioLimits.maxTokensPerRequest)")
        }
        return Int(value)
    }

    /// A time in seconds (`scale` 1) or milliseconds (`scale` 1000), at most ±1e11 s.
    static func instant(_ value: Double, scale: Double, column: String) throws(RowProblem) -> Instant {
        guard value.isFinite, abs(value / scale) <= TraceParser.maxTimestamp else {
            throw RowProblem("\(column) \(value) is out of range (at most ±\(Int(TraceParser.maxTimestamp)) s)")
        }
        let seconds = value / scale
        let whole = seconds.rounded(.down)
        if scale == 1000, value == value.rounded() {
            let millis = Int64(value)
            let floorSeconds = millis >= 0 ? millis / 1000 : -((-millis + 999) / 1000)
            return Instant(whole: floorSeconds, fraction: Double(millis - floorSeconds * 1000) / 1000)
        }
        return Instant(whole: Int64(whole), fraction: seconds - whole)
    }

    /// A UTC datetime `YYYY-MM-DD[ T]HH:MM:SS[.fraction][Z|±HH:MM|±HHMM|±HH]`, year 1970–4999.
    static func datetime(_ text: String, column: String) throws(RowProblem) -> Instant {
        let bytes = Array(text.importTrimmed.utf8)
        let problem = RowProblem("\(column) '\(text.importTrimmed)' is not a datetime like 2023-11-16 18:15:46.6805900")
        var index = 0
        func digits(_ count: Int) throws(RowProblem) -> Int64 {
            guard index + count <= bytes.count else { throw problem }
            var value: Int64 = 0
            for byte in bytes[index..<index + count] {
                guard byte >= 48, byte <= 57 else { throw problem }
                value = value * 10 + Int64(byte - 48)
            }
            index += count
            return value
        }
        func expect(_ characters: String) throws(RowProblem) {
            guard index < bytes.count, characters.utf8.contains(bytes[index]) else { throw problem }
            index += 1
        }
        let year = try digits(4); try expect("-")
        let month = try digits(2); try expect("-")
        let day = try digits(2); try expect(" T")
        let hour = try digits(2); try expect(":")
        let minute = try digits(2); try expect(":")
        let second = try digits(2)
        guard (1970...4999).contains(year), (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { throw problem }
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            var any = false
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
                any = true
            }
            guard any else { throw problem }
        }
        var offset: Int64 = 0
        if index < bytes.count {
            let sign = bytes[index]
            index += 1
            if sign == UInt8(ascii: "Z") {
                offset = 0
            } else if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                let hours = try digits(2)
                var minutes: Int64 = 0
                if index < bytes.count, bytes[index] == UInt8(ascii: ":") { index += 1 }
                if index < bytes.count { minutes = try digits(2) }
                guard hours < 24, minutes < 60 else { throw problem }
                offset = (hours * 3600 + minutes * 60) * (sign == UInt8(ascii: "+") ? 1 : -1)
            } else {
                throw problem
            }
            guard index == bytes.count else { throw problem }
        }
        // Days from 1970-01-01 (Howard Hinnant's days_from_civil).
        let y = month <= 2 ? year - 1 : year
        let era = y / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Instant(whole: days * 86_400 + hour * 3600 + minute * 60 + second - offset, fraction: min(fraction, 0.999_999_999))
    }

    /// The index of each named column in a CSV header (case-insensitive; spaces around names ignored).
    /// - Throws: when a required column is missing.
    static func columns(_ header: CSVTable.Row, required: [String], optional: [String] = [], file: String,
                        format: TraceImportFormat) throws(TraceImportError) -> [String: Int] {
        let names = header.fields.map { $0.importTrimmed.lowercased() }
        var found: [String: Int] = [:]
        for column in required + optional {
            if let index = names.firstIndex(of: column.lowercased()) { found[column] = index }
        }
        let missing = required.filter { found[$0] == nil }
        guard missing.isEmpty else {
            throw TraceImportError(file: file, line: header.line,
                                   message: "the header has no \(missing.joined(separator: ", ")) column for --format \(format.rawValue)",
                                   hint: "the header must name \(required.joined(separator: ", ")); is this the right --format?")
        }
        return found
    }

    /// The CSV rows of `text`, header first, as an import error on malformed quoting.
    static func table(_ text: String, file: String) throws(TraceImportError) -> [CSVTable.Row] {
        let rows: [CSVTable.Row]
        do {
            rows = try CSVTable.parse(text, file: file)
        } catch {
            throw TraceImportError(file: file, line: error.line, message: error.message, hint: error.hint)
        }
        guard !rows.isEmpty else { throw TraceImportError(file: file, message: "the file is empty", hint: "export the trace with its header row") }
        return rows
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    var importTrimmed: String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
