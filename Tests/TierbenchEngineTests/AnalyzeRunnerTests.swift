import Foundation
import Testing
import TierbenchCore
@testable import TierbenchEngine

/// `AnalyzeRunner.run`: reads files in chunks, writes the four outputs, takes the model from a summary.json beside
/// the log, refuses unreadable or unknown input with exit 65.
struct AnalyzeRunnerTests {
    private func directory() throws -> String {
        let path = NSTemporaryDirectory() + "tierbench-analyze-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func writesEveryOutputBesideTheLog() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // 3,000 rows, the last without a newline (chunk boundaries: smallChunksReadTheSameLines).
        var text = ""
        for index in 0..<3_000 {
            text += #"{"i":\#(index),"sent_at":"2026-12-05T10:00:00.000Z","t_ms":\#(Double(index) * 10),"latency_ms":12.5,"#
                + #""status":200,"prompts":1,"prompt_tokens":100,"completion_tokens":20,"total_tokens":120}"#
            if index < 2_999 { text += "\n" }
        }
        try text.write(toFile: dir + "/requests.jsonl", atomically: true, encoding: .utf8)
        try #"{"scenario": {"model": "gpt-4o-mini"}}"#.write(toFile: dir + "/summary.json", atomically: true, encoding: .utf8)
        let outcome = try AnalyzeRunner.run(.init(files: [dir + "/requests.jsonl"]))
        #expect(outcome.directory == dir + "/analysis")
        #expect(outcome.written.map { ($0 as NSString).lastPathComponent }
            == ["analysis.html", "analysis.md", "analysis.json", "workload-profile.yaml"])
        #expect(outcome.modelSource == dir + "/summary.json")
        let requests = try #require(outcome.analysis.requests)
        #expect(requests.rows == 3_000)
        #expect(requests.arrivals.ratePerS == 100)
        #expect(requests.byModel.first?.model == "gpt-4o-mini")
        #expect(requests.byModel.first?.costUSD != nil)
        let json = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: URL(fileURLWithPath: dir + "/analysis/analysis.json")))
        #expect(json["requests"]?["arrivals"]?["rate_per_s"] == .double(100) || json["requests"]?["arrivals"]?["rate_per_s"] == .int(100))
        let html = try String(contentsOfFile: dir + "/analysis/analysis.html", encoding: .utf8)
        #expect(html.contains("id=\"chart-frequency-1s\""))
        #expect(html.contains("id=\"chart-latency-distribution\""))
        let profile = try String(contentsOfFile: dir + "/analysis/workload-profile.yaml", encoding: .utf8)
        let scenario = try ScenarioLoader.parse(text: profile, fileName: "workload-profile.yaml")
        #expect(scenario.load.rate == 100)
        #expect(scenario.load.arrival == .constant)
        #expect(scenario.model == "gpt-4o-mini")
    }

    @Test func smallChunksReadTheSameLines() throws {
        // Lines of 1–300 bytes and one of 500 (longer than the 64-byte chunk), LF and CRLF endings, no final newline:
        // read in 64-byte chunks they are the same lines, and give the same figures, as in one read.
        let dir = try directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var expectedLines: [[UInt8]] = []
        var validRows = 0
        var promptSum = 0
        var file: [UInt8] = []
        for index in 0..<400 {
            let length = index == 0 ? 200 : index == 7 ? 500 : 1 + (index * 37) % 300
            let row = #"{"i":\#(index),"t_ms":\#(index * 10),"latency_ms":5,"status":200,"prompts":1,"prompt_tokens":\#(index),"pad":""}"#
            var line: [UInt8]
            if length >= row.utf8.count {
                line = Array(row.utf8.dropLast(2)) + Array(repeating: UInt8(ascii: "p"), count: length - row.utf8.count)
                    + Array(#""}"#.utf8)
                validRows += 1
                promptSum += index
            } else {
                line = Array(repeating: UInt8(ascii: "x"), count: length)
            }
            let crlf = index % 3 == 0
            if crlf { line.append(13) }
            #expect(line.count == length + (crlf ? 1 : 0))
            expectedLines.append(line)
            file += line
            if index < 399 { file.append(10) }
        }
        let path = dir + "/requests.jsonl"
        try Data(file).write(to: URL(fileURLWithPath: path))
        func read(chunk: Int) throws -> (lines: [[UInt8]], analysis: LogAnalysis) {
            var lines: [[UInt8]] = []
            var analyzer = LogAnalyzer(options: AnalyzeOptions(prices: PriceTable(date: "", source: "", models: [:])))
            analyzer.beginFile(path)
            try AnalyzeFileReader.forEachLine(path, chunkSize: chunk) { line in
                lines.append(Array(line))
                analyzer.feed(line)
                return true
            }
            analyzer.endFile()
            return (lines, analyzer.finish())
        }
        let small = try read(chunk: 64)
        let whole = try read(chunk: AnalyzeFileReader.chunkSize)
        #expect(file.count > 64 * 100)
        #expect(small.lines == expectedLines)
        #expect(whole.lines == expectedLines)
        for result in [small, whole] {
            #expect(result.analysis.files.first?.lines == 400)
            #expect(result.analysis.requests?.rows == validRows)
            #expect(result.analysis.badRows == 400 - validRows)
            #expect(result.analysis.requests?.promptTokens?.sum == promptSum)
        }
        #expect(validRows > 100 && validRows < 400)
    }

    @Test func overlongLineIsABadRowAndSkipped() throws {
        // A 100-byte cap: the 300-byte line (split over several 16-byte reads) is one bad row, the rows around it
        // are read, and the line after it starts right after its line break.
        let dir = try directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let good = #"{"t_ms":1,"latency_ms":5,"status":200}"#
        let text = good + "\n" + String(repeating: "y", count: 300) + "\n" + good + "\n"
            + String(repeating: "z", count: 101)  // too long, last, without a newline
        let path = dir + "/r.jsonl"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        var lines: [String] = []
        var tooLong = 0
        try AnalyzeFileReader.forEachLine(path, chunkSize: 16, maxLine: 100, tooLong: {
            tooLong += 1
            lines.append("<too long>")
            return true
        }) { line in
            lines.append(String(decoding: line, as: UTF8.self))
            return true
        }
        #expect(lines == [good, "<too long>", good, "<too long>"])
        #expect(tooLong == 2)
        // A line of exactly the cap is still a line.
        try (String(repeating: "w", count: 100) + "\n" + good).write(toFile: path, atomically: true, encoding: .utf8)
        lines = []
        try AnalyzeFileReader.forEachLine(path, chunkSize: 16, maxLine: 100, tooLong: { Issue.record("not too long"); return true }) {
            lines.append(String(decoding: $0, as: UTF8.self))
            return true
        }
        #expect(lines.map(\.count) == [100, good.count])
    }

    @Test func byteOrderMarkAndTooLongRowsInTheAnalysis() throws {
        var analyzer = LogAnalyzer(options: AnalyzeOptions(prices: PriceTable(date: "", source: "", models: [:])))
        analyzer.beginFile("r.jsonl")
        analyzer.feed("\u{FEFF}" + #"{"t_ms":1,"latency_ms":5,"status":200}"#)
        analyzer.feedTooLong(limit: 64)
        analyzer.feed(#"{"t_ms":2,"latency_ms":5,"status":200}"#)
        analyzer.endFile()
        let analysis = analyzer.finish()
        #expect(analyzer.fileError == nil)
        #expect(analysis.requests?.rows == 2)
        #expect(analysis.badRows == 1)
        #expect(analysis.badRowsListed.first?.description == "r.jsonl:2: line longer than 64 bytes (skipped to the next line break)")
    }

    @Test func modelFromTheSummaryBesideEachFile() throws {
        // Two result directories of runs against different models: each log's rows take their own directory's model.
        let dir = try directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (name, model, rows) in [("a", "gpt-4o-mini", 3), ("b", "gpt-4o", 2)] {
            try FileManager.default.createDirectory(atPath: dir + "/" + name, withIntermediateDirectories: true)
            let lines = (0..<rows).map { index in
                #"{"i":\#(index),"t_ms":\#(index * 100),"latency_ms":5,"status":200,"prompts":1,"prompt_tokens":10,"completion_tokens":2}"#
            }
            try lines.joined(separator: "\n").write(toFile: dir + "/\(name)/requests.jsonl", atomically: true, encoding: .utf8)
            try #"{"scenario": {"model": "\#(model)"}}"#.write(toFile: dir + "/\(name)/summary.json", atomically: true, encoding: .utf8)
        }
        let files = [dir + "/a/requests.jsonl", dir + "/b/requests.jsonl"]
        let outcome = try AnalyzeRunner.run(.init(files: files, outputDirectory: dir + "/out", formats: [.json]))
        let models = Dictionary(uniqueKeysWithValues: (outcome.analysis.requests?.byModel ?? []).map { ($0.model, $0.requests) })
        #expect(models == ["gpt-4o-mini": 3, "gpt-4o": 2])
        #expect(outcome.modelSource == dir + "/a/summary.json, " + dir + "/b/summary.json")
        // --model applies to every file.
        let forced = try AnalyzeRunner.run(.init(files: files, outputDirectory: dir + "/out", formats: [.json], model: "m"))
        #expect(forced.analysis.requests?.byModel.map(\.model) == ["m"])
        #expect(forced.modelSource == "--model")
    }

    @Test func unknownEmptyOrMissingInputIsExit65() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "timestamp,prompt_tokens\n0,5\n".write(toFile: dir + "/trace.csv", atomically: true, encoding: .utf8)
        try "\n\n".write(toFile: dir + "/empty.jsonl", atomically: true, encoding: .utf8)
        for path in [dir + "/trace.csv", dir + "/empty.jsonl", dir + "/missing.jsonl"] {
            do {
                _ = try AnalyzeRunner.run(.init(files: [path], outputDirectory: dir + "/out"))
                Issue.record("expected an error for \(path)")
            } catch {
                #expect(error.exitCode == 65)
                #expect(error.description.contains(path))
            }
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/out"))
    }

    @Test func forcedKindAndChosenFormats() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try #"{"timestamp": 0, "prompt_tokens": 5}"#.write(toFile: dir + "/t.jsonl", atomically: true, encoding: .utf8)
        // Forced to be a session log, the trace row is a bad row: nothing usable, exit 65 naming the line.
        do {
            _ = try AnalyzeRunner.run(.init(files: [dir + "/t.jsonl"], kind: .sessions, outputDirectory: dir + "/o"))
            Issue.record("expected an error")
        } catch {
            #expect(error.exitCode == 65)
            #expect(error.description.contains("t.jsonl:1: no outcome"))
        }
        let outcome = try AnalyzeRunner.run(.init(files: [dir + "/t.jsonl"], kind: .trace, outputDirectory: dir + "/o",
                                                  formats: [.json]))
        #expect(outcome.written.map { ($0 as NSString).lastPathComponent } == ["analysis.json", "workload-profile.yaml"])
        #expect(outcome.analysis.requests?.rows == 1)
    }

    @Test func analysesTheLogOfARealRun() async throws {
        // An open-loop Poisson run against the mock: analyze reads its requests.jsonl and takes the model from its
        // summary.json; arrivals are the intended send times, so the gaps are the schedule's.
        let scenario = try TestScenario("""
            version: 1
            name: analyze-e2e
            model: gpt-4o-mini
            prompts: { inline: ["hello"] }
            load: { rate: 200, arrival: poisson, requests: 400, max_in_flight: 64 }
            mock: { latency: 2ms, seed: 3 }
            """)
        defer { scenario.cleanup() }
        _ = try await Runner.run(scenario.options())
        let outcome = try AnalyzeRunner.run(.init(files: [scenario.output + "/requests.jsonl"]))
        #expect(outcome.modelSource == scenario.output + "/summary.json")
        let requests = try #require(outcome.analysis.requests)
        #expect(requests.rows == 400)
        #expect(requests.failed == 0)
        #expect(outcome.analysis.badRows == 0)
        #expect(requests.arrivals.count == 400)
        #expect(requests.arrivals.outOfOrder == 0)
        #expect(requests.arrivals.cv > 0.75 && requests.arrivals.cv < 1.25)
        #expect(requests.latencyMs?.count == 400)
        #expect(requests.byModel.map(\.model) == ["gpt-4o-mini"])
        #expect(requests.byModel.first?.costUSD != nil)
    }
}
