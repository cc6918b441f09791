import ModelIO
import Numerics
import Synchronization

/// The identity stage (SPEC §1.1): codes → mapping → truncation → orthographic manifold intersections →
/// radiance at the intersections → LR maps → style RRDB super-resolution → HR maps.
///
/// The manifold intersections have no latent input: they are computed once per model (on first use)
/// and reused for every identity.
public final class IdentityStage: Sendable {
    public let configuration: GeneratorConfiguration
    public let means: TruncationMeans
    public let radianceMapping: RadianceMapping
    public let radianceNet: RadianceNet
    public let sampleNet: SampleNet
    public let srMapping: SRMapping
    public let srNet: StyleRRDBNet
    private let intersectionCache = Mutex<ManifoldIntersections?>(nil)

    /// Binds the identity-stage networks of `weights` (official keys) for `configuration`.
    public init(weights: Weights, configuration: GeneratorConfiguration, means: TruncationMeans) throws {
        if let problem = configuration.problem() { throw GeneratorError.configuration(problem) }
        try means.validate(for: configuration)
        self.configuration = configuration
        self.means = means
        radianceMapping = try RadianceMapping(weights: weights, configuration: configuration)
        radianceNet = try RadianceNet(weights: weights, configuration: configuration)
        sampleNet = try SampleNet(weights: weights, configuration: configuration)
        srMapping = try SRMapping(weights: weights, configuration: configuration)
        srNet = try StyleRRDBNet(weights: weights, configuration: configuration)
    }

    /// The orthographic manifold intersections (I4-I6), computed on first use and cached.
    public func intersections() -> ManifoldIntersections {
        intersectionCache.withLock { cached in
            if let cached { return cached }
            let field = OrthographicManifolds.levelField(sampleNet: sampleNet, configuration: configuration)
            let result = OrthographicManifolds.intersections(levelField: field, configuration: configuration)
            cached = result
            return result
        }
    }

    /// `concat(z_id, ε)` after checking sizes and finiteness.
    public func latent(identity: [Float], noise: [Float]) throws -> [Float] {
        guard identity.count == configuration.identityDim else {
            throw GeneratorError.invalidInput(field: "identity", reason: "\(identity.count) values, model has \(configuration.identityDim)")
        }
        guard noise.count == configuration.noiseDim else {
            throw GeneratorError.invalidInput(field: "noise", reason: "\(noise.count) values, model has \(configuration.noiseDim)")
        }
        for (name, values) in [("identity", identity), ("noise", noise)] {
            if let i = values.firstIndex(where: { !$0.isFinite }) {
                throw GeneratorError.invalidInput(field: "\(name)[\(i)]", reason: "\(values[i]) is not finite")
            }
        }
        return identity + noise
    }

    /// Checks ψ (finite, in [0, 1.5]).
    public static func validate(psi: Double) throws {
        guard psi.isFinite, (0...1.5).contains(psi) else {
            throw GeneratorError.invalidInput(field: "psi", reason: "\(psi) is outside [0, 1.5]")
        }
    }

    /// Runs the stage for `z_id` `[identity_dim]`, `ε` `[noise_dim]` and truncation ψ.
    public func prepare(identity: [Float], noise: [Float], psi: Double) throws -> IdentityMaps {
        try trace(identity: identity, noise: noise, psi: psi).maps
    }

    /// Runs the stage and keeps every dumped intermediate (SPEC §6.2).
    public func trace(identity: [Float], noise: [Float], psi: Double) throws -> IdentityTrace {
        try Self.validate(psi: psi)
        let z = try latent(identity: identity, noise: noise)
        let (rawF, rawPhi) = radianceMapping(z)
        let f = Truncation.truncate(average: means.frequencies, raw: rawF, psi: psi)
        let phi = Truncation.truncate(average: means.phases, raw: rawPhi, psi: psi)
        let found = intersections()
        let features = try LowResolutionMaps.features(radianceNet: radianceNet, frequencies: f, phases: phi,
                                                      intersections: found, configuration: configuration)
        let w = srMapping.w(z)
        let style = Truncation.style(average: means.style, style: srMapping.style(fromW: w), psi: psi)
        let lrMaps = try Self.lrMaps(features: features)
        let hrMaps = try srNet.hrMaps(lrFeatures: features, style: style)
        let maps = IdentityMaps(identity: identity, noise: noise, psi: psi, lrMaps: lrMaps, hrMaps: hrMaps)
        return IdentityTrace(rawFrequencies: rawF, rawPhases: rawPhi, truncatedFrequencies: f, truncatedPhases: phi,
                             srW: w, srStyle: style, intersections: found, lrFeatures: features, maps: maps)
    }

    /// Channels 0..<4 (r, g, b, α) of `LRfeat` `[M, 4 + F, HL, HL]`: `[M, 4, HL, HL]`.
    public static func lrMaps(features: Tensor) throws -> Tensor {
        guard features.rank == 4, features.shape[1] >= 4 else {
            throw GeneratorError.invalidInput(field: "lr_features", reason: "shape \(features.shape), expected [M, 4 + F, H, W]")
        }
        let (m, c, h, w) = (features.shape[0], features.shape[1], features.shape[2], features.shape[3])
        let plane = h * w
        var out = Tensor.zeros([m, 4, h, w])
        features.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for mi in 0..<m {
                    for i in 0..<(4 * plane) { dst[mi * 4 * plane + i] = src[mi * c * plane + i] }
                }
            }
        }
        return out
    }
}
