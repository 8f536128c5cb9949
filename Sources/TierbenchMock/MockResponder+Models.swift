import Hummingbird

/// `GET /v1/models` and `GET /v1/models/{id}`.
extension MockResponder {
    func modelsReply(env: RequestEnvironment) -> MockReply {
        var body = ByteBuffer()
        body.reserveCapacity(120 * runtime.models.models.count + 32)
        body.writeStaticString("{\"object\":\"list\",\"data\":[")
        for (index, model) in runtime.models.models.enumerated() {
            if index > 0 { body.writeStaticString(",") }
            writeModel(model, into: &body)
        }
        body.writeStaticString("]}")
        return env.jsonReply(body)
    }

    func modelReply(_ model: MockModel, env: RequestEnvironment) -> MockReply {
        var body = ByteBuffer()
        writeModel(model, into: &body)
        return env.jsonReply(body)
    }

    private func writeModel(_ model: MockModel, into body: inout ByteBuffer) {
        body.writeStaticString("{\"id\":")
        body.writeJSONString(model.id)
        body.writeStaticString(",\"object\":\"model\",\"created\":")
        body.writeDecimal(model.created)
        body.writeStaticString(",\"owned_by\":")
        body.writeJSONString(model.ownedBy)
        body.writeStaticString("}")
    }
}
