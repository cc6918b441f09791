import Generator

/// A key press, as the terminal half decodes it.
public enum StudioKey: Hashable, Sendable {
    /// A printable character (`k`, `N`, `?`, `0`, space, …).
    case character(Character)
    /// A control character: `.control("l")` for Ctrl-L, `.control("c")` for Ctrl-C.
    case control(Character)
    case up, down, left, right, home, end, pageUp, pageDown
    case tab, backTab, enter, escape, backspace, delete
}

/// A mouse event in screen cells (column, row from the top-left, 0-based); the state machine hit-tests
/// against its own layout.
public struct MouseEvent: Hashable, Sendable {
    public enum Kind: Hashable, Sendable { case press, drag, release, wheelUp, wheelDown }
    public var kind: Kind
    public var column: Int
    public var row: Int
    public init(_ kind: Kind, column: Int, row: Int) { self.kind = kind; self.column = column; self.row = row }
}

/// Terminal size in cells and the size of one cell in pixels.
public struct TerminalSize: Hashable, Sendable {
    public var columns: Int
    public var rows: Int
    /// Cell width in pixels (8 when unknown).
    public var cellWidth: Int
    /// Cell height in pixels (16 when unknown).
    public var cellHeight: Int
    public init(columns: Int, rows: Int, cellWidth: Int = 8, cellHeight: Int = 16) {
        self.columns = columns; self.rows = rows; self.cellWidth = cellWidth; self.cellHeight = cellHeight
    }
}

/// What the render worker reports for the status line.
public struct RenderStatus: Hashable, Sendable {
    /// Current stage: `idle`, `identity`, `preview`, `full`, `saving`, …
    public var stage: String
    /// Last full frame time in milliseconds.
    public var fullMilliseconds: Double?
    /// Last preview frame time in milliseconds.
    public var previewMilliseconds: Double?
    /// Identity cache summary, e.g. `3 HR`.
    public var cache: String?
    public init(stage: String, fullMilliseconds: Double? = nil, previewMilliseconds: Double? = nil, cache: String? = nil) {
        self.stage = stage; self.fullMilliseconds = fullMilliseconds; self.previewMilliseconds = previewMilliseconds
        self.cache = cache
    }
}

/// Everything that can happen to the studio. The terminal half turns input, timers and worker results
/// into these and feeds them to `reduce`.
public enum StudioEvent: Sendable {
    case key(StudioKey)
    case mouse(MouseEvent)
    /// The monotonic clock, in seconds. Send one after every batch of input and whenever
    /// `StudioState.nextWakeup` is due; recording, playback, message expiry and fsync run on ticks.
    case tick(now: Double)
    /// The terminal size changed (and at start).
    case resize(TerminalSize)
    /// The worker's progress and timings for `generation` (older generations only update timings).
    case renderStatus(generation: Int, RenderStatus)
    /// A render failed.
    case renderFailed(generation: Int, message: String)
    /// A favourite was written (`name` is the PNG's file name).
    case saveDone(name: String)
    case saveFailed(message: String)
    /// Result of `.listFavourites`, newest first.
    case favouritesListed([FavouriteEntry])
    /// Result of `.deleteFavourite`.
    case favouriteDeleted(name: String)
    /// A list or delete failed.
    case favouritesFailed(message: String)
    /// Result of `.startRecording`: the file now being written.
    case recordingStarted(path: String)
    /// Opening or writing the recording failed: recording stops.
    case recordingFailed(message: String)
    /// Result of `.listTrajectories` (paths, newest first).
    case trajectoriesListed([String])
    /// Result of `.loadTrajectory` (or `--play FILE` at start): playback begins at the next tick.
    case trajectoryLoaded(Trajectory, path: String, warnings: [String])
    case trajectoryFailed(message: String)
    /// The model changed (`m`, or at start): expressions are remapped by name, else by index.
    case modelChanged(ModelInfo)
    /// A message for the status line from the terminal half (5 s).
    case message(String, level: MessageLevel)
}
