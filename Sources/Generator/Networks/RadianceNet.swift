import Foundation
import ModelIO
import Numerics

/// The radiance network (`radiance_net`, SPEC §2.2): a FiLM-SIREN of 8 layers of width `hidden_dim`, a
/// colour FiLM layer on `concat(direction, h)`, and 7 output heads each for colour, density and features
/// whose outputs are accumulated in layer order (t = 1..7), starting from exact zero.
///
/// Per point it yields `[r, g, b, σ, feat_0 .. feat_{F-1}]` (`4 + feature_dim` floats): rgb after the
/// sigmoid, σ the raw density, features raw.
public struct RadianceNet: Sendable {
    /// FiLM width H.
    public let hiddenDim: Int
    /// Feature channels F.
    public let featureDim: Int
    /// `network.0` (`[H, 3]`) .. `network.7` (`[H, H]`).
    public let layers: [FiLMLayer]
    /// `color_layer_sine.0`, `[H, H + 3]` on `concat(direction, h)`.
    public let colorLayer: FiLMLayer
    /// For t = 1..6 (index t − 1): colour, sigma and feature heads of layer t stacked as `[3 + 1 + F, H]`.
    let stackedHeads: [Linear]
    /// Sigma and feature heads of layer 7 stacked as `[1 + F, H]`.
    let lastDensityFeatureHead: Linear
    /// Colour head of layer 7 (`output_color.6`), `[3, H]`, applied to the colour layer's output.
    let lastColorHead: Linear

    /// Width of one output row: `4 + featureDim`.
    public var outputWidth: Int { 4 + featureDim }
    /// Length of the frequency and phase vectors: `9·H` (slots 0..7 for `network.0..7`, 8 for colour).
    public var modulationCount: Int { 9 * hiddenDim }

    /// Loads `radiance_net.*` (without the mapping network) for `configuration`.
    public init(weights: Weights, configuration: GeneratorConfiguration) throws {
        let h = configuration.hiddenDim
        let f = configuration.featureDim
        hiddenDim = h
        featureDim = f
        let p = "radiance_net."
        layers = try (0..<8).map { try weights.film("\(p)network.\($0)", input: $0 == 0 ? 3 : h, output: h) }
        colorLayer = try weights.film("\(p)color_layer_sine.0", input: h + 3, output: h)
        func color(_ i: Int) throws -> Linear { try weights.linear("\(p)output_color.\(i)", input: h, output: 3) }
        func sigma(_ i: Int) throws -> Linear { try weights.linear("\(p)output_sigma.\(i)", input: h, output: 1) }
        func feature(_ i: Int) throws -> Linear { try weights.linear("\(p)output_feature.\(i)", input: h, output: f) }
        stackedHeads = try (0..<6).map { try Linear.stacking([color($0), sigma($0), feature($0)]) }
        lastDensityFeatureHead = try Linear.stacking([sigma(6), feature(6)])
        lastColorHead = try color(6)
    }

    /// The frequencies the FiLM layers use: `f·15 + 30` (product rounded, then sum), SPEC §2.0.
    public static func filmFrequencies(_ f: [Float]) -> [Float] {
        f.map { ($0 * 15) + 30 }
    }

    /// Floats of scratch memory `evaluate` needs for `rows` points.
    public func scratchCount(rows: Int) -> Int {
        rows * (3 + 2 * hiddenDim + (hiddenDim + 3) + outputWidth)
    }

    /// Evaluates the net on `rows` points (`points` `[rows, 3]`, world units; warped once inside) with
    /// ray `direction`, FiLM `frequencies` (already `filmFrequencies`, `9·H`) and `phases` (`9·H`), into
    /// `output` `[rows, 4 + F]`. `scratch` holds at least `scratchCount(rows:)` floats.
    public func evaluate(points: UnsafeBufferPointer<Float>, rows: Int, direction: SIMD3<Float>,
                         frequencies: UnsafeBufferPointer<Float>, phases: UnsafeBufferPointer<Float>,
                         scratch: UnsafeMutableBufferPointer<Float>,
                         into output: UnsafeMutableBufferPointer<Float>) {
        let h = hiddenDim
        let width = outputWidth
        precondition(points.count >= rows * 3 && output.count >= rows * width, "RadianceNet: buffers too small")
        precondition(frequencies.count >= 9 * h && phases.count >= 9 * h, "RadianceNet: modulation vectors too short")
        precondition(scratch.count >= scratchCount(rows: rows), "RadianceNet: scratch too small")
        var offset = 0
        func carve(_ n: Int) -> UnsafeMutableBufferPointer<Float> {
            defer { offset += n }
            return UnsafeMutableBufferPointer(rebasing: scratch[offset..<(offset + n)])
        }
        let warped = carve(rows * 3)
        var current = carve(rows * h)
        var next = carve(rows * h)
        let joined = carve(rows * (h + 3))
        let head = carve(rows * width)
        func slot(_ v: UnsafeBufferPointer<Float>, _ t: Int) -> UnsafeBufferPointer<Float> {
            UnsafeBufferPointer(rebasing: v[(t * h)..<((t + 1) * h)])
        }

        let k = SampleNet.warp
        for i in 0..<(rows * 3) { warped[i] = points[i] * k }
        layers[0].apply(UnsafeBufferPointer(warped), rows: rows, frequencies: slot(frequencies, 0),
                        phases: slot(phases, 0), into: current)
        for i in 0..<(rows * width) { output[i] = 0 }
        for t in 1...7 {
            layers[t].apply(UnsafeBufferPointer(current), rows: rows, frequencies: slot(frequencies, t),
                            phases: slot(phases, t), into: next)
            swap(&current, &next)
            if t < 7 {
                stackedHeads[t - 1].apply(UnsafeBufferPointer(current), rows: rows, into: head)
                for i in 0..<(rows * width) { output[i] = output[i] + head[i] }
            } else {
                // Layer 7: feature and sigma heads on h, then the colour layer on concat(direction, h).
                let n = 1 + featureDim
                lastDensityFeatureHead.apply(UnsafeBufferPointer(current), rows: rows, into: head)
                for r in 0..<rows {
                    for c in 0..<n { output[r * width + 3 + c] = output[r * width + 3 + c] + head[r * n + c] }
                }
                for r in 0..<rows {
                    let base = r * (h + 3)
                    joined[base] = direction.x
                    joined[base + 1] = direction.y
                    joined[base + 2] = direction.z
                    for c in 0..<h { joined[base + 3 + c] = current[r * h + c] }
                }
                colorLayer.apply(UnsafeBufferPointer(joined), rows: rows, frequencies: slot(frequencies, 8),
                                 phases: slot(phases, 8), into: next)
                lastColorHead.apply(UnsafeBufferPointer(next), rows: rows, into: head)
                for r in 0..<rows {
                    for c in 0..<3 { output[r * width + c] = output[r * width + c] + head[r * 3 + c] }
                }
            }
        }
        for r in 0..<rows {
            for c in 0..<3 {
                let x = output[r * width + c]
                output[r * width + c] = 1 / (1 + Foundation.exp(-x))
            }
        }
    }
}
