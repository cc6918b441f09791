/// What the studio needs to know about the model it drives (filled in by the terminal half from the
/// loaded model; pure data so the state machine stays testable without one).
public struct ModelInfo: Sendable, Equatable {
    /// Whether `c` (side by side with `synthetic`) can be used with this model.
    public enum Comparison: Sendable, Equatable {
        case available
        /// Not available; the reason is shown in the status line.
        case unavailable(reason: String)
    }

    /// The model's name (`studio`, `sshq512`, `synthetic`, …).
    public var name: String
    /// `provenance.source` of a bundle (`builtin-untrained`, `official-checkpoint`, `trained`); nil for `synthetic`.
    public var source: String?
    /// The renderer version of `synthetic`; nil for bundles.
    public var version: String?
    /// SHA-256 of the bundle's data section (hex); nil for `synthetic`.
    public var dataSHA256: String?
    /// Named expression controls, or nil for numbered ones (`e00`…).
    public var expressionNames: [String]?
    /// Number of expression coefficients.
    public var expressionDimension: Int
    /// Range of every expression slider.
    public var expressionRange: ClosedRange<Double>
    /// Truncation ψ used when the controls leave it open.
    public var defaultPsi: Double
    /// Rows of `samplers.expression` (`[N][expressionDimension]`), used by presets and `e`; may be empty.
    public var expressionSamples: [[Double]]
    /// Side-by-side availability.
    public var comparison: Comparison
    /// Why this model was chosen when MODEL was omitted (shown in the title), e.g. `builtin untrained`.
    public var note: String?

    public init(name: String, source: String? = nil, version: String? = nil, dataSHA256: String? = nil,
                expressionNames: [String]? = nil, expressionDimension: Int, expressionRange: ClosedRange<Double> = -3...3,
                defaultPsi: Double = 0.7, expressionSamples: [[Double]] = [],
                comparison: Comparison = .unavailable(reason: "side by side needs the synthetic model"), note: String? = nil) {
        self.name = name; self.source = source; self.version = version; self.dataSHA256 = dataSHA256
        self.expressionNames = expressionNames; self.expressionDimension = expressionDimension
        self.expressionRange = expressionRange; self.defaultPsi = defaultPsi
        self.expressionSamples = expressionSamples; self.comparison = comparison; self.note = note
    }

    /// The label of expression `index`: its name, or `e07` for numbered controls.
    public func expressionLabel(_ index: Int) -> String {
        if let expressionNames, index < expressionNames.count { return expressionNames[index] }
        return index < 10 ? "e0\(index)" : "e\(index)"
    }

    /// All expression labels in slot order.
    public var expressionLabels: [String] { (0..<expressionDimension).map(expressionLabel) }

    /// Number of presets (rows of the expression sampler offered by the preset slider, at most 99).
    public var presetCount: Int { min(expressionSamples.count, 99) }

    /// The model in the title: `synthetic/1` for a model that is code (name/version), else `name (kind)`;
    /// with `note` when set (`synthetic/1 (builtin untrained)`, `studio (trained; default)`).
    public func titleName(withNote: Bool) -> String {
        let note = withNote ? self.note : nil
        if let version { return "\(name)/\(version)" + (note.map { " (\($0))" } ?? "") }
        return "\(name) (\(kindDescription)\(note.map { "; " + $0 } ?? ""))"
    }

    /// A short description for the title: `untrained`, `official`, `trained`, `renderer 1` (synthetic).
    public var kindDescription: String {
        if let version { return "renderer \(version)" }
        if name == "synthetic" { return "renderer" }
        switch source {
        case "builtin-untrained": return "untrained"
        case "official-checkpoint": return "official"
        case "trained": return "trained"
        case let other?: return other
        case nil: return "model"
        }
    }
}
