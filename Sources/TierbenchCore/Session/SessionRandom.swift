/// The random stream of one session: its planned turn count, then the think time before each of its turns 2…n, in
/// that order (docs/sessions.md "Sharded runs").
///
/// It is seeded by `sessions.seed` and the session's global number alone, not by a process-wide sequence, so session
/// n draws the same turns and think times whichever shard runs it and whenever it starts: the shards' sessions are a
/// partition of the unsharded run's sessions, not repeats.
public enum SessionRandom {
    /// The stream of session `number` (global, from 1) under `seed`.
    public static func stream(seed: UInt64, session number: Int) -> SplitMix64 {
        // Mix seed and number through one SplitMix64 step so neighbouring numbers get unrelated streams.
        var mixer = SplitMix64(seed: seed ^ (UInt64(truncatingIfNeeded: number) &* 0xD1B5_4A32_D192_ED03))
        return SplitMix64(seed: mixer.next())
    }
}
