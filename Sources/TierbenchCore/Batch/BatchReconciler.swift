/// Joins one batch's input with its output and error files by `custom_id` (batch-api.md §7, §14.4).
///
/// Output lines come in any order; every input line ends with exactly one ``BatchLineOutcome``. A `custom_id` seen
/// twice in the files is a duplicate (the first line counts), one not in the input is unknown; lines that cannot
/// be read are counted with their place. Lines in neither file are `missing`, or `failed` with the batch's own
/// error when the whole batch failed (validation, the enqueued-token limit) and so never ran.
///
/// Pure and streaming-friendly: feed file lines one at a time with ``add(_:source:number:)``.
public struct BatchReconciler: Sendable {
    /// One input line's result.
    public struct LineResult: Sendable, Equatable {
        public var outcome: BatchLineOutcome
        public var status: Int?
        public var usage: TokenUsage?
        public var errorCode: String?
        public var errorMessage: String?

        public init(outcome: BatchLineOutcome, status: Int? = nil, usage: TokenUsage? = nil, errorCode: String? = nil,
                    errorMessage: String? = nil) {
            self.outcome = outcome
            self.status = status
            self.usage = usage
            self.errorCode = errorCode
            self.errorMessage = errorMessage
        }
    }

    /// What did not add up: duplicates, unknown ids, unreadable lines (with the first few examples).
    public struct Anomalies: Sendable, Equatable {
        public var duplicates = 0
        public var unknownIDs = 0
        public var unreadable = 0
        /// Lines whose usage had a field out of `0…TokenUsage.maximumField` (their usage is not summed).
        public var invalidUsage = 0
        /// Lines that contradict themselves or their file: a 2xx status in the error file, or neither a response
        /// nor an error (they keep the outcome their status gives: ok, else failed).
        public var inconsistent = 0
        /// Up to `exampleLimit` examples, e.g. `duplicate custom_id req-000003 (output line 7)`.
        public var examples: [String] = []
        public init() {}

        public static let exampleLimit = 10

        mutating func note(_ text: String) {
            if examples.count < Self.exampleLimit { examples.append(text) }
        }

        public static func + (lhs: Anomalies, rhs: Anomalies) -> Anomalies {
            var sum = lhs
            sum.duplicates += rhs.duplicates
            sum.unknownIDs += rhs.unknownIDs
            sum.unreadable += rhs.unreadable
            sum.invalidUsage += rhs.invalidUsage
            sum.inconsistent += rhs.inconsistent
            for example in rhs.examples { sum.note(example) }
            return sum
        }
    }

    /// The input's custom ids, in input order.
    public let customIDs: [String]
    private var index: [String: Int] = [:]
    /// Every line's result so far (`missing` until a file line arrives), and whether one arrived.
    private var results: [LineResult]
    private var seen: [Bool]
    public private(set) var anomalies = Anomalies()

    /// - Parameter customIDs: the input file's `custom_id`s in input order (an input line repeated keeps its first
    ///   place; the batch would have failed validation anyway).
    public init(customIDs: [String]) {
        self.customIDs = customIDs
        results = Array(repeating: Self.missing, count: customIDs.count)
        seen = Array(repeating: false, count: customIDs.count)
        index.reserveCapacity(customIDs.count)
        for (position, id) in customIDs.enumerated() where index[id] == nil { index[id] = position }
    }

    /// Adds one line of an output or error file. Blank lines are ignored.
    /// - Parameters:
    ///   - source: the file's name for messages (`output`, `error`).
    ///   - number: the line's 1-based number in that file.
    public mutating func add(_ line: Substring, source: String, number: Int) {
        let line = number == 1 && line.hasPrefix("\u{FEFF}") ? line.dropFirst() : line
        guard line.contains(where: { !$0.isWhitespace }) else { return }
        let parsed: BatchOutputLine
        do {
            parsed = try BatchOutputLine(parsing: line)
        } catch {
            anomalies.unreadable += 1
            anomalies.note("\(source) line \(number): \(error.message)")
            return
        }
        add(parsed, source: source, number: number)
    }

    /// Adds one parsed output or error line.
    public mutating func add(_ line: BatchOutputLine, source: String, number: Int) {
        guard let position = index[line.customID] else {
            anomalies.unknownIDs += 1
            anomalies.note("unknown custom_id \(line.customID) (\(source) line \(number))")
            return
        }
        guard !seen[position] else {
            anomalies.duplicates += 1
            anomalies.note("duplicate custom_id \(line.customID) (\(source) line \(number))")
            return
        }
        seen[position] = true
        if source == "error", line.outcome == .ok {
            anomalies.inconsistent += 1
            anomalies.note("custom_id \(line.customID) has a 2xx status in the error file (\(source) line \(number))")
        } else if line.statusCode == nil, line.errorCode == nil, line.errorMessage == nil {
            anomalies.inconsistent += 1
            anomalies.note("custom_id \(line.customID) has neither a response nor an error (\(source) line \(number))")
        }
        if line.invalidUsage {
            anomalies.invalidUsage += 1
            anomalies.note("usage out of 0…\(TokenUsage.maximumField) tokens, not counted (\(source) line \(number))")
        }
        results[position] = LineResult(
            outcome: line.outcome, status: line.statusCode, usage: line.usage, errorCode: line.errorCode,
            errorMessage: line.errorMessage)
    }

    /// Every input line's result in input order (the reconciler keeps none of them: call it once, last).
    /// - Parameter batchFailure: the batch's own error when it failed as a whole; lines in neither file then end
    ///   `failed` with it, else `missing`.
    public mutating func finish(batchFailure: BatchError? = nil) -> [LineResult] {
        var final: [LineResult] = []
        swap(&final, &results)
        if let batchFailure {
            let failed = LineResult(outcome: .failed, errorCode: batchFailure.code ?? "batch_failed",
                                    errorMessage: batchFailure.message)
            for position in final.indices where !seen[position] { final[position] = failed }
        }
        seen = []
        index = [:]
        return final
    }

    /// The result of a line in neither file.
    static let missing = LineResult(outcome: .missing, errorMessage: "the line is in neither the output nor the error file")
}
