/// How a ``CurlLoop`` waits for its sockets and drives libcurl.
///
/// The two ways cost differently per ready socket and per idle transfer (scripts/bench/README.md): with a few dozen
/// busy connections, most of which are ready in every pass, one `curl_multi_perform` over all of them is cheaper than
/// one `curl_multi_socket_action` per ready socket (libcurl's socket and timer bookkeeping, an `epoll_ctl` per
/// request); with thousands of streams, of which a few percent are ready per pass, only the socket-action loop keeps
/// a pass proportional to the ready sockets. Streams are the second case at any count: each connection is busy for
/// seconds but ready only once per token, so a perform over 100 streams visits about 20 idle transfers per ready one
/// (scripts/bench/README.md: 0.14 against 0.04 core at 100 streams); the engine runs streaming scenarios in `.epoll`.
public enum CurlLoopMode: String, Sendable, CaseIterable {
    /// `.poll` up to ``CurlLoopMode/pollSlotLimit`` slots, `.epoll` above.
    case auto
    /// `curl_multi_poll` over every transfer's socket, then one `curl_multi_perform` per pass: the plain libcurl
    /// multi loop. A pass costs O(transfers).
    case poll
    /// `curl_multi_socket_action` per ready socket over epoll (``CurlEventSource``). A pass costs O(ready sockets).
    case epoll

    /// Most slots for which `.auto` picks `.poll`.
    public static let pollSlotLimit = 256

    /// Whether a loop with `slots` slots runs the epoll pass.
    public func usesEpoll(slots: Int) -> Bool {
        switch self {
        case .auto: slots > Self.pollSlotLimit
        case .poll: false
        case .epoll: true
        }
    }
}
