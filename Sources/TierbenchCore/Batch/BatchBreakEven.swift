/// The job size at which the Batch API finishes no later than synchronous calls: the smallest N with
/// `batch.seconds(forLines: ⌈N / promptsPerLine⌉) ≤ sync.seconds(forPrompts: N)`.
public enum BatchBreakEven {
    /// The largest job size searched.
    public static let searchLimit = 100_000_000

    /// - Parameters:
    ///   - promptsPerLine: prompts one batch line carries (the batch size of its body).
    /// - Returns: the break-even N, or nil when the batch is slower at every size up to `searchLimit`.
    public static func jobSize(sync: SyncJobModel, batch: BatchJobModel, promptsPerLine: Int = 1) -> Int? {
        let perLine = max(promptsPerLine, 1)
        func batchWins(_ prompts: Int) -> Bool {
            batch.seconds(forLines: SyncJobModel.ceilingDivide(prompts, perLine)) <= sync.seconds(forPrompts: prompts)
        }
        // Both curves are piecewise linear with kinks at day budgets and batch rounds: scan a fine geometric
        // grid for the first size where the batch wins, then narrow down between it and the previous size.
        var previous = 0
        var size = 1
        while size <= searchLimit {
            if batchWins(size) {
                var low = previous  // batch loses at `low` (or low == 0)
                var high = size
                while high - low > 1 {
                    let middle = low + (high - low) / 2
                    if batchWins(middle) { high = middle } else { low = middle }
                }
                return high
            }
            previous = size
            size = max(size + 1, Int(Double(size) * 1.05))
        }
        return nil
    }
}
