import ArgumentParser
import TierbenchEngine

@main
struct Tierbench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tierbench",
        abstract: "Load-test and benchmark OpenAI-compatible APIs; find the right max_workers, batch size and tier.")
}
