import ModelIO
import Numerics

/// The level field (`sample_net`, SPEC §2.3): `s = Linear(ReLU(Linear(ReLU(Linear(ReLU(Linear(G)))))))`,
/// widths `3 -> hidden_dim_sample -> hidden_dim_sample -> hidden_dim_sample -> 1`. No latent input.
///
/// Its input `G` is the doubly warped, centre-shifted point (`input(warpedOnce:)`, SPEC I5 / F9).
public struct SampleNet: Sendable {
    /// `network.0`, `.2`, `.4` (ReLU after each) and `output_layer`.
    public let mlp: MLP

    /// The box warp factor `2/0.24` as Float32 (`UniformBoxWarp(0.24)`, SPEC §2.8).
    public static let warp: Float = Float(2.0 / 0.24)
    /// `SampleNet.center` (0, 0, -1.5), subtracted after the second warp.
    public static let center: SIMD3<Float> = SIMD3(0, 0, -1.5)

    /// Loads `sample_net.*` for `configuration.hiddenDimSample`.
    public init(weights: Weights, configuration: GeneratorConfiguration) throws {
        let h = configuration.hiddenDimSample
        mlp = try MLP(weights: weights,
                      prefixes: ["sample_net.network.0", "sample_net.network.2", "sample_net.network.4",
                                 "sample_net.output_layer"],
                      widths: [3, h, h, h, 1], activation: .relu)
    }

    /// The net input for a once-warped point `q`: `(q·k) − (0, 0, −1.5)` (second warp, then the centre).
    @inlinable
    public static func input(warpedOnce q: SIMD3<Float>) -> SIMD3<Float> {
        (q * warp) - center
    }

    /// Floats of scratch memory `evaluate` needs for `rows` points.
    public func scratchCount(rows: Int) -> Int { mlp.scratchCount(rows: rows) }

    /// `s[r] = SampleNet(G[r])` for `rows` net inputs `G` (`[rows, 3]`, already `input(warpedOnce:)`),
    /// using `scratch` (at least `scratchCount(rows:)` floats).
    public func evaluate(_ inputs: UnsafeBufferPointer<Float>, rows: Int,
                         scratch: UnsafeMutableBufferPointer<Float>, into s: UnsafeMutableBufferPointer<Float>) {
        mlp.apply(inputs, rows: rows, scratch: scratch, into: s)
    }
}
