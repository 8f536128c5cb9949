#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's open-file limit: raised to the hard limit once at start, and checked against what a run needs, so
/// thousands of workers do not fail one by one with EMFILE in the middle of a run.
enum DescriptorLimit {
    /// Descriptors kept for everything but the connections: standard streams, result files, curl's and NIO's
    /// internal descriptors, the metrics server.
    static let reserve = 128

    /// Raises the soft `RLIMIT_NOFILE` to the hard limit (once); returns the soft limit in force afterwards.
    static let raised: Int = {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var wanted = limit
            wanted.rlim_cur = limit.rlim_max
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &wanted) == 0 { limit = wanted }
        }
        return limit.rlim_cur > rlim_t(Int.max) ? Int.max : Int(limit.rlim_cur)
    }()

    /// Descriptors each load thread's curl loop holds for itself: its epoll instance and its wake-up eventfd.
    static let perLoopThread = 2

    /// Throws when `connections` client connections (twice that with the in-process mock, which holds the other
    /// end) and `loopThreads` curl loops (an epoll fd and an eventfd each) cannot fit under the limit.
    static func check(connections: Int, inProcessMock: Bool, loopThreads: Int = 1) throws(EngineError) {
        let needed = connections * (inProcessMock ? 2 : 1) + max(1, loopThreads) * perLoopThread + reserve
        let available = raised
        guard needed > available else { return }
        throw EngineError.invalidScenario(
            "\(connections) concurrent connections need about \(needed) open files"
                + (inProcessMock ? " (the in-process mock holds the other end of each)" : "")
                + ", but the limit is \(available); raise it (ulimit -n \(needed), or LimitNOFILE= for a service) "
                + "or lower max_workers / max_in_flight")
    }
}
