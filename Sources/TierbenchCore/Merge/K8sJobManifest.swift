/// The Kubernetes manifest of a sharded run (`tierbench export k8s-job`, docs/distributed.md "Kubernetes"):
/// a ConfigMap with the scenario, an Indexed Job whose pod i runs shard i of N, a PersistentVolumeClaim for the
/// results (unless an existing claim is named) and a merge Job that waits for every shard's summary.json, then runs
/// `tierbench merge`. Pure text rendering, deterministic for a golden-file test.
public struct K8sJobManifest: Sendable, Hashable {
    /// Job name (a DNS-1123 label; the merge Job is `<name>-merge`).
    public var name: String
    /// The scenario's file name inside the ConfigMap (mounted at /scenario/<file>) and its text.
    public var scenarioFileName: String
    public var scenarioText: String
    public var shards: Int
    public var image: String
    /// An existing ReadWriteMany claim to write results to; nil renders a new claim `<name>-results`.
    public var resultsClaim: String?
    /// Absolute `--start-at` (ISO-8601 UTC) handed to every shard; nil starts each shard when its pod runs.
    public var startAt: String?
    /// How long the merge Job's init container waits for the shards' summary files (s); `waitSeconds(...)` derives
    /// it from the run.
    public var waitSeconds: Int
    /// This render's results folder under `/results/<name>/` (the render time, e.g. `20270115T080000Z`): a
    /// re-rendered manifest writes to a fresh folder, so its merge cannot pick up an earlier run's files.
    public var runID: String

    /// Longest name accepted: pods are `<name>-<index>-<suffix>` and the merge Job `<name>-merge`, within 63.
    public static let maxNameLength = 40

    public init(
        name: String, scenarioFileName: String, scenarioText: String, shards: Int, image: String,
        resultsClaim: String? = nil, startAt: String? = nil, waitSeconds: Int = 3_600, runID: String = "run"
    ) {
        self.name = name
        self.scenarioFileName = scenarioFileName
        self.scenarioText = scenarioText
        self.shards = shards
        self.image = image
        self.resultsClaim = resultsClaim
        self.startAt = startAt
        self.waitSeconds = waitSeconds
        self.runID = runID
    }

    /// The merge Job's wait: the delay until `--start-at`, the planned run length and a margin for scheduling pods,
    /// pulling the image and draining in-flight requests; 1 h when the run length is not known in advance (a
    /// request count or a trace); at most 7 days.
    public static func waitSeconds(runSeconds: Int?, startDelaySeconds: Int) -> Int {
        let margin = 600
        let week = 7 * 86_400
        guard let runSeconds else { return min(max(startDelaySeconds, 0) + 3_600, week) }
        return min(max(startDelaySeconds, 0) + max(runSeconds, 0) + margin, week)
    }

    /// Why `name` is not a usable Kubernetes object name, or nil when it is.
    public static func nameProblem(_ name: String) -> String? {
        let allowed = name.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
        guard !name.isEmpty, name.count <= maxNameLength, allowed, name.first != "-", name.last != "-" else {
            return "'\(name)' is not a Kubernetes name: use 1…\(maxNameLength) lowercase letters, digits and '-', "
                + "starting and ending with a letter or digit"
        }
        return nil
    }

    /// A default name from a scenario name: `tierbench-<name>`, lowercased, other characters as '-'.
    public static func defaultName(scenario: String) -> String {
        let mapped = String(("tierbench-" + scenario).lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "-" })
        var trimmed = String(mapped.prefix(maxNameLength))
        while trimmed.hasSuffix("-") { trimmed.removeLast() }
        return trimmed
    }

    var claim: String { resultsClaim ?? name + "-results" }
    var resultsDirectory: String { "/results/" + name + "/" + runID }

    /// The manifest: several YAML documents separated by `---`.
    public var yaml: String {
        var documents = [configMap]
        if resultsClaim == nil { documents.append(persistentVolumeClaim) }
        documents += [shardJob, mergeJob]
        return "# tierbench \(shards)-shard run of \(scenarioFileName) (docs/distributed.md, \"Kubernetes\").\n"
            + "# kubectl apply -f this file; kubectl wait --for=condition=complete job/\(name)-merge\n"
            + documents.joined(separator: "---\n")
    }

    private var labels: String {
        "  labels:\n    app.kubernetes.io/name: tierbench\n    app.kubernetes.io/instance: \(name)\n"
    }

    private var configMap: String {
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \(name)-scenario\n" + labels + "data:\n"
            + "  \(YAMLText.quoted(scenarioFileName)): " + Self.block(scenarioText, indent: "    ") + "\n"
    }

    private var persistentVolumeClaim: String {
        "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: \(claim)\n" + labels
            + "spec:\n  accessModes: [ReadWriteMany]\n  resources:\n    requests:\n      storage: 1Gi\n"
    }

    private var volumes: String {
        "      volumes:\n"
            + "        - name: scenario\n          configMap:\n            name: \(name)-scenario\n"
            + "        - name: results\n          persistentVolumeClaim:\n            claimName: \(claim)\n"
    }

    private var mounts: String {
        "          volumeMounts:\n"
            + "            - {name: scenario, mountPath: /scenario, readOnly: true}\n"
            + "            - {name: results, mountPath: /results}\n"
    }

    private var shardJob: String {
        var args = ["run", "/scenario/" + scenarioFileName, "--shards", "\(shards)"]
        if let startAt { args += ["--start-at", startAt] }
        args += ["--output", resultsDirectory + "/shard-$(JOB_COMPLETION_INDEX)", "--progress", "plain"]
        // A shard that ends without a summary.json leaves a marker, so the merge Job gives up at once.
        let script = "tierbench \"$@\" || { rc=$?; [ -e \(resultsDirectory)/shard-$JOB_COMPLETION_INDEX/summary.json ] "
            + "|| { mkdir -p \(resultsDirectory) && touch \(resultsDirectory)/shard-$JOB_COMPLETION_INDEX.failed; }; exit $rc; }"
        let command = ["sh", "-c", script, "tierbench"]
        return "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: \(name)\n" + labels
            + "spec:\n  completionMode: Indexed\n  completions: \(shards)\n  parallelism: \(shards)\n"
            + "  backoffLimit: 0\n  template:\n    metadata:\n      labels:\n"
            + "        app.kubernetes.io/name: tierbench\n        app.kubernetes.io/instance: \(name)\n"
            + "    spec:\n      restartPolicy: Never\n      containers:\n        - name: shard\n"
            + "          image: \(YAMLText.quoted(image))\n"
            + "          command: [" + command.map(YAMLText.quoted).joined(separator: ", ") + "]\n"
            + "          args: [" + args.map(YAMLText.quoted).joined(separator: ", ") + "]\n"
            + "          env:\n            - name: JOB_COMPLETION_INDEX\n              valueFrom:\n"
            + "                fieldRef:\n"
            + "                  fieldPath: metadata.annotations['batch.kubernetes.io/job-completion-index']\n"
            + mounts + volumes
    }

    private var mergeJob: String {
        let polls = max(1, waitSeconds / 5)
        let folder = resultsDirectory
        let wait = "if [ -e \(folder)/merged/summary.json ]; then echo '\(folder) is already merged: render a new "
            + "manifest (tierbench export k8s-job) for a new run' >&2; exit 1; fi; "
            + "n=0; until [ \"$(ls \(folder)/shard-*/summary.json 2>/dev/null | wc -l)\" -ge \(shards) ]; "
            + "do if ls \(folder)/shard-*.failed >/dev/null 2>&1; then echo 'a shard failed without results:' "
            + "\(folder)/shard-*.failed >&2; exit 1; fi; "
            + "n=$((n+1)); if [ $n -gt \(polls) ]; then echo 'shards not done after \(waitSeconds)s' >&2; exit 1; fi; "
            + "sleep 5; done"
        let args = ["merge", resultsDirectory, "--output", resultsDirectory + "/merged", "--format", "markdown,junit,html"]
        return "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: \(name)-merge\n" + labels
            + "spec:\n  backoffLimit: 0\n  activeDeadlineSeconds: \(waitSeconds + 600)\n  template:\n"
            + "    spec:\n      restartPolicy: Never\n      initContainers:\n        - name: wait-for-shards\n"
            + "          image: \(YAMLText.quoted(image))\n          command: [\"sh\", \"-c\", \(YAMLText.quoted(wait))]\n"
            + mounts + "      containers:\n        - name: merge\n          image: \(YAMLText.quoted(image))\n"
            + "          args: [" + args.map(YAMLText.quoted).joined(separator: ", ") + "]\n" + mounts + volumes
    }

    /// A literal block (`|-`) when the text allows one, otherwise a double-quoted scalar.
    static func block(_ text: String, indent: String) -> String {
        var body = Substring(text)
        while body.hasSuffix("\n") { body.removeLast() }
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
        let literal = !body.isEmpty && !body.contains("\r") && !body.contains("\t")
            && !(lines.first?.hasPrefix(" ") ?? true)
        guard literal else { return YAMLText.quoted(text) }
        return "|-\n" + lines.map { $0.isEmpty ? "" : indent + $0 }.joined(separator: "\n")
    }
}
