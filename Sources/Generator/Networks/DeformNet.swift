import ModelIO
import Numerics

/// The expression deformation network (`deform_net`, SPEC §2.4, F8): a FiLM-SIREN of three layers of width
/// `deform_hidden_dim` conditioned on `concat(z_id, z_exp)` through its own mapping network
/// (`deform_net.mapping_network`, not truncated), and a final Linear whose first three outputs are the
/// deformation `Δ` (in warped units).
///
/// The 7-d input of the release is `[x·k, y·k, z·k, 0, 0, 0, 0]`: columns 3...6 of `network.0` only ever meet
/// exact zeros. The first layer is therefore evaluated as `((x·w₀ + y·w₁) + z·w₂) + b` in that order, which
/// gives the same bits as the sum over all seven inputs in order (adding `w·0 = ±0` to a sum changes
/// nothing), and columns 3...6 are skipped.
public struct DeformNet: Sendable {
    /// Columns 0, 1, 2 of `network.0.layer.weight` (`[hidden]` each; columns 3...6 meet only zeros) and its bias.
    let firstWeightX: [Float], firstWeightY: [Float], firstWeightZ: [Float]
    let firstBias: [Float]
    /// `network.1`, `network.2`: `[hidden, hidden]`.
    let layers: [FiLMLayer]
    /// Rows 0...2 of `final_layer` (`[3, hidden]`): the deformation.
    let output: Linear
    /// The mapping network on `concat(z_id, z_exp)`.
    public let mapping: MappingNetwork
    /// FiLM width.
    public let hiddenDim: Int

    /// Input width of the release's DeformNet (coordinates, reference deformation, confidence).
    public static let inputDim = 7

    /// Loads `deform_net.*` for `configuration` (width `deform_hidden_dim`, mapping width
    /// `deform_mapping_hidden_dim`, mapping input `identity_dim + expression_dim`).
    public init(weights: Weights, configuration: GeneratorConfiguration) throws {
        let h = configuration.deformHiddenDim
        hiddenDim = h
        let first = try weights.linear("deform_net.network.0.layer", input: Self.inputDim, output: h)
        let w = first.weight.scalars
        firstWeightX = (0..<h).map { w[$0 * Self.inputDim] }
        firstWeightY = (0..<h).map { w[$0 * Self.inputDim + 1] }
        firstWeightZ = (0..<h).map { w[$0 * Self.inputDim + 2] }
        firstBias = first.bias.scalars
        layers = try (1...2).map { try weights.film("deform_net.network.\($0)", input: h, output: h) }
        output = try weights.linear("deform_net.final_layer", input: h, output: Self.inputDim).selectingOutputs(0..<3)
        mapping = try MappingNetwork(weights: weights, prefix: "deform_net.mapping_network",
                                     input: configuration.identityDim + configuration.expressionDim,
                                     hidden: configuration.deformMappingHiddenDim, output: 2 * 3 * h)
    }

    /// The per-frame modulation: FiLM frequencies (`f·15 + 30`) and phases, `3·hidden` each, from
    /// `concat(z_id, z_exp)`.
    public func modulation(identity: [Float], expression: [Float]) throws -> DeformModulation {
        let z = identity + expression
        guard z.count == mapping.inputCount else {
            throw GeneratorError.invalidInput(field: "deform codes", reason: "\(identity.count) identity + \(expression.count) expression values, the DeformNet mapping takes \(mapping.inputCount)")
        }
        let o = mapping(z)
        let n = 3 * hiddenDim
        return DeformModulation(frequencies: RadianceNet.filmFrequencies(Array(o[0..<n])), phases: Array(o[n..<(2 * n)]))
    }

    /// Floats of scratch memory `evaluate` needs for `rows` points.
    public func scratchCount(rows: Int) -> Int { 2 * rows * hiddenDim }

    /// `Δ[r] = DeformNet([c_r, 0, 0, 0, 0])[0:3]` for `rows` once-warped points `warped` (`[rows, 3]`), into
    /// `delta` (`[rows, 3]`), using `scratch` (at least `scratchCount(rows:)` floats).
    public func evaluate(_ warped: UnsafeBufferPointer<Float>, rows: Int, modulation: DeformModulation,
                         scratch: UnsafeMutableBufferPointer<Float>, into delta: UnsafeMutableBufferPointer<Float>) {
        let h = hiddenDim
        precondition(warped.count >= rows * 3 && delta.count >= rows * 3 && scratch.count >= scratchCount(rows: rows),
                     "DeformNet: buffers too small for \(rows) points")
        let a = UnsafeMutableBufferPointer(rebasing: scratch[0..<(rows * h)])
        let b = UnsafeMutableBufferPointer(rebasing: scratch[(rows * h)..<(2 * rows * h)])
        firstWeightX.withUnsafeBufferPointer { wx in
        firstWeightY.withUnsafeBufferPointer { wy in
        firstWeightZ.withUnsafeBufferPointer { wz in
        firstBias.withUnsafeBufferPointer { bias in
            // Wrapping index arithmetic (the buffers are sized above) lets the inner loop vectorise.
            for r in 0..<rows {
                let x = warped[3 &* r], y = warped[3 &* r &+ 1], z = warped[3 &* r &+ 2]
                let row = UnsafeMutableBufferPointer(rebasing: a[(r &* h)..<(r &* h &+ h)])
                for o in 0..<h {
                    var s = x * wx[o]
                    s += y * wy[o]
                    s += z * wz[o]
                    row[o] = s + bias[o]
                }
            }
        } } } }
        modulation.frequencies.withUnsafeBufferPointer { f in
            modulation.phases.withUnsafeBufferPointer { p in
                func slot(_ v: UnsafeBufferPointer<Float>, _ t: Int) -> UnsafeBufferPointer<Float> {
                    UnsafeBufferPointer(rebasing: v[(t * h)..<((t + 1) * h)])
                }
                FiLMLayer.modulate(a, rows: rows, width: h, frequencies: slot(f, 0), phases: slot(p, 0))
                layers[0].apply(UnsafeBufferPointer(a), rows: rows, frequencies: slot(f, 1), phases: slot(p, 1), into: b)
                layers[1].apply(UnsafeBufferPointer(b), rows: rows, frequencies: slot(f, 2), phases: slot(p, 2), into: a)
            }
        }
        output.apply(UnsafeBufferPointer(a), rows: rows, into: delta)
    }
}

/// The DeformNet's per-frame FiLM modulation (frequencies already `f·15 + 30`), `3·hidden` values each.
public struct DeformModulation: Sendable, Equatable {
    public let frequencies: [Float]
    public let phases: [Float]
}
