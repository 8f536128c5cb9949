import NIOCore

/// The fast path's reading around a scheduled response: reading stops while requests wait behind it, and a
/// half-close is held until it is written.
extension MockFastPathHandler {
    /// A client that half-closes (`shutdown(SHUT_WR)`) still gets what it asked for: while answering here the event
    /// is held until the pending responses are written, and the connection is closed then (Hummingbird, which allows
    /// half-closure, would otherwise end its inbound stream and close the channel under the stream).
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard case .answering = mode, let channelEvent = event as? ChannelEvent, channelEvent == .inputClosed else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        inputClosed = true
        if !busy { closeWhenWritten(context: context) }  // a partial request in `pending` can never complete
    }

    /// Closes the connection once everything written so far is out.
    func closeWhenWritten(context: ChannelHandlerContext) {
        mode = .closing
        pending = nil
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(channel.allocator.buffer(capacity: 0))).whenComplete { _ in
            channel.close(promise: nil)
        }
    }

    /// Stops reading the socket (until `resumeReading`).
    func holdReading(context: ChannelHandlerContext) {
        guard !readingHeld else { return }
        readingHeld = true
        try? context.channel.syncOptions?.setOption(ChannelOptions.autoRead, value: false)
    }

    /// Reads the socket again after `holdReading`.
    func resumeReading(context: ChannelHandlerContext) {
        guard readingHeld else { return }
        readingHeld = false
        try? context.channel.syncOptions?.setOption(ChannelOptions.autoRead, value: true)
    }
}
