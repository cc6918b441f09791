import ArgumentParser

/// The `portrait` command line: studio, rendering, import and tools for AniPortraitGAN models.
@main
struct Portrait: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portrait",
        abstract: "AniPortraitGAN in the terminal: render, explore and train animatable 3D portraits on the CPU.",
        subcommands: [Bench.self])
}
