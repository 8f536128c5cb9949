import Hummingbird
import Logging
import ServiceLifecycle
import TierbenchCore

/// `--metrics-port N` / `--metrics-address HOST:PORT`: serves the running harness's own metrics (`GET /metrics`,
/// Prometheus text) for Grafana, read from the live feed at each scrape (127.0.0.1 unless asked otherwise). `price`
/// is the run's model price from the run's price table; with it the scrape includes `tierbench_cost_usd_total`.
final class HarnessMetricsServer: Sendable {
    private let group: ServiceGroup
    private let task: Task<Void, Never>
    /// The bound port (the asked one, or a free one when asked for 0).
    let port: Int

    /// Starts serving on `host`:`port` and returns once the socket listens.
    /// - Throws: `EngineError.metricsServer` when the address cannot be bound.
    static func start(
        host: String = MetricsAddress.loopbackHost, port: Int, feed: LiveFeed, scenario: String,
        price: PriceTable.ModelPrice? = nil
    ) async throws(EngineError) -> HarnessMetricsServer {
        let router = Router()
        router.get("metrics") { _, _ -> Response in
            let text = PrometheusExposition.render(feed.merged(), scenario: scenario, price: price)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        var logger = Logger(label: "tierbench.metrics")
        logger.logLevel = .error
        let (ports, announce) = AsyncStream<Int>.makeStream()
        let application = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                if let bound = channel.localAddress?.port { announce.yield(bound) }
                announce.finish()
            },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [application], logger: logger))
        let task = Task {
            do {
                try await group.run()
            } catch {
                logger.error("metrics server stopped: \(error)")
            }
            announce.finish()
        }
        var bound: Int?
        for await value in ports {
            bound = value
            break
        }
        guard let bound else {
            await group.triggerGracefulShutdown()
            await task.value
            let address = MetricsAddress(host: host, port: port)
            throw EngineError.metricsServer(
                "cannot listen on \(address); pick another --metrics-port or --metrics-address")
        }
        return HarnessMetricsServer(group: group, task: task, port: bound)
    }

    private init(group: ServiceGroup, task: Task<Void, Never>, port: Int) {
        self.group = group
        self.task = task
        self.port = port
    }

    /// Stops serving.
    func stop() async {
        await group.triggerGracefulShutdown()
        await task.value
    }
}
