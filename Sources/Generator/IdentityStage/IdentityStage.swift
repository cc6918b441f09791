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

    /// The orthographic manifold intersections (I4-I6), computed on first use and cached. `isCancelled`
    /// is polled between tiles of the level field; a cancelled call caches nothing and throws
    /// `CancellationError`.
    public func intersections(isCancelled: (@Sendable () -> Bool)? = nil) throws -> ManifoldIntersections {
        try intersectionCache.withLock { cached in
            if let cached { return cached }
            let profile = StageProfile.shared
            let field = try profile.region(.sampleNet) {
                try OrthographicManifolds.levelField(sampleNet: sampleNet, configuration: configuration, isCancelled: isCancelled)
            }
            let result = try profile.region(.crossingSearch) {
                try OrthographicManifolds.intersections(levelField: field, configuration: configuration)
            }
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

    /// Runs the whole stage for `z_id` `[identity_dim]`, `ε` `[noise_dim]` and truncation ψ.
    /// `isCancelled` is polled between tiles and maps; a cancelled call throws `CancellationError`.
    public func prepare(identity: [Float], noise: [Float], psi: Double,
                        isCancelled: (@Sendable () -> Bool)? = nil) throws -> IdentityMaps {
        try superResolve(prepareLowResolution(identity: identity, noise: noise, psi: psi, isCancelled: isCancelled),
                         isCancelled: isCancelled)
    }

    /// The LR half (I1-I9 and the SR style of I10): about a seventh of the stage's work.
    public func prepareLowResolution(identity: [Float], noise: [Float], psi: Double,
                                     isCancelled: (@Sendable () -> Bool)? = nil) throws -> LowResolutionIdentity {
        try lowResolution(identity: identity, noise: noise, psi: psi, isCancelled: isCancelled).result
    }

    /// The SR half (I10): HR maps from the LR features and style.
    public func superResolve(_ low: LowResolutionIdentity, isCancelled: (@Sendable () -> Bool)? = nil) throws -> IdentityMaps {
        let hrMaps = try StageProfile.shared.region(.srNet) {
            try srNet.hrMaps(lrFeatures: low.lrFeatures, style: low.style, isCancelled: isCancelled)
        }
        return IdentityMaps(identity: low.identity, noise: low.noise, psi: low.psi, lrMaps: low.lrMaps, hrMaps: hrMaps)
    }

    /// Runs the stage and keeps every dumped intermediate (SPEC §6.2).
    public func trace(identity: [Float], noise: [Float], psi: Double) throws -> IdentityTrace {
        let (low, mapping) = try lowResolution(identity: identity, noise: noise, psi: psi, isCancelled: nil)
        return IdentityTrace(rawFrequencies: mapping.rawF, rawPhases: mapping.rawPhi,
                             truncatedFrequencies: mapping.f, truncatedPhases: mapping.phi, srW: mapping.w,
                             srStyle: low.style, intersections: try intersections(), lrFeatures: low.lrFeatures,
                             maps: try superResolve(low))
    }

    private struct MappingOutputs {
        let rawF, rawPhi, f, phi, w: [Float]
    }

    private func lowResolution(identity: [Float], noise: [Float], psi: Double, isCancelled: (@Sendable () -> Bool)?)
        throws -> (result: LowResolutionIdentity, mapping: MappingOutputs) {
        try Self.validate(psi: psi)
        let z = try latent(identity: identity, noise: noise)
        let profile = StageProfile.shared
        let (rawF, rawPhi) = profile.region(.mapping) { radianceMapping(z) }
        let f = Truncation.truncate(average: means.frequencies, raw: rawF, psi: psi)
        let phi = Truncation.truncate(average: means.phases, raw: rawPhi, psi: psi)
        let found = try intersections(isCancelled: isCancelled)
        let features = try profile.region(.radianceNet) {
            try LowResolutionMaps.features(radianceNet: radianceNet, frequencies: f, phases: phi, intersections: found,
                                           configuration: configuration, isCancelled: isCancelled)
        }
        let w = profile.region(.mapping) { srMapping.w(z) }
        let style = Truncation.style(average: means.style, style: profile.region(.mapping) { srMapping.style(fromW: w) }, psi: psi)
        let low = LowResolutionIdentity(identity: identity, noise: noise, psi: psi, lrFeatures: features,
                                        lrMaps: try profile.region(.radianceNet) { try Self.lrMaps(features: features) },
                                        style: style)
        return (low, MappingOutputs(rawF: rawF, rawPhi: rawPhi, f: f, phi: phi, w: w))
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
