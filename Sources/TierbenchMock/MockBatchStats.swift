/// What `/mock/stats` reports about the Files and Batches APIs (`MockStats.batches`).
public struct MockBatchStats: Codable, Sendable, Equatable {
    /// Files uploaded with `POST /v1/files` and their bytes.
    public var filesUploaded = 0
    public var fileBytesUploaded = 0
    /// Files stored now (uploads and batch outputs, less deleted ones; a live value).
    public var files = 0
    /// Batches created (`POST /v1/batches` answered 200).
    public var batchesCreated = 0
    /// Batches by current status (`validating`, `in_progress`, `completed`, …; a live value).
    public var byStatus: [String: Int] = [:]
    /// Batch lines executed with a 2xx, executed with an error status (error file), and expired unexecuted.
    public var linesSucceeded = 0
    public var linesFailed = 0
    public var linesExpired = 0
    /// Spend in USD of the batch lines that finished OK, at the Batch API price (`PriceTable.batchUSD`). Batch lines
    /// count toward `spend_budget_usd` at this price too.
    public var spendUSD = 0.0

    public init() {}
}
