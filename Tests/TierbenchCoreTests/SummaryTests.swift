import Foundation
import Testing
@testable import TierbenchCore

struct SummaryTests {
    static let ms: UInt64 = 1_000_000
    static let second: UInt64 = 1_000_000_000

    /// A run with a 2 s warmup: 10 warmup requests, then 100 measured ones completing between 2.1 s and 12 s,
    /// 10 of them failed (8 × 429, 2 × refused). Measured window = 12 s − 2 s = 10 s.
    static func knownRecorder() -> MetricsRecorder {
        var recorder = MetricsRecorder()
        for index in 0..<10 {
            let start = UInt64(index) * 100 * ms
            recorder.record(RequestOutcome(index: index, intendedStart: start, actualStart: start,
                                           end: start + 900 * ms, status: 200,
                                           usage: TokenUsage(prompt: 1_000, completion: 1_000), warmup: true))
        }
        for index in 0..<100 {
            let end = 2 * second + UInt64(index + 1) * 100 * ms
            let start = end - 20 * ms
            var outcome = RequestOutcome(index: 10 + index, intendedStart: start, actualStart: start, end: end,
                                         status: 200, prompts: 2, usage: TokenUsage(prompt: 30, completion: 12))
            if index < 8 {
                outcome.status = 429
                outcome.errorClass = .rateLimited
                outcome.usage = nil
            } else if index < 10 {
                outcome.status = 0
                outcome.errorClass = .connectionRefused
                outcome.usage = nil
            }
            recorder.record(outcome)
        }
        return recorder
    }

    static let scenario: JSONValue = .object([
        .init("version", .int(1)), .init("name", .string("known")), .init("endpoint", .string("chat")),
        .init("load", .object([.init("max_workers", .int(4)), .init("warmup", .string("2s"))])),
    ])

    static func knownSummary() -> RunSummary {
        let recorder = knownRecorder()
        return RunSummary.make(
            recorder: recorder, measuredWindow: MeasuredWindow(warmupEnd: 2 * second, recorder: recorder),
            duration: .seconds(12.5), scenario: scenario, startedAt: "2026-11-22T21:00:00.000Z",
            endedAt: "2026-11-22T21:00:12.500Z", generator: GeneratorInfo(loadModel: "closed", workers: 4))
    }

    @Test func figuresOfAKnownRun() {
        let summary = Self.knownSummary()
        #expect(summary.schemaVersion == TierbenchVersion.summarySchema)
        #expect(summary.toolVersion == TierbenchVersion.string)
        #expect(summary.measuredWindowS == 10)
        #expect(summary.durationS == 12.5)
        #expect(summary.requests.total == 100)
        #expect(summary.requests.succeeded == 90)
        #expect(summary.requests.failed == 10)
        #expect(summary.requests.warmupExcluded == 10)
        #expect(summary.requests.prompts == 200)
        #expect(summary.requests.promptsSucceeded == 180)
        #expect(summary.errorRate == 0.1)
        #expect(summary.throughput.requestsPerS == 10)
        #expect(summary.throughput.succeededPerS == 9)
        #expect(summary.throughput.promptsPerS == 18)
        #expect(summary.throughput.tokensPerS == 378)  // 90 × 42 tokens / 10 s
        #expect(summary.throughput.completionTokensPerS == 108)
        #expect(summary.tokens.prompt == 2_700)
        #expect(summary.tokens.completion == 1_080)
        #expect(summary.tokens.total == 3_780)
        #expect(summary.tokens.responsesWithUsage == 90)
        #expect(summary.latencyMs.p50 == 20)
        #expect(summary.latencyMs.max == 20)
        #expect(summary.latencyMs.mean == 20)
        #expect(summary.latencyMs.stddev == 0)
        #expect(summary.latencyMs.count == 90)
        #expect(summary.responseTimeMs == summary.latencyMs)
        #expect(summary.statusCounts == ["200": 90, "429": 8])
        #expect(summary.errors == ["http_429": 8, "connection_refused": 2])
        #expect(summary.ttftMs == nil)
        #expect(summary.histograms.ttft == nil)
        #expect(summary.generator.loadModel == "closed")
        #expect(summary.generator.achievedRequestsPerS == 10)  // 99 gaps of 100 ms
        #expect(summary.generator.lateSends == 0)
        #expect(!summary.generator.limitedByGenerator)
        #expect(summary.timeSeries.bucketS == 1)
        #expect(summary.timeSeries.requests.reduce(0, +) == 110)
        #expect(summary.timeSeries.requests.count == 13)  // buckets 0…12 s
    }

    @Test func emptyRunHasZeroRatesNotNaN() throws {
        let recorder = MetricsRecorder()
        let summary = RunSummary.make(
            recorder: recorder, measuredWindow: MeasuredWindow(warmupEnd: 0, recorder: recorder), duration: .zero,
            scenario: .object([]), startedAt: "2026-11-22T21:00:00.000Z", endedAt: "2026-11-22T21:00:00.000Z",
            interrupted: true)
        #expect(summary.errorRate == 0)
        #expect(summary.throughput.requestsPerS == 0)
        #expect(summary.interrupted)
        #expect(summary.timeSeries.requests.isEmpty)
        _ = try summary.jsonData()
    }

    @Test func openLoopGeneratorBottleneckIsFlagged() {
        var recorder = MetricsRecorder()
        for index in 0..<100 {
            let intended = UInt64(index) * 10 * Self.ms
            let late: UInt64 = index % 10 == 0 ? 5 * Self.ms : 0  // 10 % of sends 5 ms late
            recorder.record(RequestOutcome(index: index, intendedStart: intended, actualStart: intended + late,
                                           end: intended + late + 20 * Self.ms, status: 200))
        }
        let summary = RunSummary.make(
            recorder: recorder, measuredWindow: MeasuredWindow(warmupEnd: 0, recorder: recorder),
            duration: .seconds(1), scenario: .object([]), startedAt: "2026-11-22T21:00:00.000Z",
            endedAt: "2026-11-22T21:00:01.000Z", generator: GeneratorInfo(loadModel: "open", targetRequestsPerS: 100))
        #expect(summary.generator.lateSends == 10)
        #expect(summary.generator.limitedByGenerator)
        #expect(summary.sendLatenessMs.max == 5)
        #expect(summary.responseTimeMs.max == 25)
        #expect(summary.latencyMs.max == 20)
    }

    /// The same late sends, when they waited for a slot (max_in_flight full), are the server's pace: the verdict is
    /// `limited_by_max_in_flight`, not a generator bottleneck; dropped sends count towards it.
    @Test func sendsHeldForASlotAreNotAGeneratorBottleneck() {
        var recorder = MetricsRecorder()
        for index in 0..<100 {
            let intended = UInt64(index) * 10 * Self.ms
            let late: UInt64 = index % 10 == 0 ? 5 * Self.ms : 0
            var outcome = RequestOutcome(index: index, intendedStart: intended, actualStart: intended + late,
                                         end: intended + late + 20 * Self.ms, status: 200)
            outcome.heldForSlot = late > 0
            recorder.record(outcome)
        }
        recorder.noteDropped(7)
        let summary = RunSummary.make(
            recorder: recorder, measuredWindow: MeasuredWindow(warmupEnd: 0, recorder: recorder),
            duration: .seconds(1), scenario: .object([]), startedAt: "2026-11-22T21:00:00.000Z",
            endedAt: "2026-11-22T21:00:01.000Z", generator: GeneratorInfo(loadModel: "open", targetRequestsPerS: 100))
        #expect(summary.generator.lateSends == 10)
        #expect(summary.generator.heldSends == 10)
        #expect(summary.generator.droppedSends == 7)
        #expect(!summary.generator.limitedByGenerator)
        #expect(summary.generator.limitedByMaxInFlight)
        let text = ConsoleSummary.render(summary, color: false)
        #expect(text.contains("7 dropped at the end") && text.contains("max_in_flight"), "\(text)")
    }

    @Test func jsonRoundTripAndStableKeyOrder() throws {
        let summary = Self.knownSummary()
        let data = try summary.jsonData()
        var decoded = try RunSummary.decode(data)
        // Decoding cannot keep the scenario's key order (JSON objects are unordered); everything else is equal.
        #expect(try decoded.jsonData() == data)
        decoded.scenario = summary.scenario
        #expect(decoded == summary)
        #expect(try summary.jsonData() == data)
        let compact = try summary.jsonData(pretty: false)
        decoded = try RunSummary.decode(compact)
        decoded.scenario = summary.scenario
        #expect(decoded == summary)
        let text = String(decoding: compact, as: UTF8.self)
        #expect(text.hasPrefix(#"{"bytes":{"received":0,"sent":0},"duration_s":12.5,"ended_at":"#))
        #expect(text.contains(#""error_rate":0.1,"#))
        #expect(text.contains(#""status_counts":{"200":90,"429":8}"#))
    }

    @Test func cachedPromptTokensAreSummedAndOldSummariesStillDecode() throws {
        var recorder = MetricsRecorder()
        for (index, cached) in [0, 640, 1_024].enumerated() {
            recorder.record(RequestOutcome(
                index: index, intendedStart: 0, actualStart: 0, end: 10 * Self.ms, status: 200,
                usage: TokenUsage(prompt: 1_100, completion: 10, cachedPrompt: cached)))
        }
        let summary = RunSummary.make(
            recorder: recorder, measuredWindow: MeasuredWindow(warmupEnd: 0, recorder: recorder),
            duration: .seconds(1), scenario: .object([]), startedAt: "2026-11-22T21:00:00.000Z",
            endedAt: "2026-11-22T21:00:01.000Z")
        #expect(summary.tokens.prompt == 3_300)
        #expect(summary.tokens.cachedPrompt == 1_664)
        let text = String(decoding: try summary.jsonData(pretty: false), as: UTF8.self)
        #expect(text.contains(#""tokens":{"cached_prompt":1664,"completion":30,"prompt":3300,"#))
        // A summary written before `cached_prompt` existed decodes with 0.
        let old = text.replacingOccurrences(of: #""cached_prompt":1664,"#, with: "")
        #expect(old != text)
        let decoded = try RunSummary.decode(Data(old.utf8))
        #expect(decoded.tokens.cachedPrompt == 0)
        #expect(decoded.tokens.prompt == 3_300)
    }

    @Test func summaryValidatesAgainstTheSchemaFile() throws {
        let schemaURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/summary.schema.json")
        let schema = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: schemaURL)) as? [String: Any])
        #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        var streaming = MetricsRecorder()
        streaming.record(RequestOutcome(index: 0, intendedStart: 0, actualStart: 0, end: 500 * Self.ms, status: 200,
                                        usage: TokenUsage(prompt: 3, completion: 5), firstTokenAt: 100 * Self.ms,
                                        lastTokenAt: 490 * Self.ms, outputChunks: 5))
        streaming.recordInterTokenGap(97 * Self.ms)
        let withStreaming = RunSummary.make(
            recorder: streaming, measuredWindow: MeasuredWindow(warmupEnd: 0, recorder: streaming),
            duration: .seconds(1), scenario: Self.scenario, startedAt: "2026-11-22T21:00:00.000Z",
            endedAt: "2026-11-22T21:00:01.000Z")
        var withCost = Self.knownSummary()
        withCost.cost = CostSummary(
            recorder: Self.knownRecorder(), model: "m",
            table: PriceTable(date: "2026-10-04", source: "test", models: ["m": .init(input: 1, output: 2)]),
            promptsToProcess: 100, budget: CostSummary.Budget(maxUSD: 1, spentUSD: 0.01, stopped: false))
        #expect(withCost.cost?.cachedInputPer1MUSD == 1)
        for summary in [Self.knownSummary(), withStreaming, withCost] {
            let json = try JSONSerialization.jsonObject(with: summary.jsonData())
            let problems = SchemaChecker(root: schema).problems(json, schema, path: "$")
            #expect(problems.isEmpty, "\(problems)")
        }
        // The checker does catch a missing key and a wrong type.
        var broken = try #require(JSONSerialization.jsonObject(with: Self.knownSummary().jsonData()) as? [String: Any])
        broken["requests"] = nil
        broken["error_rate"] = "high"
        #expect(SchemaChecker(root: schema).problems(broken, schema, path: "$").count == 2)
    }
}

/// A structural check of the JSON Schema subset docs/summary.schema.json uses: `type`, `required`,
/// `properties`, `additionalProperties`, `$ref`, `const`, `enum`, `items`, `prefixItems`, `minimum`, `maximum`,
/// `propertyNames`.
struct SchemaChecker {
    let root: [String: Any]

    func problems(_ value: Any, _ schema: [String: Any], path: String) -> [String] {
        if let reference = schema["$ref"] as? String {
            let name = reference.replacingOccurrences(of: "#/$defs/", with: "")
            guard let definitions = root["$defs"] as? [String: Any], let target = definitions[name] as? [String: Any]
            else { return ["\(path): unresolved \(reference)"] }
            return problems(value, target, path: path)
        }
        var found: [String] = []
        if let type = schema["type"] as? String, !Self.matches(value, type) {
            return ["\(path): expected \(type), found \(value)"]
        }
        if let constant = schema["const"], "\(constant)" != "\(value)" { found.append("\(path): expected \(constant)") }
        if let number = value as? NSNumber, !Self.isBoolean(value) {
            if let minimum = schema["minimum"] as? Double, number.doubleValue < minimum { found.append("\(path): < min") }
            if let maximum = schema["maximum"] as? Double, number.doubleValue > maximum { found.append("\(path): > max") }
        }
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                found.append("\(path): missing \(key)")
            }
            for (key, member) in object {
                if let names = schema["propertyNames"] as? [String: Any], let allowed = names["enum"] as? [String],
                   !allowed.contains(key) {
                    found.append("\(path): key \(key) not allowed")
                }
                if let sub = properties[key] as? [String: Any] {
                    found += problems(member, sub, path: "\(path).\(key)")
                } else if let extra = schema["additionalProperties"] as? [String: Any] {
                    found += problems(member, extra, path: "\(path).\(key)")
                } else if schema["additionalProperties"] as? Bool == false {
                    found.append("\(path): unexpected key \(key)")
                }
            }
        }
        if let array = value as? [Any] {
            let prefix = schema["prefixItems"] as? [[String: Any]] ?? []
            for (index, item) in array.enumerated() {
                if index < prefix.count {
                    found += problems(item, prefix[index], path: "\(path)[\(index)]")
                } else if let items = schema["items"] as? [String: Any] {
                    found += problems(item, items, path: "\(path)[\(index)]")
                }
            }
        }
        return found
    }

    /// JSONSerialization yields booleans as NSNumber with the `c` (char) type on every platform.
    static func isBoolean(_ value: Any) -> Bool {
        guard let number = value as? NSNumber else { return false }
        return String(cString: number.objCType) == "c"
    }

    static func matches(_ value: Any, _ type: String) -> Bool {
        switch type {
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        case "boolean": return Self.isBoolean(value)
        case "integer":
            guard let number = value as? NSNumber, !isBoolean(value) else { return false }
            return number.doubleValue == number.doubleValue.rounded()
        case "number":
            return value is NSNumber && !isBoolean(value)
        default: return true
        }
    }
}
