/// Counts of files, batches and lines (`MockStats.batches`).
struct BatchCounters: Sendable, Equatable {
    var filesUploaded = 0
    var fileBytesUploaded = 0
    var batchesCreated = 0
    var linesSucceeded = 0
    var linesFailed = 0
    var linesExpired = 0
    /// Spend of the lines that finished OK, at the batch price (not a metric; `advance(to:)` leaves it).
    var spendUSD = 0.0

    /// Moves every count forward to `totals` (never backwards) and returns by how much each moved.
    mutating func advance(to totals: BatchCounters) -> BatchCounters {
        func step(_ value: inout Int, _ total: Int) -> Int {
            let added = max(0, total - value)
            value += added
            return added
        }
        var added = BatchCounters()
        added.filesUploaded = step(&filesUploaded, totals.filesUploaded)
        added.fileBytesUploaded = step(&fileBytesUploaded, totals.fileBytesUploaded)
        added.batchesCreated = step(&batchesCreated, totals.batchesCreated)
        added.linesSucceeded = step(&linesSucceeded, totals.linesSucceeded)
        added.linesFailed = step(&linesFailed, totals.linesFailed)
        added.linesExpired = step(&linesExpired, totals.linesExpired)
        return added
    }
}
