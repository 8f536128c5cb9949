import ArgumentParser
import TierbenchEngine

/// `tierbench validate FILE`: checks a scenario (and the prompt files it names) without sending anything.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a scenario file without running it; exits 65 and lists every problem when it is invalid.")

    @Argument(help: "The scenario file (YAML or JSON).")
    var scenario: String

    func run() throws {
        do {
            let loaded = try ScenarioFile.load(path: scenario)
            Console.out("\(scenario): ok — \(loaded.description)")
        } catch {
            Console.error(error.description)
            throw ExitCode(error.exitCode)
        }
    }
}
