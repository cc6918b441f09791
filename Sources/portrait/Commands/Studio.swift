import ArgumentParser
import Foundation
import Generator
import Studio
import StudioCore
import Synth

/// `portrait studio`: the interactive terminal studio (DESIGN.md §5).
struct StudioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "studio",
        abstract: "Explore a model interactively in the terminal (sixel or half-block preview).",
        discussion: """
            Keys: arrows or hjkl move and change sliders, n/N next/previous seed, s saves a favourite, \
            r records a trajectory, p plays one, m switches between the neural model and synthetic, c shows \
            both side by side, ? shows all keys, q quits. Without MODEL the studio opens builtin when it is \
            trained, else synthetic (the title says which and why). Favourites and trajectories go to \
            --out (default $XDG_DATA_HOME/portrait-studio/favourites). Settings: \
            $XDG_CONFIG_HOME/portrait-studio/config (theme, model, out, graphics, colour, mouse, cache_mb, \
            probe_timeout_ms); options win.
            """)

    @Argument(help: "The model: a .portrait file, a name in $XDG_DATA_HOME/portrait-studio/models/, builtin or synthetic (default: builtin when it is trained, else synthetic).")
    var model: String?

    @Option(help: "Theme: dark, light, high-contrast or a name in $XDG_CONFIG_HOME/portrait-studio/themes/.")
    var theme: String?

    @Option(help: "Folder for favourites and trajectories.")
    var out: String?

    @Option(help: "Preview graphics: auto, sixel or blocks.")
    var graphics: String?

    @Option(help: "Play this trajectory file (JSON Lines) from the start.")
    var play: String?

    func validate() throws {
        if let graphics, StudioConfig.Graphics(rawValue: graphics) == nil {
            throw ValidationError("--graphics must be auto, sixel or blocks")
        }
    }

    func run() throws {
        let paths = StudioPaths()
        let (config, configWarnings) = StudioConfig.load(path: paths.configFile)
        for warning in configWarnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
        let (studioTheme, themeWarnings) = try Theme.load(name: theme ?? config.theme, themesDirectory: paths.themes)
        for warning in themeWarnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
        let options = StudioOptions(
            themeName: studioTheme.name, outDirectory: out ?? config.out ?? paths.favourites,
            graphics: graphics.flatMap(StudioConfig.Graphics.init(rawValue:)) ?? config.graphics,
            colour: config.colour, play: play, cacheMegabytes: config.cacheMB,
            probeTimeoutMilliseconds: config.probeTimeoutMilliseconds, mouse: config.mouse, logPath: paths.log)
        // The model loads before the terminal is touched: a failure is a one-line error.
        let resolution = try ModelLocator.resolve(model ?? config.model)
        let models = try Self.models(resolution)
        let status = try StudioApp.run(models: models, theme: studioTheme, options: options)
        if status != 0 { throw ExitCode(status) }
    }

    /// The resolved model and the one `m` switches to: `synthetic` (at the neural model's size) for a bundle,
    /// `builtin` for `synthetic`. Only the first must load; the other's failure disables `m` with its reason.
    static func models(_ resolution: ModelLocator.Resolution) throws -> StudioModels {
        let current = try resolution.load()
        var other: (any PortraitModel)?
        var unavailable: String?
        do {
            switch resolution.choice {
            case .synthetic: other = try ModelLocator.load(BuiltinModel.name)
            case .bundle: other = try SyntheticPortraitModel(size: current.controlSpace.imageSize)
            }
        } catch {
            unavailable = "\(error)"
        }
        let note = resolution.reason.map { _ in
            current is SyntheticPortraitModel ? "builtin untrained" : "builtin trained"
        }
        return StudioModels(current, note: note, other: other, otherUnavailable: unavailable)
    }
}
