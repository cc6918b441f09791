import Foundation
import StudioCore

/// How `portrait studio` was asked to run (options win over the configuration file).
public struct StudioOptions: Sendable {
    public var themeName: String
    /// Favourites and trajectories folder.
    public var outDirectory: String
    /// `auto` probes for sixel; `sixel` and `blocks` force one.
    public var graphics: StudioConfig.Graphics
    /// Colours of the half-block fallback: `auto` follows `COLORTERM`.
    public var colour: StudioConfig.Colour
    /// A trajectory to play from the start.
    public var play: String?
    /// Identity cache bound in MiB.
    public var cacheMegabytes: Int
    public var probeTimeoutMilliseconds: Int
    public var mouse: Bool
    /// The log file (`$XDG_STATE_HOME/portrait-studio/studio.log`).
    public var logPath: String?

    public init(themeName: String = "dark", outDirectory: String, graphics: StudioConfig.Graphics = .auto,
                colour: StudioConfig.Colour = .auto, play: String? = nil,
                cacheMegabytes: Int = 512, probeTimeoutMilliseconds: Int = 250, mouse: Bool = true, logPath: String? = nil) {
        self.themeName = themeName; self.outDirectory = outDirectory; self.graphics = graphics; self.colour = colour; self.play = play
        self.cacheMegabytes = cacheMegabytes; self.probeTimeoutMilliseconds = probeTimeoutMilliseconds
        self.mouse = mouse; self.logPath = logPath
    }
}
