import Foundation
import Testing
@testable import TierbenchCore

@Suite("export k8s-job: the rendered manifest")
struct MergeK8sManifestTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/k8s")

    static func manifest() throws -> K8sJobManifest {
        let scenario = try String(contentsOf: fixtures.appendingPathComponent("sharded.yaml"), encoding: .utf8)
        return K8sJobManifest(
            name: "tierbench-sharded", scenarioFileName: "sharded.yaml", scenarioText: scenario, shards: 4,
            image: "registry.example/tierbench:1.0", startAt: "2027-01-15T08:00:00Z",
            waitSeconds: K8sJobManifest.waitSeconds(runSeconds: 300, startDelaySeconds: 120), runID: "20270115T075800Z")
    }

    /// Regenerate with TIERBENCH_UPDATE_GOLDEN=1 after an intended change, then review the diff.
    @Test func matchesTheGoldenFile() throws {
        let yaml = try Self.manifest().yaml
        let golden = Self.fixtures.appendingPathComponent("sharded.k8s.yaml")
        if ProcessInfo.processInfo.environment["TIERBENCH_UPDATE_GOLDEN"] == "1" {
            try yaml.write(to: golden, atomically: true, encoding: .utf8)
        }
        #expect(yaml == (try String(contentsOf: golden, encoding: .utf8)))
    }

    @Test func indexedJobSettings() throws {
        let yaml = try Self.manifest().yaml
        for line in ["completionMode: Indexed", "completions: 4", "parallelism: 4", "backoffLimit: 0",
                     "restartPolicy: Never", "accessModes: [ReadWriteMany]", "claimName: tierbench-sharded-results",
                     "\"--shards\", \"4\"", "\"/results/tierbench-sharded/20270115T075800Z/shard-$(JOB_COMPLETION_INDEX)\"",
                     "batch.kubernetes.io/job-completion-index", "name: tierbench-sharded-merge"] {
            #expect(yaml.contains(line), "missing \(line)")
        }
        var existing = try Self.manifest()
        existing.resultsClaim = "shared-results"
        #expect(!existing.yaml.contains("kind: PersistentVolumeClaim"))
        #expect(existing.yaml.contains("claimName: shared-results"))
    }

    @Test("the merge Job waits for the start delay + the run + 600 s, gives up at a failed shard, refuses a merged folder")
    func mergeWaitAndGuards() throws {
        #expect(K8sJobManifest.waitSeconds(runSeconds: 300, startDelaySeconds: 120) == 1_020)
        #expect(K8sJobManifest.waitSeconds(runSeconds: nil, startDelaySeconds: 0) == 3_600)
        #expect(K8sJobManifest.waitSeconds(runSeconds: 30 * 86_400, startDelaySeconds: 0) == 7 * 86_400)
        let yaml = try Self.manifest().yaml
        let folder = "/results/tierbench-sharded/20270115T075800Z"
        #expect(yaml.contains("activeDeadlineSeconds: 1620\n"))
        #expect(yaml.contains("shards not done after 1020s"))
        #expect(yaml.contains("touch \(folder)/shard-$JOB_COMPLETION_INDEX.failed"))
        #expect(yaml.contains("if ls \(folder)/shard-*.failed"))
        #expect(yaml.contains("if [ -e \(folder)/merged/summary.json ]"))
        #expect(yaml.contains("\"merge\", \"\(folder)\", \"--output\", \"\(folder)/merged\""))
    }

    @Test func names() {
        #expect(K8sJobManifest.nameProblem("tierbench-a1") == nil)
        #expect(K8sJobManifest.nameProblem("Bad_Name") != nil)
        #expect(K8sJobManifest.nameProblem("-x") != nil)
        #expect(K8sJobManifest.nameProblem(String(repeating: "a", count: 41)) != nil)
        #expect(K8sJobManifest.defaultName(scenario: "My Scenario!") == "tierbench-my-scenario")
    }

    @Test func scenarioTextThatCannotBeALiteralBlockIsQuoted() {
        #expect(K8sJobManifest.block("a: 1\n", indent: "  ") == "|-\n  a: 1")
        #expect(K8sJobManifest.block("  leading: space", indent: "  ") == "\"  leading: space\"")
        #expect(K8sJobManifest.block("a:\tb", indent: "  ").hasPrefix("\""))
    }
}
