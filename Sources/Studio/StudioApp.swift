import Foundation
import Generator
import StudioCore

/// `portrait studio`: probes the terminal, takes it with ncurses and runs the studio on `model`.
public enum StudioApp {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    /// Runs the studio until `q` or a terminating signal; returns the exit status (0, or 128 + signal).
    /// The model is loaded before: a model failing to load never touches the terminal.
    public static func run(model: any PortraitModel, theme: Theme, options: StudioOptions) throws -> Int32 {
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
        let session = try StudioSession(model: model, theme: theme, options: options, replies: replies, graphics: graphics)
        return session.run()
    }
}
