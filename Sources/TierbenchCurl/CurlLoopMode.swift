/// How a ``CurlLoop`` waits for its sockets and drives libcurl (scenario key `http.loop`).
///
/// The two ways cost differently per ready socket and per idle transfer (scripts/bench/README.md). One
/// `curl_multi_perform` over every transfer is cheaper than one `curl_multi_socket_action` per ready socket only when
/// nearly every transfer is ready in every pass: a target that answers in well under a millisecond (nginx serving a
/// static body: 0.84 of the C loop's requests per second against 0.81; open loop at 20k req/s with 1,024 slots: on
/// time against generator-bound). As soon as transfers wait (a server taking 20 ms, streams between tokens), the
/// perform visits the idle ones in every pass: at 64 and 256 workers against a 20 ms server the poll pass cost 1.5
/// times the CPU of the epoll pass and its loop lag failed the self-check, and at 100 streams it cost 0.14 core
/// against 0.06. Hence the epoll pass is the default.
public enum CurlLoopMode: String, Sendable, CaseIterable {
    /// `curl_multi_poll` over every transfer's socket, then one `curl_multi_perform` per pass: the plain libcurl
    /// multi loop. A pass costs O(transfers).
    case poll
    /// `curl_multi_socket_action` per ready socket over epoll (``CurlEventSource``). A pass costs O(ready sockets).
    case epoll
}
