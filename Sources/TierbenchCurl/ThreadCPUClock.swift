#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CPU time of the calling thread (`CLOCK_THREAD_CPUTIME_ID`), in ns: what ``CurlLoop`` reads around its idle spin
/// passes, and the self-check around a whole load thread's run.
public enum ThreadCPUClock {
    /// CPU time (user + system) of the calling thread so far, in ns; 0 if the clock cannot be read.
    public static func now() -> UInt64 {
        var time = timespec()
        guard clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time) == 0 else { return 0 }
        return UInt64(max(0, time.tv_sec)) &* 1_000_000_000 &+ UInt64(max(0, time.tv_nsec))
    }
}
