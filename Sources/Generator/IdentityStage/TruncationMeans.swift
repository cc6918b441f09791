import ModelIO

/// The truncation averages of SPEC §2.7 (not in the checkpoint): radiance mapping means in
/// mapping-output space and the SR style mean.
public struct TruncationMeans: Sendable, Equatable {
    /// `avg_frequencies`, `[9·hidden_dim]` (before the FiLM `·15 + 30`).
    public let frequencies: [Float]
    /// `avg_phase_shifts`, `[9·hidden_dim]`.
    public let phases: [Float]
    /// `avg_w` of the SR mapping, `[sr_mapping_hidden_dim]` (informational; truncation uses `style`).
    public let w: [Float]?
    /// `avg_style`, `[style_dim]`.
    public let style: [Float]

    public init(frequencies: [Float], phases: [Float], w: [Float]?, style: [Float]) {
        self.frequencies = frequencies
        self.phases = phases
        self.w = w
        self.style = style
    }

    /// Throws unless the sizes fit `configuration` and every value is finite.
    public func validate(for configuration: GeneratorConfiguration) throws {
        let checks: [(String, [Float]?, Int)] = [
            ("avg_frequencies", frequencies, 9 * configuration.hiddenDim),
            ("avg_phase_shifts", phases, 9 * configuration.hiddenDim),
            ("avg_w", w, configuration.srMappingHiddenDim),
            ("avg_style", style, configuration.styleDim),
        ]
        for (name, values, expected) in checks {
            guard let values else { continue }
            guard values.count == expected else {
                throw GeneratorError.invalidInput(field: name, reason: "\(values.count) values, expected \(expected)")
            }
            if let i = values.firstIndex(where: { !$0.isFinite }) {
                throw GeneratorError.invalidInput(field: "\(name)[\(i)]", reason: "\(values[i]) is not finite")
            }
        }
    }
}
