import Foundation
import Testing
import TierbenchCore
@testable import TierbenchEngine

/// The batch API client against a scripted server: 429/503 answers are retried no sooner than `retry-after-ms` /
/// `retry-after` asks; a create (POST) is not repeated after a 500; a key the server echoes never reaches an error.
@Suite(.serialized) struct BatchAPIClientTests {
    static let batchJSON = #"{"id":"batch_1","object":"batch","endpoint":"/v1/chat/completions","input_file_id":"file-1","completion_window":"24h","status":"in_progress","created_at":1000,"output_file_id":"","error_file_id":null,"request_counts":{"total":2,"completed":1,"failed":0}}"#

    static func client(_ server: BatchScriptedServer, key: String? = nil) throws -> BatchAPIClient {
        let target = ResolvedTarget(baseURL: "http://127.0.0.1:\(server.port)/v1", apiKeyEnv: key == nil ? nil : "K",
                                    headers: [], isMock: false)
        var client = try BatchAPIClient(target: target, environment: key.map { ["K": $0] } ?? [:], scenarioPath: "s.yaml")
        client.retry = BatchBackoff(initial: 0.01, cap: 0.05)
        return client
    }

    @Test func statusPollsWaitAsLongAsRetryAfterAsks() async throws {
        let server = try BatchScriptedServer([
            .init(status: 429, headers: ["retry-after-ms: 300"], body: #"{"error":{"message":"slow down","code":"rate_limit_exceeded"}}"#),
            .init(status: 503, headers: ["retry-after: 1"], body: #"{"error":{"message":"busy"}}"#),
            .init(status: 200, body: Self.batchJSON),
        ])
        defer { server.stop() }
        let client = try Self.client(server)
        defer { client.shutdown() }
        let batch = try await client.retrieveBatch("batch_1")
        #expect(batch.status == .inProgress)
        #expect(batch.outputFileID == nil)  // "" reads as no file
        let times = server.requests.map(\.0)
        #expect(times.count == 3)
        #expect(times[1].timeIntervalSince(times[0]) >= 0.29)
        #expect(times[2].timeIntervalSince(times[1]) >= 0.99)
    }

    @Test func aCreateIsNotResentAfterAServerError() async throws {
        let server = try BatchScriptedServer([.init(status: 500, body: #"{"error":{"message":"oops"}}"#)])
        defer { server.stop() }
        let client = try Self.client(server)
        defer { client.shutdown() }
        do {
            _ = try await client.createBatch(inputFileID: "file-1", endpoint: "/v1/chat/completions", metadata: [])
            Issue.record("a 500 create succeeded")
        } catch {
            #expect(error.status == 500 && error.isTransient)
        }
        #expect(server.requests.count == 1)
    }

    @Test func aTransferCutAfterItsHeadersIsATransientTransportFailure() async throws {
        let server = try BatchScriptedServer([
            .init(status: 200, body: #"{"id":"batch_1","#, contentLength: 5_000),
            .init(status: 200, body: Self.batchJSON),
        ])
        defer { server.stop() }
        let client = try Self.client(server)
        defer { client.shutdown() }
        let batch = try await client.retrieveBatch("batch_1")
        #expect(batch.status == .inProgress)
        #expect(server.requests.count == 2)  // retried, not reported as a final HTTP 200 error

        let cut = try BatchScriptedServer([.init(status: 200, body: "{", contentLength: 100)])
        defer { cut.stop() }
        var once = try Self.client(cut)
        once.maxAttempts = 1
        defer { once.shutdown() }
        do {
            _ = try await once.retrieveBatch("batch_1")
            Issue.record("a cut transfer succeeded")
        } catch {
            #expect(error.status == 0 && error.isTransient)
            #expect(error.message.contains("curl error"))
        }
    }

    @Test func anUndecodableBatchInAListIsSkippedAndCounted() async throws {
        let tagged = Self.batchJSON.replacingOccurrences(
            of: #""id":"batch_1""#, with: #""id":"batch_2","metadata":{"tierbench_run":"tb-x","tierbench_shard":"0"}"#)
        let odd = #"{"id":"batch_odd","object":"batch","status":"some_new_status"}"#
        let server = try BatchScriptedServer([
            .init(status: 200, body: #"{"object":"list","data":[\#(Self.batchJSON),\#(odd)],"has_more":true}"#),
            .init(status: 200, body: #"{"object":"list","data":[\#(tagged)],"has_more":false}"#),
        ])
        defer { server.stop() }
        let client = try Self.client(server)
        defer { client.shutdown() }
        let found = try await client.findBatch(runID: "tb-x", shard: 0)
        #expect(found?.id == "batch_2")
        // The cursor of the second page is the undecodable last item's id.
        #expect(server.requests.last?.1.contains("after=batch_odd") == true)
    }

    @Test func aTaggedCreateIsLookedUpBeforeItIsSentAgain() async throws {
        let tagged = Self.batchJSON.replacingOccurrences(
            of: #""id":"batch_1""#, with: #""id":"batch_9","metadata":{"tierbench_run":"tb-c","tierbench_shard":"2"}"#)
        let server = try BatchScriptedServer([
            .init(status: 503, body: #"{"error":{"message":"busy"}}"#),
            .init(status: 200, body: #"{"object":"list","data":[\#(tagged)],"has_more":false}"#),
        ])
        defer { server.stop() }
        let client = try Self.client(server)
        defer { client.shutdown() }
        let batch = try await client.createBatch(inputFileID: "file-1", endpoint: "/v1/chat/completions", metadata: [
            .init("tierbench_run", .string("tb-c")), .init("tierbench_shard", .string("2")),
        ])
        #expect(batch.id == "batch_9")
        let lines = server.requests.map { $0.1.split(separator: "\r\n").first.map(String.init) ?? "" }
        #expect(lines.count == 2 && lines[0].hasPrefix("POST /v1/batches") && lines[1].hasPrefix("GET /v1/batches"))
    }

    @Test func anUntaggedCreateIsNotResentAfterA503() async throws {
        let server = try BatchScriptedServer([.init(status: 503, body: #"{"error":{"message":"busy"}}"#)])
        defer { server.stop() }
        let client = try Self.client(server)
        defer { client.shutdown() }
        do {
            _ = try await client.createBatch(inputFileID: "file-1", endpoint: "/v1/chat/completions", metadata: [])
            Issue.record("a 503 create succeeded")
        } catch {
            #expect(error.status == 503)
        }
        #expect(server.requests.count == 1)
    }

    @Test func anUploadIsLookedUpByNameBeforeItIsSentAgain() async throws {
        let server = try BatchScriptedServer([
            .init(status: 503, body: #"{"error":{"message":"busy"}}"#),
            .init(status: 200, body: #"{"object":"list","data":[{"id":"file-7","object":"file","bytes":3,"created_at":1,"filename":"tb-u-input-001.jsonl","purpose":"batch","status":"processed"}],"has_more":false}"#),
        ])
        defer { server.stop() }
        let client = try Self.client(server)
        defer { client.shutdown() }
        let path = NSTemporaryDirectory() + "tierbench-upload-" + UUID().uuidString
        try "{}\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        let file = try await client.uploadFile(path: path, fileName: "tb-u-input-001.jsonl")
        #expect(file.id == "file-7")
        #expect(server.requests.count == 2)
        #expect(server.requests.last?.1.hasPrefix("GET /v1/files") == true)
    }

    @Test func findBatchStopsAtBatchesOlderThanTheRun() async throws {
        let server = try BatchScriptedServer([
            .init(status: 200, body: #"{"object":"list","data":[\#(Self.batchJSON)],"has_more":true}"#),
        ])
        defer { server.stop() }
        let client = try Self.client(server)
        defer { client.shutdown() }
        #expect(try await client.findBatch(runID: "tb-none", shard: 0, createdSince: 5_000) == nil)
        #expect(server.requests.count == 1)  // created_at 1000 < 5000: no second page
    }

    @Test func anEchoedKeyIsRedactedFromErrors() async throws {
        let key = "sk-test-echoed-4f9a1c"
        let server = try BatchScriptedServer([
            .init(status: 401, body: #"{"error":{"message":"Incorrect API key provided: Bearer \#(key)","code":"invalid_api_key"}}"#),
        ])
        defer { server.stop() }
        let client = try Self.client(server, key: key)
        defer { client.shutdown() }
        do {
            _ = try await client.retrieveBatch("batch_1")
            Issue.record("a 401 succeeded")
        } catch {
            #expect(error.status == 401)
            #expect(!error.description.contains(key))
            #expect(error.description.contains("[REDACTED]"))
            #expect(error.description.contains("target.api_key_env"))
        }
        #expect(server.requests.first?.1.contains("Authorization: Bearer \(key)") == true)
    }
}
