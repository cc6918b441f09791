// StudioCore: the studio's pure half (DESIGN.md §5). No terminal, thread or clock.
//
// Shape of the API the terminal half (module Studio) codes against:
//
//   var (state, effects) = StudioState.initial(model: info, size: TerminalSize(...), outDirectory: dir,
//                                              glyphs: .unicode, randomSeed: seedFromClock)
//   perform(effects)                                     // the first .requestRender among them
//   loop:
//     (state, effects) = reduce(state, .key(.right))     // or .mouse, .resize, worker results, ...
//     (state, effects) = reduce(state, .tick(now: monotonicSeconds))   // after every input batch and
//                                                      // whenever state.nextWakeup(...) is due
//     perform(effects)                                   // StudioEffect: render, save, record, load, quit, ...
//     paint: let screen = StudioScreen.render(state)     // title, panel lines with theme-key styles, status,
//                                                      // or the too-small message; state.layout.preview is the
//                                                      // pane ncurses never writes
//
// Files: Favourites.save/list/delete, TrajectoryWriter (O_APPEND, one write per line), TrajectoryReader,
// OfficialKeyframes (npy <-> jsonl), Theme / ThemeParser, StudioConfig.

import Generator

/// Status-line message with its expiry (monotonic seconds).
public struct StatusMessage: Equatable, Sendable {
    public var text: String
    public var level: MessageLevel
    /// When it disappears (5 s after it was set).
    public var expires: Double
}

/// Characters used for boxes and sliders: box and block characters in UTF-8 locales, ASCII otherwise.
public enum GlyphSet: Sendable, Equatable { case unicode, ascii }

/// The overlays that cover the panel (never the preview pane).
public enum Overlay: Equatable, Sendable {
    /// Key help, scrolled by `offset` lines.
    case help(offset: Int)
    /// The favourites list; `entries` nil while loading.
    case favourites(entries: [FavouriteEntry]?, selection: Int)
    /// The trajectory picker; `paths` nil while loading.
    case trajectories(paths: [String]?, selection: Int)
    /// Typing an exact value for slider `slider` (index into `StudioState.sliders`).
    case valueEntry(slider: Int, text: String)
}

/// A recording in progress.
public struct RecordingState: Equatable, Sendable {
    /// Monotonic time of t = 0; nil until the first tick after `r`.
    public var startTime: Double?
    /// File being written (after `.recordingStarted`).
    public var path: String?
    /// Controls changed since the last line.
    public var dirty: Bool
    /// Lines written since the last fsync.
    public var unsynced: Bool
    /// Monotonic time of the last fsync (or the start).
    public var lastSync: Double
}

/// A trajectory being played.
public struct PlaybackState: Equatable, Sendable {
    public var trajectory: Trajectory
    public var path: String
    /// Monotonic time of t = 0; nil until the first tick after loading.
    public var startTime: Double?
    /// Index of the next line to apply.
    public var nextLine: Int
}

/// A mouse drag in progress.
public enum DragState: Equatable, Sendable {
    /// Dragging along slider `slider`'s track.
    case slider(Int)
    /// Orbiting the camera from the preview: where the press was and the angles then.
    case orbit(column: Int, row: Int, yaw: Double, pitch: Double)
}

/// The whole studio state. Change it only through `reduce`.
public struct StudioState: Equatable, Sendable {
    public internal(set) var model: ModelInfo
    /// The slider table for `model` (DESIGN.md §5).
    public internal(set) var sliders: [SliderSpec]
    /// The current controls: seed identity, ψ set, expression as `model.expressionDimension` values.
    public internal(set) var controls: Controls
    /// Expression preset (0 none, k = the k-th row of the expression sampler).
    public internal(set) var preset: Int
    /// Selected slider (index into `sliders`).
    public internal(set) var selection: Int
    /// Bumped on every change that needs a render.
    public internal(set) var generation: Int
    public internal(set) var sideBySide: Bool
    public internal(set) var size: TerminalSize
    public internal(set) var glyphs: GlyphSet
    /// Where favourites and trajectories go.
    public internal(set) var outDirectory: String
    /// The last tick (monotonic seconds).
    public internal(set) var now: Double
    public internal(set) var message: StatusMessage?
    public internal(set) var renderStatus: RenderStatus
    public internal(set) var overlay: Overlay?
    public internal(set) var recording: RecordingState?
    public internal(set) var playback: PlaybackState?
    public internal(set) var drag: DragState?
    /// State of the random generator used by space (random seed) and `e` (SplitMix64).
    public internal(set) var randomState: UInt64
    /// First slider row shown in the Expression and Head & shoulders windows (panel scrolling).
    public internal(set) var scroll: [SliderGroup: Int]
    /// Set by `q` / Ctrl-C.
    public internal(set) var quitting: Bool
    /// The expression vector last used with each model (by name), restored when `m` switches back to a model
    /// whose expressions do not map by name.
    public internal(set) var expressionMemory: [String: [Double]] = [:]

    /// The layout for the current size.
    public var layout: Layout { Layout.compute(size, sideBySide: sideBySide) }

    /// The selected slider.
    public var selectedSlider: SliderSpec { sliders[selection] }

    /// The current value of slider `index`.
    public func value(of index: Int) -> Double {
        let spec = sliders[index]
        if let keyPath = spec.keyPath { return controls[keyPath: keyPath] }
        return Double(preset)
    }

    /// A fresh studio for `model` with its first render request.
    /// `initialControls` defaults to seed 0 with the model's ψ; values outside a slider's range are clamped
    /// with a message. `randomSeed` seeds space (random seed) and `e` (take it from the clock).
    public static func initial(model: ModelInfo, size: TerminalSize, outDirectory: String, glyphs: GlyphSet = .unicode,
                               randomSeed: UInt64 = 0, initialControls: Controls? = nil) -> (StudioState, [StudioEffect]) {
        var state = StudioState(
            model: model, sliders: SliderTable.sliders(for: model), controls: Controls(), preset: 0, selection: 0,
            generation: 0, sideBySide: false, size: size, glyphs: glyphs, outDirectory: outDirectory, now: 0,
            message: nil, renderStatus: RenderStatus(stage: "idle"), overlay: nil, recording: nil, playback: nil,
            drag: nil, randomState: randomSeed, scroll: [:], quitting: false)
        var effects: [StudioEffect] = []
        var controls = initialControls ?? Controls(identity: .seed(0, blend: 0))
        if controls.psi == nil { controls.psi = model.defaultPsi }
        state.adopt(controls, effects: &effects, announce: true)
        state.requestRender(&effects)
        return (state, effects)
    }

    /// When the terminal half should send the next tick at the latest (monotonic seconds), or nil for
    /// "only on input". Due times at or before `now` mean "right away".
    public var nextWakeup: Double? {
        var times: [Double] = []
        if let recording {
            if recording.startTime == nil || recording.dirty { times.append(now) }
            if recording.unsynced { times.append(recording.lastSync + 1) }
        }
        if let playback {
            if let start = playback.startTime {
                if playback.nextLine < playback.trajectory.lines.count {
                    times.append(start + playback.trajectory.lines[playback.nextLine].t)
                }
            } else {
                times.append(now)
            }
        }
        if let message { times.append(message.expires) }
        return times.min()
    }
}

/// Advances the studio by one event: the new state and the effects to perform, in order.
public func reduce(_ state: StudioState, _ event: StudioEvent) -> (StudioState, [StudioEffect]) {
    var next = state
    let effects = next.handle(event)
    return (next, effects)
}
