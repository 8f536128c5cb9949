import Testing

@testable import TierbenchCore

@Suite("Batch and File objects")
struct BatchObjectTests {
    @Test func aBatchRoundTripsThroughItsJSON() throws {
        var batch = BatchObject(
            id: "batch_0123", endpoint: "/v1/chat/completions", inputFileID: "file-in", status: .completed,
            createdAt: 1_711_471_533)
        batch.expiresAt = 1_711_557_933
        batch.inProgressAt = 1_711_471_538
        batch.outputFileID = "file-out"
        batch.requestCounts = .init(total: 100, completed: 95, failed: 5)
        batch.usage = .init(inputTokens: 2_400, outputTokens: 1_500)
        batch.metadata = [.init("parent_batch", .string("batch_old"))]
        batch.errors = [.invalidURL(line: 3)]
        let text = batch.jsonText
        #expect(text.hasPrefix(#"{"id":"batch_0123","object":"batch","endpoint":"/v1/chat/completions""#))
        let decoded = try BatchObject(json: JSONValue.parse(Substring(text)))
        #expect(decoded == batch)
        #expect(decoded.usage?.totalTokens == 3_900)
        #expect(decoded.metadataValue("parent_batch") == "batch_old")
    }

    @Test func decodingIsLenientAboutNullsUnknownFieldsAndEmptyFileIDs() throws {
        let text = #"""
            {"id":"batch_x","object":"batch","status":"in_progress","created_at":5,"output_file_id":"",
             "error_file_id":null,"something_new":{"a":1},"request_counts":{"total":2,"completed":1}}
            """#
        let batch = try BatchObject(json: JSONValue.parse(Substring(text)))
        #expect(batch.status == .inProgress)
        #expect(batch.outputFileID == nil && batch.errorFileID == nil)
        #expect(batch.requestCounts == .init(total: 2, completed: 1, failed: 0))
        #expect(batch.errors == nil && batch.usage == nil)
    }

    @Test func hostileFieldsAreRefusedNotTrappedOn() throws {
        for text in [
            #"{"id":"b","status":"dancing"}"#, #"{"status":"completed"}"#,
            #"{"id":"b","status":"completed","created_at":-1}"#,
            #"{"id":"b","status":"completed","created_at":1e300}"#,
            #"{"id":"b","status":"completed","request_counts":{"total":"many"}}"#,
        ] {
            #expect(throws: BatchDecodeError.self) { try BatchObject(json: JSONValue.parse(Substring(text))) }
        }
    }

    @Test func aFileRoundTrips() throws {
        let file = FileObject(
            id: "file-abc", bytes: 120_000, createdAt: 1_677_610_602, expiresAt: 1_680_202_602,
            filename: "batchinput.jsonl", purpose: "batch")
        #expect(try FileObject(json: JSONValue.parse(Substring(file.jsonText))) == file)
    }
}
