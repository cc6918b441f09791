import ArgumentParser
import Foundation

/// The `portrait` command line: studio, rendering, import and tools for AniPortraitGAN models.
///
/// Errors print one line `error: …` on stderr and exit 1; usage errors print the usage and exit 2.
@main
struct Portrait: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portrait",
        abstract: "AniPortraitGAN in the terminal: render, explore and train animatable 3D portraits on the CPU.",
        subcommands: [StudioCommand.self, Import.self, Info.self, Render.self, Video.self, TrajectoryCommand.self, Bench.self, FormulaWeightsCommand.self, BodyCommand.self, SynthCommand.self, MakeBuiltinCommand.self, TrainCommand.self, EvalCommand.self])

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success || error is ExitCode || error is CleanExit {
                exit(withError: error)
            }
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            FileHandle.standardError.write(Data("error: \(String(describing: error))\n".utf8))
            Foundation.exit(1)
        }
    }
}
