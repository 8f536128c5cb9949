import Testing
@testable import TierbenchCore

struct TraceParserTests {
    @Test func jsonlRowsAndOffsets() throws {
        let text = """
            {"timestamp": 100.0, "prompt": "hello", "max_tokens": 5}

            {"timestamp": 100.25, "prompt_tokens": 40}
            {"timestamp": 101.5, "prompt": "bye", "max_tokens": null}
            """
        let trace = try TraceParser.parse(text, format: .jsonl, file: "t.jsonl")
        #expect(trace.records == [
            TraceRecord(timestamp: 100, prompt: "hello", maxTokens: 5),
            TraceRecord(timestamp: 100.25, promptTokens: 40),
            TraceRecord(timestamp: 101.5, prompt: "bye"),
        ])
        #expect(trace.sendOffsets(speed: 1) == [0, 250_000_000, 1_500_000_000])
        #expect(trace.sendOffsets(speed: 2) == [0, 125_000_000, 750_000_000])
        #expect(trace.peakPerSecond(speed: 1) == 2)
        #expect(trace.peakPerSecond(speed: 2) == 3)
    }

    /// Found by the FuzzTrace fuzzer (Tests/Fuzz/corpus/FuzzTrace/crash-sendoffsets-tiny-speed): a 25 s trace at
    /// speed 1e-9 (a speed the scenario accepts) trapped converting 2.5e19 ns to UInt64.
    @Test func sendOffsetsSaturateInsteadOfTrapping() throws {
        let trace = try TraceParser.parse("timestamp,prompt_tokens\n0,100\n25,100\n", format: .csv, file: "t.csv")
        #expect(trace.sendOffsets(speed: 1e-9) == [0, 18_000_000_000_000_000_000])
        #expect(trace.peakPerSecond(speed: 1e-9) == 1)
        let wide = Trace(records: [TraceRecord(timestamp: -1e308, promptTokens: 1), TraceRecord(timestamp: 1e308, promptTokens: 1)])
        #expect(wide.sendOffsets(speed: 1) == [0, 18_000_000_000_000_000_000])
        #expect(Trace(records: [TraceRecord(timestamp: 0, promptTokens: 1)]).sendOffsets(speed: .infinity) == [0])
    }

    @Test func csvWithHeaderAndQuotes() throws {
        let text = "max_tokens,timestamp,prompt,prompt_tokens\r\n"
            + "10,0,\"say \"\"hi\"\", then stop\",\n"
            + ",0.5,,12\n"
            + "3,1,\"two\nlines\",\n"
        let trace = try TraceParser.parse(text, format: .csv, file: "t.csv")
        #expect(trace.records == [
            TraceRecord(timestamp: 0, prompt: #"say "hi", then stop"#, maxTokens: 10),
            TraceRecord(timestamp: 0.5, promptTokens: 12),
            TraceRecord(timestamp: 1, prompt: "two\nlines", maxTokens: 3),
        ])
    }

    @Test func errorsNameFileLineAndFix() {
        func failure(_ text: String, _ format: TraceSettings.Format = .jsonl) -> String {
            do {
                _ = try TraceParser.parse(text, format: format, file: "t")
                return ""
            } catch {
                return error.description
            }
        }
        #expect(failure(#"{"timestamp": 1, "prompt": "a"}"# + "\n" + #"{"timestamp": 0.5, "prompt": "b"}"#)
            .hasPrefix("t:2: load.trace.file: timestamp 0.5 is earlier"))
        #expect(failure(#"{"timestamp": 1, "promt": "a"}"#).contains("did you mean 'prompt'?"))
        #expect(failure(#"{"timestamp": 1}"#).contains("t:1: load.trace.file: the row has neither prompt nor prompt_tokens"))
        #expect(failure(#"{"timestamp": 1, "prompt": "a", "prompt_tokens": 3}"#).contains("both prompt and prompt_tokens"))
        #expect(failure(#"{"timestamp": 1, "prompt_tokens": 2.5}"#).contains("not a whole number"))
        #expect(failure("{nope").contains("t:1: load.trace.file: not valid JSON"))
        #expect(failure("", .jsonl).contains("the trace has no rows"))
        #expect(failure("timestamp,prompt\n1,a,b\n", .csv).contains("t:2: load.trace.file: 3 fields, the header has 2"))
        #expect(failure("time,prompt\n1,a\n", .csv).contains("unknown column 'time'"))
        #expect(failure("timestamp,prompt\nsoon,a\n", .csv).contains("timestamp 'soon' is not a number"))
        #expect(failure("timestamp,prompt\n1,\"a\n", .csv).contains("never closed"))
    }
}
