import ArgumentParser
import Foundation
import ModelIO
import Synth

/// `portrait make-builtin` (hidden): builds the built-in, untrained studio bundle (`BuiltinBundle`), the file
/// shipped as `Sources/Generator/Resources/studio.portrait`.
struct MakeBuiltinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "make-builtin",
        abstract: "Build the built-in (untrained) studio model bundle.",
        shouldDisplay: false)

    @Option(name: .shortAndLong, help: "Output .portrait file.") var output: String

    func run() throws {
        let clock = ContinuousClock()
        let start = clock.now
        let stored = try BuiltinBundle.writer().write(to: output)
        print("wrote \(output) (\(stored.name), data_sha256 \(stored.provenance.dataSha256)) in \(clock.now - start)")
    }
}
