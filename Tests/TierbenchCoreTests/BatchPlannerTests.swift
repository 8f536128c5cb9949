import Testing
@testable import TierbenchCore

/// `BatchPlanner`: every shard respects every limit at once, lines keep their order, a line that fits nowhere is
/// named.
@Suite struct BatchPlannerTests {
    /// Checks the invariants of a plan over `lines`.
    func checkPlan(_ shards: [BatchPlanner.Shard], lines: [BatchPlanner.Line], limits: BatchPlanner.Limits) {
        var next = 0
        for shard in shards {
            #expect(shard.firstLine == next)
            let members = lines[shard.firstLine..<shard.firstLine + shard.lineCount]
            #expect(shard.lineCount >= 1 && shard.lineCount <= limits.maxLines)
            #expect(shard.byteCount == members.reduce(0) { $0 + $1.byteCount })
            #expect(shard.byteCount <= limits.maxBytes)
            #expect(shard.inputTokens == members.reduce(0) { $0 + $1.inputTokens })
            if let budget = limits.maxInputTokens { #expect(shard.inputTokens <= budget) }
            #expect(shard.embeddingInputs <= limits.maxEmbeddingInputs)
            next += shard.lineCount
        }
        #expect(next == lines.count)
    }

    @Test func splitsOnTheLineLimit() throws {
        let lines = Array(repeating: BatchPlanner.Line(byteCount: 100, inputTokens: 10), count: 120_001)
        let limits = BatchPlanner.Limits()
        let shards = try BatchPlanner.plan(lines, limits: limits)
        #expect(shards.map(\.lineCount) == [50_000, 50_000, 20_001])
        checkPlan(shards, lines: lines, limits: limits)
    }

    @Test func splitsOnTheByteLimit() throws {
        // 1 MiB lines: 200 fit in 209,715,200 bytes exactly.
        let lines = Array(repeating: BatchPlanner.Line(byteCount: 1_048_576, inputTokens: 1), count: 450)
        let limits = BatchPlanner.Limits()
        let shards = try BatchPlanner.plan(lines, limits: limits)
        #expect(shards.map(\.lineCount) == [200, 200, 50])
        #expect(shards[0].byteCount == BatchLimits.maxInputBytes)
        checkPlan(shards, lines: lines, limits: limits)
    }

    @Test func splitsOnTheTokenBudget() throws {
        let lines = (0..<1_000).map { BatchPlanner.Line(byteCount: 200, inputTokens: 50 + $0 % 97) }
        let limits = BatchPlanner.Limits(maxInputTokens: 9_000)
        let shards = try BatchPlanner.plan(lines, limits: limits)
        #expect(shards.count > 1)
        checkPlan(shards, lines: lines, limits: limits)
        // Greedy: each shard but the last could not take the next line.
        for (shard, following) in zip(shards, shards.dropFirst()) {
            #expect(shard.inputTokens + lines[following.firstLine].inputTokens > 9_000)
        }
    }

    @Test func respectsEveryLimitAtOnce() throws {
        var generator = SplitMix64(seed: 7)
        let lines = (0..<20_000).map { _ in
            BatchPlanner.Line(byteCount: 50 + Int(generator.next() % 5_000), inputTokens: 1 + Int(generator.next() % 400),
                              embeddingInputs: Int(generator.next() % 3))
        }
        let limits = BatchPlanner.Limits(maxLines: 3_000, maxBytes: 4_000_000, maxEmbeddingInputs: 2_500,
                                         maxInputTokens: 250_000)
        let shards = try BatchPlanner.plan(lines, limits: limits)
        checkPlan(shards, lines: lines, limits: limits)
        #expect(shards.count >= 7)
    }

    @Test func splitsOnEmbeddingInputs() throws {
        let lines = Array(repeating: BatchPlanner.Line(byteCount: 10, inputTokens: 1, embeddingInputs: 100), count: 1_001)
        let shards = try BatchPlanner.plan(lines, limits: BatchPlanner.Limits())
        #expect(shards.map(\.lineCount) == [500, 500, 1])
    }

    @Test func aLineOverTheBudgetIsNamed() {
        let lines = [BatchPlanner.Line(byteCount: 10, inputTokens: 5), BatchPlanner.Line(byteCount: 10, inputTokens: 500)]
        #expect(throws: BatchPlanError.self) {
            try BatchPlanner.plan(lines, limits: BatchPlanner.Limits(maxInputTokens: 100))
        }
        do {
            _ = try BatchPlanner.plan(lines, limits: BatchPlanner.Limits(maxInputTokens: 100))
        } catch {
            #expect(error.line == 2)
            #expect(error.description.contains("--queue-limit"))
        }
    }

    @Test func customIDsAreStableAndOrdered() {
        #expect(BatchInputLine.customID(index: 0) == "req-000001")
        #expect(BatchInputLine.customID(index: 49_999) == "req-050000")
        #expect(BatchInputLine.customID(index: 1_234_566) == "req-1234567")
        let line = String(decoding: BatchInputLine.bytes(customID: "req-000001", url: "/v1/chat/completions",
                                                         body: Array("{\"model\":\"m\"}".utf8)), as: UTF8.self)
        #expect(line == "{\"custom_id\":\"req-000001\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"m\"}}")
    }
}
