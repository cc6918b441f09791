import Numerics

/// The latent mapping networks (`MappingNetwork` of `siren.py` and `styleesrgan.py`): three Linear
/// layers each followed by LReLU(0.2) (`network.0`, `.2`, `.4`), then a plain Linear (`network.6`).
/// Used for the radiance mapping (§2.1), the SR mapping (§2.5) and the DeformNet mapping (§2.4).
public struct MappingNetwork: Sendable {
    /// `network.0`, `.2`, `.4` with LReLU after each: `get_w` of the SR mapping.
    public let body: MLP
    /// `network.6`: `from_w` of the SR mapping.
    public let head: Linear

    /// Loads `prefix.network.{0,2,4,6}` with widths `input -> hidden -> hidden -> hidden -> output`.
    public init(weights: Weights, prefix: String, input: Int, hidden: Int, output: Int) throws {
        body = try MLP(weights: weights, prefixes: [0, 2, 4].map { "\(prefix).network.\($0)" },
                       widths: [input, hidden, hidden, hidden], activation: .leakyReLU, activatesLast: true)
        head = try weights.linear("\(prefix).network.6", input: hidden, output: output)
    }

    /// Input width.
    public var inputCount: Int { body.inputCount }
    /// Output width.
    public var outputCount: Int { head.outputCount }

    /// The output of the third LReLU (`get_w`), `[hidden]`.
    public func hidden(_ z: [Float]) -> [Float] { body.apply(z) }

    /// The last layer applied to a hidden vector (`from_w`), `[output]`.
    public func output(fromHidden w: [Float]) -> [Float] { head.apply(w) }

    /// The whole network, `[output]`.
    public func callAsFunction(_ z: [Float]) -> [Float] { output(fromHidden: hidden(z)) }
}
