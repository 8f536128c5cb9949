import AsyncHTTPClient
import Foundation
import NIOCore
import TierbenchCore
import Testing

@testable import TierbenchMock

extension MockTests {
    /// `GET`/`HEAD /health` (with or without `/v1`): 200, empty body, no auth, not counted as an API request.
    @Suite struct HealthEndpointTests {
        @Test func healthAnswersWithoutAuthAndIsNotCounted() async throws {
            var settings = MockSettings()
            settings.apiKeys = ["sk-health-test"]
            try await LiveServerTests.withServer(settings) { base, server in
                for path in ["/health", "/v1/health", "/health/"] {
                    for head in [false, true] {
                        var request = HTTPClientRequest(url: base + path)
                        request.method = head ? .HEAD : .GET
                        let method = head ? "HEAD" : "GET"
                        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
                        let body = try await response.body.collect(upTo: 1 << 16)
                        #expect(response.status == .ok, "\(method) \(path)")
                        #expect(body.readableBytes == 0, "\(method) \(path)")
                    }
                }
                var post = HTTPClientRequest(url: base + "/health")
                post.method = .POST
                let wrong = try await HTTPClient.shared.execute(post, timeout: .seconds(5))
                _ = try await wrong.body.collect(upTo: 1 << 16)
                #expect(wrong.status == .methodNotAllowed)

                // An API route still wants the key, so the open /health is not an auth bypass.
                let models = try await HTTPClient.shared.execute(
                    HTTPClientRequest(url: base + "/v1/models"), timeout: .seconds(5))
                _ = try await models.body.collect(upTo: 1 << 20)
                #expect(models.status == .unauthorized)

                let stats = server.stats()
                #expect(stats.byRoute["health"] == nil)
                // Only the POST (405) and the unauthenticated /v1/models are API requests.
                #expect(stats.requests == 2, "\(stats.byRoute)")
            }
        }

        @Test func healthRouteMatchingAndLabelTables() {
            #expect(MockRoute(isGet: true, isPost: false, path: "/health") == .health)
            #expect(MockRoute(isGet: true, isPost: false, path: "/v1/health") == .health)
            #expect(MockRoute(isGet: false, isPost: true, path: "/health") == .wrongMethod)
            #expect(!MockRoute.health.isAPI)
            #expect(!MockRoute.health.takesFastPath)
            let routes: [MockRoute] = [
                .chat, .completions, .embeddings, .models, .model("m"), .metrics, .health, .stats, .statsReset,
                .fileUpload, .fileList, .file("f"), .fileDelete("f"), .fileContent("f"), .batchCreate, .batchList,
                .batch("b"), .batchCancel("b"), .wrongMethod, .unknown,
            ]
            for route in routes {
                #expect(MockRoute.labels[route.labelIndex] == route.label, "\(route)")
            }
            #expect(Set(routes.map(\.label)).count == MockRoute.labels.count)
        }
    }
}
