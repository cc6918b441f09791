import ModelIO
import Numerics

/// The SR mapping network (`sr_net.mapping_network`, SPEC §2.5): `get_w` = three Linear + LReLU layers
/// (`160 -> 256 -> 256 -> 256`), `from_w` = the last Linear (`256 -> style_dim`).
public struct SRMapping: Sendable {
    public let network: MappingNetwork

    /// Loads `sr_net.mapping_network.*` for `configuration`.
    public init(weights: Weights, configuration: GeneratorConfiguration) throws {
        network = try MappingNetwork(weights: weights, prefix: "sr_net.mapping_network",
                                     input: configuration.srNetKwargs.wDim,
                                     hidden: configuration.srMappingHiddenDim, output: configuration.styleDim)
    }

    /// `get_w(z)`, `[sr_mapping_hidden_dim]`.
    public func w(_ z: [Float]) -> [Float] { network.hidden(z) }

    /// `from_w(w)`, the style `[style_dim]`.
    public func style(fromW w: [Float]) -> [Float] { network.output(fromHidden: w) }
}
