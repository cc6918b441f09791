import ModelIO
import Numerics

/// The radiance mapping network (`radiance_net.mapping_network`, SPEC §2.1):
/// `160 -> 256 -> 256 -> 256 -> 2·9·hidden_dim`, split into raw frequencies and phase shifts.
public struct RadianceMapping: Sendable {
    public let network: MappingNetwork
    /// Length of each half (`9·hidden_dim`).
    public let halfCount: Int

    /// Loads `radiance_net.mapping_network.*` for `configuration`.
    public init(weights: Weights, configuration: GeneratorConfiguration) throws {
        halfCount = 9 * configuration.hiddenDim
        network = try MappingNetwork(weights: weights, prefix: "radiance_net.mapping_network",
                                     input: configuration.identityDim + configuration.noiseDim,
                                     hidden: configuration.mappingHiddenDim, output: 2 * halfCount)
    }

    /// `(f_raw, φ_raw)` for `z = concat(z_id, ε)`, each `[9·hidden_dim]`.
    public func callAsFunction(_ z: [Float]) -> (frequencies: [Float], phases: [Float]) {
        let o = network(z)
        return (Array(o[0..<halfCount]), Array(o[halfCount...]))
    }
}
