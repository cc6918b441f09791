import Generator

/// Which model a trajectory or favourite was made with.
public struct ModelIdentity: Equatable, Sendable {
    public var name: String
    /// SHA-256 of the bundle's data section; nil for `synthetic`.
    public var dataSHA256: String?
    /// Renderer version of `synthetic`; nil for bundles.
    public var version: String?
    public init(name: String, dataSHA256: String? = nil, version: String? = nil) {
        self.name = name; self.dataSHA256 = dataSHA256; self.version = version
    }
    public init(_ model: ModelInfo) {
        self.init(name: model.name, dataSHA256: model.dataSHA256, version: model.version)
    }
}

/// The header line of a `portrait-trajectory/1` file (DESIGN.md §4), without its start time, which the
/// writer stamps.
public struct TrajectoryHeader: Equatable, Sendable {
    public static let format = "portrait-trajectory/1"
    public var model: ModelIdentity
    /// Expression labels in slot order (names, or `e00`… for numbered controls).
    public var expressionNames: [String]
    /// Joint names in slot order (`Controls.jointNames`).
    public var jointNames: [String]
    /// `started_at` as read from a file (ISO 8601 UTC); nil before writing.
    public var startedAt: String?
    public init(model: ModelIdentity, expressionNames: [String], jointNames: [String] = Controls.jointNames,
                startedAt: String? = nil) {
        self.model = model; self.expressionNames = expressionNames; self.jointNames = jointNames
        self.startedAt = startedAt
    }
}

/// One line of a trajectory: the full control state from `t` seconds after the start.
public struct TrajectoryLine: Equatable, Sendable {
    /// Seconds since the start (1 ms resolution).
    public var t: Double
    public var controls: Controls
    public init(t: Double, controls: Controls) { self.t = t; self.controls = controls }
}

/// A trajectory read from a file, expressions already mapped to the model it will play on.
public struct Trajectory: Equatable, Sendable {
    public var header: TrajectoryHeader
    /// Lines in file order (`t` non-decreasing).
    public var lines: [TrajectoryLine]
    public init(header: TrajectoryHeader, lines: [TrajectoryLine]) { self.header = header; self.lines = lines }

    /// Duration in seconds (the last line's `t`).
    public var duration: Double { lines.last?.t ?? 0 }
}
