import Foundation
import Generator
import StudioCore
import Synth

/// `portrait studio`: probes the terminal, takes it with ncurses and runs the studio on `models`.
public enum StudioApp {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    /// Runs the studio until `q` or a terminating signal; returns the exit status (0, or 128 + signal).
    /// The models are loaded before: a model failing to load never touches the terminal.
    public static func run(models: StudioModels, theme: Theme, options: StudioOptions) throws -> Int32 {
        guard isatty(0) == 1, isatty(1) == 1 else {
            throw Failure(description: "the studio needs a terminal on stdin and stdout")
        }
        let replies = TerminalProbe.probe(timeoutMs: options.probeTimeoutMilliseconds)
        let graphics: GraphicsMode
        switch options.graphics {
        case .auto: graphics = replies.supportsSixel ? .sixel : .blocks
        case .sixel: graphics = .sixel
        case .blocks: graphics = .blocks
        }
        let session = try StudioSession(models: models, theme: theme, options: options, replies: replies, graphics: graphics)
        return session.run()
    }

    /// Runs the studio on one model.
    public static func run(model: any PortraitModel, theme: Theme, options: StudioOptions) throws -> Int32 {
        try run(models: StudioModels(model, note: nil, other: nil, otherUnavailable: "only one model was loaded"),
                theme: theme, options: options)
    }
}

/// The models of a studio: the one it opens on and the one `m` switches to (the neural model and
/// `synthetic`); side by side (`c`) shows the two when the neural model reads the built-in named
/// blendshapes.
public struct StudioModels: Sendable {
    /// One or two models; `models[0]` is the one the studio opens on.
    public let models: [any PortraitModel]
    /// Why `models[0]` was chosen (MODEL omitted), for the title; nil when it was asked for.
    public let note: String?
    /// Why `m` cannot switch, when there is one model.
    public let switchUnavailable: String?
    /// The (neural, synthetic) indices when side by side is available.
    public let comparison: (neural: Int, synthetic: Int)?
    /// Why side by side is unavailable (nil when available).
    public let comparisonUnavailable: String?

    /// `current` first, then `other` when it loaded (`otherUnavailable` says why not).
    public init(_ current: any PortraitModel, note: String?, other: (any PortraitModel)?, otherUnavailable: String?) {
        models = [current] + (other.map { [$0] } ?? [])
        self.note = note
        switchUnavailable = other == nil ? (otherUnavailable ?? "there is no other model") : nil
        let synthetic = models.firstIndex { $0 is SyntheticPortraitModel }
        let neural = models.firstIndex { !($0 is SyntheticPortraitModel) }
        if let synthetic, let neural {
            if let reason = SideBySide.unavailableReason(neuralName: models[neural].identity.name, space: models[neural].controlSpace) {
                comparison = nil
                comparisonUnavailable = reason
            } else {
                comparison = (neural, synthetic)
                comparisonUnavailable = nil
            }
        } else {
            comparison = nil
            comparisonUnavailable = "it needs the neural model and synthetic loaded together (\(switchUnavailable ?? "one is missing"))"
        }
    }
}
