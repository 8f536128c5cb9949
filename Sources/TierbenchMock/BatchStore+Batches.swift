import NIOCore
import TierbenchCore

/// `POST /v1/batches`, `GET /v1/batches[/{id}]`, `POST /v1/batches/{id}/cancel` on the store.
extension BatchStore {
    /// What `POST /v1/batches` asked for, already checked for shape.
    struct CreateRequest: Sendable {
        var inputFileID: String
        var endpoint: String
        var metadata: [JSONValue.Member]?
        var outputExpiresAfter: Int?
    }

    /// Creates a batch in `validating`. The input is validated now, outside the lock (the verdict is revealed
    /// when validating ends; until it is in, the batch stays validating); a missing input file is not an error here
    /// but fails the batch later, as on OpenAI.
    func create(_ request: CreateRequest, responder: MockResponder) throws(MockAPIError) -> BatchObject {
        let runtime = responder.runtime
        let (object, content) = try insert(request, responder: responder)
        let verdict = content.map { Self.validate($0, endpoint: request.endpoint, runtime: runtime) }
        state.withLock { state in
            guard var batch = state.batches[object.id] else { return }
            if let verdict {
                batch.model = verdict.model
                batch.errors = verdict.errors
                batch.inputTokens = verdict.inputTokens
                batch.passedValidation = verdict.errors.isEmpty
                // A batch cancelled meanwhile runs no line.
                if verdict.errors.isEmpty && batch.object.status == .validating { batch.pendingRanges = verdict.good }
            } else {
                batch.errors = [.missingInputFile(request.inputFileID, organization: runtime.settings.organization)]
            }
            batch.validated = true
            state.batches[object.id] = batch
        }
        return object
    }

    /// Step one of `create`, under the lock: the creation limit, the id, the drawn plan and the batch in
    /// `validating`; returns it and its input content (nil when the file does not exist).
    private func insert(
        _ request: CreateRequest, responder: MockResponder
    ) throws(MockAPIError) -> (BatchObject, BatchFileContent?) {
        let runtime = responder.runtime
        let settings = runtime.settings.batch
        return try withAdvanced(responder) { state throws(MockAPIError) -> (BatchObject, BatchFileContent?) in
            let now = state.now
            state.creations.removeAll { $0 <= now - 3_600 }
            if state.creations.count >= settings.creationsPerHour {
                let wait = (state.creations.first ?? now) + 3_600 - now
                var error = MockAPIError(
                    status: 429,
                    message: "Rate limit reached for batch creations in organization \(runtime.settings.organization) "
                        + "on requests per hour: Limit \(settings.creationsPerHour), Used \(state.creations.count), "
                        + "Requested 1. Please try again in \(GoDuration.format(seconds: wait)).",
                    type: "requests", code: "rate_limit_exceeded")
                error.retryAfterSeconds = max(wait / runtime.batchTimeScale, 0.001)
                throw error
            }
            state.creations.append(now)
            let index = state.batchOrder.count
            var random = MockRandom(seed: runtime.settings.seed ^ 0xBA7C_4000_0000_0000, sequence: UInt64(index))
            let id = "batch_" + state.random.hex32()
            let content = state.files[request.inputFileID]?.content
            let plan = SimulatedBatch.drawPlan(settings, inputBytes: content?.count ?? 0, random: &random)
            let created = Int(now.rounded(.down))
            var object = BatchObject(
                id: id, endpoint: request.endpoint, inputFileID: request.inputFileID, status: .validating,
                createdAt: created)
            object.expiresAt = created + BatchLimits.completionWindowSeconds
            object.metadata = request.metadata
            var batch = SimulatedBatch(
                object: object, created: now, expires: Double(created + BatchLimits.completionWindowSeconds),
                plan: plan, route: Self.route(request.endpoint), input: content)
            batch.phaseStart = now
            batch.sequence = index
            batch.outputExpiresAfter = request.outputExpiresAfter
            state.batches[id] = batch
            state.batchOrder.append(id)
            state.active.append(id)
            state.totals.batchesCreated += 1
            return (batch.object, content)
        }
    }

    /// The batch, advanced to now.
    func batch(_ id: String, responder: MockResponder) -> BatchObject? {
        withAdvanced(responder) { state in state.batches[id]?.object }
    }

    /// Batches newest first after the cursor `after` (a batch id), at most `limit`.
    func list(after: String?, limit: Int, responder: MockResponder) -> (batches: [BatchObject], hasMore: Bool) {
        withAdvanced(responder) { state in
            var ids = Array(state.batchOrder.reversed())[...]
            if let after, let position = ids.firstIndex(of: after) { ids = ids[(position + 1)...] }
            let page = ids.prefix(limit).compactMap { state.batches[$0]?.object }
            return (page, ids.count > limit)
        }
    }

    /// Cancels a batch: `cancelling` for the drawn delay, then `cancelled`. A cancelling or cancelled batch is
    /// returned as it is; a completed, failed or expired one is a 409; an unknown id a 404.
    func cancel(_ id: String, responder: MockResponder) throws(MockAPIError) -> BatchObject {
        try withAdvanced(responder) { state throws(MockAPIError) -> BatchObject in
            guard var batch = state.batches[id] else { throw .batchNotFound(id) }
            switch batch.object.status {
            case .cancelling, .cancelled:
                return batch.object
            case .completed, .failed, .expired:
                throw MockAPIError(
                    status: 409, message: "Cannot cancel a batch with status '\(batch.object.status.rawValue)'.")
            case .validating, .inProgress, .finalizing:
                let now = state.now
                batch.object.status = .cancelling
                batch.object.cancellingAt = Int(now.rounded(.down))
                // No line starts from now on; lines in flight finish if they can by the end (never past expiry).
                batch.cancelEnd = min(now + batch.plan.cancel, max(now, batch.expires))
                batch.lines.removeSubrange(min(batch.nextLine, batch.lines.count)...)
                batch.nextLine = batch.lines.count
                batch.pendingRanges = []
                batch.phaseStart = now
                state.batches[id] = batch
                return batch.object
            }
        }
    }

    /// The route that executes lines of `endpoint`; nil for endpoints the mock accepts but does not serve.
    static func route(_ endpoint: String) -> MockRoute? {
        switch endpoint {
        case "/v1/chat/completions": return .chat
        case "/v1/completions": return .completions
        case "/v1/embeddings": return .embeddings
        default: return nil
        }
    }

    /// What validating an input found: every problem, or the good lines' byte ranges and numbers, the model and
    /// the estimated input tokens (never the lines' JSON).
    struct Verdict: Sendable {
        var errors: [BatchError]
        var model: String?
        var inputTokens: Int
        var good: [(Range<Int>, Int)]
    }

    /// Runs the core `BatchLineValidator` over the input (without the store's lock).
    static func validate(_ content: BatchFileContent, endpoint: String, runtime: MockRuntime) -> Verdict {
        let models = runtime.models
        var validator = BatchLineValidator(endpoint: endpoint) { model in
            models.model(model) != nil && !BatchLimits.unsupportedModels.contains(model)
        }
        var good: [(Range<Int>, Int)] = []
        var number = 0
        content.forEachLine { range, bytes, tooLong in
            number += 1
            guard !tooLong, BatchLineFields.mayBeObject(bytes) else {
                // Not JSON or longer than a line may be: an invalid_json_line without parsing it.
                _ = validator.check("!", number: number)
                return
            }
            let text = String(decoding: bytes, as: UTF8.self)
            if validator.check(Substring(text), number: number) != nil { good.append((range, number)) }
        }
        validator.finish()
        var errors = validator.errors
        if content.count > runtime.settings.batch.maxFileBytes {
            errors.append(.fileTooLarge(bytes: content.count, model: validator.model ?? "unknown"))
        }
        return Verdict(
            errors: errors, model: validator.model, inputTokens: validator.inputTokens, good: errors.isEmpty ? good : [])
    }
}

extension MockAPIError {
    static func batchNotFound(_ id: String) -> MockAPIError {
        MockAPIError(status: 404, message: "No batch found with id '\(id)'.", param: "batch_id")
    }

    static func fileNotFound(_ id: String) -> MockAPIError {
        MockAPIError(status: 404, message: "No such File object: \(id)", param: "id")
    }
}
