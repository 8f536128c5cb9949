import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization
import TierbenchCore
import UnixSignals

/// The built-in OpenAI-compatible mock (Hummingbird 2), in-process.
///
/// ```swift
/// let server = MockServer(settings: settings)          // 127.0.0.1, a free port
/// let port = try await server.start()
/// // … send requests to http://127.0.0.1:\(port)/v1 …
/// let stats = server.stats()
/// await server.stop()
/// ```
/// `tierbench mock` runs the same server in the foreground with `run(gracefulShutdownSignals:onStart:)`.
public final class MockServer: Sendable {
    private struct Running: Sendable {
        var group: ServiceGroup
        var task: Task<Void, Never>
        var port: Int
    }

    private let settings: MockSettings
    private let host: String
    private let port: Int
    private let logger: Logger
    /// The mock's own event loops when a thread count was asked for; nil = NIO's shared group (one per core).
    private let eventLoopGroup: MultiThreadedEventLoopGroup?
    /// Threads serving the mock: its own group's, else the shared group's (one per core).
    private let eventLoopCount: Int
    private let running = Mutex<Running?>(nil)
    private let runtimeBox = Mutex<MockRuntime?>(nil)
    private let batchClock: (any BatchClock)?

    /// - Parameters:
    ///   - settings: what the mock does (latency, tiers, faults…).
    ///   - host: the address to bind; the default keeps the mock on loopback.
    ///   - port: the TCP port; 0 picks a free one (`start()` returns it).
    ///   - logger: Hummingbird's logger; nil = warnings and errors only.
    ///   - eventLoopThreads: event-loop threads to serve on; nil = NIO's shared group (one per core). One thread
    ///     is the fair match for a one-worker nginx in `scripts/bench/mock.sh`.
    ///   - batchClock: the virtual clock the Files and Batches APIs stamp and simulate in; nil = the real clock
    ///     compressed by `settings.batch.timeScale` (default `settings.timeScale`). Tests pass a `ManualBatchClock`.
    public init(
        settings: MockSettings, host: String = "127.0.0.1", port: Int = 0, logger: Logger? = nil,
        eventLoopThreads: Int? = nil, batchClock: (any BatchClock)? = nil
    ) {
        self.batchClock = batchClock
        self.eventLoopGroup = eventLoopThreads.map { MultiThreadedEventLoopGroup(numberOfThreads: max($0, 1)) }
        self.eventLoopCount = max(eventLoopThreads ?? System.coreCount, 1)
        self.settings = settings
        self.host = host
        self.port = port
        self.logger = logger ?? {
            var logger = Logger(label: "tierbench.mock")
            logger.logLevel = .warning
            return logger
        }()
    }

    /// Starts serving in the background and returns the bound port.
    /// - Throws: `MockConfigurationError` for unusable settings, or the bind error.
    public func start() async throws -> Int {
        if let port = running.withLock({ $0?.port }) { return port }
        let runtime = try makeRuntime()
        let portPromise = PortPromise()
        let group = ServiceGroup(
            configuration: .init(services: [makeApplication(runtime, portPromise: portPromise)], logger: logger))
        let task = Task {
            do {
                try await group.run()
                portPromise.fail(MockConfigurationError.invalidSetting("the mock server stopped before it started"))
            } catch {
                portPromise.fail(error)
            }
        }
        let port: Int
        do {
            port = try await portPromise.value()
        } catch {
            await group.triggerGracefulShutdown()
            await task.value
            throw error
        }
        running.withLock { $0 = Running(group: group, task: task, port: port) }
        return port
    }

    /// Graceful shutdown: stops accepting, lets in-flight requests finish, releases hung ones.
    public func stop() async {
        guard let current = running.withLock({ state -> Running? in
            defer { state = nil }
            return state
        }) else { return }
        runtimeBox.withLock { $0?.markStopping() }
        await current.group.triggerGracefulShutdown()
        await current.task.value
        try? await eventLoopGroup?.shutdownGracefully()
    }

    /// Runs in the foreground until one of `signals` arrives, then shuts down gracefully.
    /// `onStart` receives the bound port once the server listens.
    public func run(
        gracefulShutdownSignals signals: [UnixSignal] = [.sigterm, .sigint], onStart: @escaping @Sendable (Int) -> Void
    ) async throws {
        let runtime = try makeRuntime()
        let portPromise = PortPromise()
        let group = ServiceGroup(
            configuration: .init(
                services: [makeApplication(runtime, portPromise: portPromise)], gracefulShutdownSignals: signals,
                logger: logger))
        let announcer = Task {
            if let port = try? await portPromise.value() { onStart(port) }
        }
        defer { announcer.cancel() }
        try await withTaskCancellationHandler {
            try await group.run()
        } onCancel: {
            runtime.markStopping()
        }
        runtime.markStopping()
        try? await eventLoopGroup?.shutdownGracefully()
    }

    /// Counts since start (or the last reset). Empty before `start()`.
    public func stats() -> MockStats {
        runtimeBox.withLock { $0?.snapshot() } ?? MockStats()
    }

    /// Starts counting afresh. Rate-limit buckets keep their levels.
    public func resetStats() {
        runtimeBox.withLock { $0?.reset() }
    }

    private func makeRuntime() throws -> MockRuntime {
        if let problem = settings.problems().first {
            throw MockConfigurationError.invalidSetting(problem.description)
        }
        let tiers = try TierCatalog.load(path: settings.tiersFile)
        try tiers.validate(settings)
        let runtime = MockRuntime(
            settings: settings, tiers: tiers, eventLoops: eventLoopCount, batchClock: batchClock)
        runtimeBox.withLock { $0 = runtime }
        return runtime
    }

    private func makeApplication(_ runtime: MockRuntime, portPromise: PortPromise) -> some Service {
        let responder = MockResponder(runtime: runtime)
        // The fast path answers what needs no waiting on the event loop; Hummingbird's state handler does not see
        // those requests, so it gets no idle timeout (it would count busy fast-path connections as idle): the
        // `ConnectionGuard` the installer adds keeps the idle, header and body timeouts for both paths. NIO's decoder
        // gets the head limit too (its "header overflow" becomes a 431).
        let headLimit = runtime.settings.maxHeaderBytes
        return Application(
            responder: responder,
            server: .http1(
                configuration: .init(
                    additionalChannelHandlers: [MockFastPathInstaller(responder: responder)],
                    httpDecoderConfiguration: .init(maxHeaderFieldSize: headLimit, maxHeaderListSize: headLimit))),
            // Thousands of clients connect at once at the start of a large run: a deep accept queue (the kernel caps
            // it at net.core.somaxconn) and a batch of accepts per wake-up keep the listener from dropping SYNs.
            configuration: .init(
                address: .hostname(host, port: port), serverName: nil, backlog: Self.listenBacklog),
            onServerRunning: { channel in
                // NIO accepts 4 connections per wake-up by default; 16 drains a burst in fewer wake-ups while staying
                // well inside the connection cap's descriptor reserve (64): a larger batch under a low open-file limit
                // runs into EMFILE before the connections over the cap are closed, and accepting backs off for 1 s.
                // Hummingbird offers no hook before the bind, so it is set here, before the port is reported: a client
                // that learns the port from `start()` never meets the default; one dialling a fixed port in the first
                // instant may (it is only a batch size).
                try? await channel.setOption(ChannelOptions.maxMessagesPerRead, value: 16).get()
                if let port = channel.localAddress?.port {
                    portPromise.succeed(port)
                } else {
                    portPromise.fail(MockConfigurationError.invalidSetting("the mock server has no local port"))
                }
            },
            eventLoopGroupProvider: eventLoopGroup.map { .shared($0) } ?? .singleton,
            logger: logger)
    }
}

extension MockServer {
    /// The listen backlog: the kernel's cap (`net.core.somaxconn`, 4096 on current Linux) so a burst of thousands
    /// of connections at a run's start waits in the accept queue instead of being refused; 4096 when unknown.
    static var listenBacklog: Int {
        guard let text = try? String(contentsOfFile: "/proc/sys/net/core/somaxconn", encoding: .utf8),
            let value = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
        else { return 4096 }
        return min(max(value, 1024), 65_535)
    }
}

/// A value delivered once, awaited once: the bound port, or why the server did not start.
private final class PortPromise: Sendable {
    private enum State {
        case waiting(CheckedContinuation<Int, any Error>?)
        case done(Result<Int, any Error>)
    }

    private let state = Mutex<State>(.waiting(nil))

    func succeed(_ port: Int) { complete(.success(port)) }
    func fail(_ error: any Error) { complete(.failure(error)) }

    private func complete(_ result: Result<Int, any Error>) {
        let continuation = state.withLock { state -> CheckedContinuation<Int, any Error>? in
            guard case .waiting(let continuation) = state else { return nil }
            state = .done(result)
            return continuation
        }
        continuation?.resume(with: result)
    }

    func value() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLock { state -> Result<Int, any Error>? in
                switch state {
                case .done(let result): return result
                case .waiting: 
                    state = .waiting(continuation)
                    return nil
                }
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
