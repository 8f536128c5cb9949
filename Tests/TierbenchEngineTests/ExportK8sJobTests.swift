import Foundation
import Testing
import TierbenchCore
@testable import TierbenchEngine

/// `tierbench export k8s-job`: the manifest written from a real scenario file, and kubectl's view of it.
@Suite("export k8s-job: file and kubectl")
struct ExportK8sJobTests {
    static let scenario = """
        version: 1
        name: k8s-shards
        target: { base_url: "http://inference.default.svc:8000/v1" }
        endpoint: chat
        model: m
        prompts: { inline: ["hi"] }
        load: { rate: 200, duration: 60s }

        """

    static func kubectl() -> String? {
        ["/usr/bin/kubectl", "/usr/local/bin/kubectl"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> (code: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["KUBECONFIG"] = environment["KUBECONFIG"] ?? "/dev/null"
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func writesTheManifestWithAnAbsoluteStart() throws {
        let test = try TestScenario(Self.scenario, name: "shards.yaml")
        defer { test.cleanup() }
        var options = ExportK8sJob.Options(scenarioPath: test.path, shards: 3, image: "tierbench:test")
        options.output = test.directory + "/job.yaml"
        options.startAt = "+90s"
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let yaml = try ExportK8sJob.run(options, now: now)
        #expect(try String(contentsOfFile: test.directory + "/job.yaml", encoding: .utf8) == yaml)
        #expect(yaml.contains("\"--start-at\", \"2027-01-15T08:01:30Z\""))
        #expect(yaml.contains("name: tierbench-k8s-shards\n"))
        #expect(yaml.contains("  \"shards.yaml\": |-\n    version: 1\n    name: k8s-shards\n"))
        #expect(yaml.contains("/results/tierbench-k8s-shards/20270115T080000Z/shard-$(JOB_COMPLETION_INDEX)"))
        // The merge waits 90 s to the start + 60 s of load + a 600 s margin.
        #expect(yaml.contains("shards not done after 750s"))
        for bad in ["tomorrow", "2027-01-15T07:00:00Z", "2300-01-01T00:00:00Z", "2027-01-15 08:05:00Z", "+25h",
                    "2027-02-30T08:00:00Z"] {
            options.startAt = bad
            do {
                _ = try ExportK8sJob.run(options, now: now)
                Issue.record("accepted --start-at \(bad)")
            } catch {
                #expect(error.description.contains("--start-at"), "\(error)")
            }
        }
        options.startAt = "2027-01-15T08:05:00Z"
        #expect(try ExportK8sJob.run(options, now: now).contains("\"--start-at\", \"2027-01-15T08:05:00Z\""))
    }

    /// kubectl decodes every object of the manifest (`kubectl label --local`, no cluster needed); with a reachable
    /// cluster, `kubectl apply --dry-run=client` must accept it too. Without kubectl the test says so and passes.
    @Test func kubectlAcceptsTheManifest() throws {
        guard let kubectl = Self.kubectl() else {
            print("export k8s-job: kubectl not installed; skipped the kubectl check")
            return
        }
        let test = try TestScenario(Self.scenario, name: "shards.yaml")
        defer { test.cleanup() }
        var options = ExportK8sJob.Options(scenarioPath: test.path, shards: 2, image: "tierbench:test")
        options.output = test.directory + "/job.yaml"
        _ = try ExportK8sJob.run(options)
        let local = try Self.run(kubectl, ["label", "--local", "-f", options.output ?? "", "checked=yes", "-o", "name"])
        #expect(local.code == 0, "\(local.output)")
        #expect(local.output.split(separator: "\n").sorted() == [
            "configmap/tierbench-k8s-shards-scenario", "job.batch/tierbench-k8s-shards",
            "job.batch/tierbench-k8s-shards-merge", "persistentvolumeclaim/tierbench-k8s-shards-results",
        ])
        let dryRun = try Self.run(kubectl, ["apply", "--dry-run=client", "-f", options.output ?? ""])
        if dryRun.code != 0, dryRun.output.contains("connection refused") || dryRun.output.contains("no such host")
            || dryRun.output.contains("failed to download openapi") {
            print("export k8s-job: no Kubernetes API server reachable; kubectl apply --dry-run=client skipped")
            return
        }
        #expect(dryRun.code == 0, "\(dryRun.output)")
    }
}
