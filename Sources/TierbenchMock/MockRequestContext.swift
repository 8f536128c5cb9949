import Hummingbird
import Logging
import NIOCore

/// The per-request context: Hummingbird's core storage plus the connection, which the reset and hang faults need.
struct MockRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The TCP connection the request arrived on.
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }
}
