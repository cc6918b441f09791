import Body
import Geometry
import ModelIO
import Numerics

/// The neural generator: identity stage and frame stage of one model, with its samplers and defaults.
///
/// `prepareIdentity` runs once per person (codes, ψ) and its result can be cached; `render` runs per
/// frame. Both are safe to call from any one thread at a time per call (the stages are immutable).
public final class PortraitGenerator: Sendable {
    public let configuration: GeneratorConfiguration
    public let identityStage: IdentityStage
    public let frameStage: FrameStage
    /// `samplers.id_shape` `[N, identity_dim + shape_dim]`, when the model has one.
    public let idShapeSampler: Tensor?
    /// Names of the expression controls, or nil for numbered controls (`e00…`).
    public let expressionNames: [String]?
    /// ψ used when the controls leave it unset.
    public let defaultPsi: Double
    /// Near and far depths of the depth visualisation (the release's 1.7550879793728869 … 2.115087979372887).
    public let depthRange: ClosedRange<Double>

    public init(configuration: GeneratorConfiguration, identityStage: IdentityStage, frameStage: FrameStage,
                idShapeSampler: Tensor?, expressionNames: [String]?, defaultPsi: Double,
                depthRange: ClosedRange<Double> = 1.7550879793728869...2.115087979372887) throws {
        if let names = expressionNames, names.count != configuration.expressionDim {
            throw GeneratorError.configuration("\(names.count) expression names for expression_dim \(configuration.expressionDim)")
        }
        if let sampler = idShapeSampler, sampler.rank != 2 || sampler.shape[1] != configuration.identityDim + configuration.shapeDim {
            throw GeneratorError.tensorShape(name: "samplers.id_shape", got: sampler.shape,
                                             expected: [-1, configuration.identityDim + configuration.shapeDim], source: "model")
        }
        self.configuration = configuration
        self.identityStage = identityStage
        self.frameStage = frameStage
        self.idShapeSampler = idShapeSampler
        self.expressionNames = expressionNames
        self.defaultPsi = defaultPsi
        self.depthRange = depthRange
    }

    /// The codes of a controls identity: drawn from the seed (DESIGN.md §4) or given explicitly, checked
    /// against the model's code sizes.
    public func codes(for identity: Controls.Identity) throws -> IdentityCodes {
        let c = configuration
        switch identity {
        case let .seed(seed, blend):
            return SeedCodes.codes(seed: seed, blend: blend, identityDim: c.identityDim, shapeDim: c.shapeDim,
                                   noiseDim: c.noiseDim, idShapeSampler: idShapeSampler)
        case let .codes(codes):
            for (name, values, count) in [("identity", codes.identity, c.identityDim), ("shape", codes.shape, c.shapeDim),
                                          ("noise", codes.noise, c.noiseDim)] {
                guard values.count == count else {
                    throw GeneratorError.invalidInput(field: "identity.codes.\(name)", reason: "\(values.count) values, model has \(count)")
                }
                if let i = values.firstIndex(where: { !$0.isFinite }) {
                    throw GeneratorError.invalidInput(field: "identity.codes.\(name)[\(i)]", reason: "\(values[i]) is not finite")
                }
            }
            return codes
        }
    }

    /// ψ of the controls, or the model's default.
    public func psi(for controls: Controls) -> Double { controls.psi ?? defaultPsi }

    /// Runs the identity stage (LR and HR radiance maps) for `codes` and truncation `psi`.
    public func prepareIdentity(codes: IdentityCodes, psi: Double) throws -> IdentityMaps {
        try identityStage.prepare(identity: codes.identity, noise: codes.noise, psi: psi)
    }

    /// Renders one frame of a prepared identity under `controls` (expression, camera, joints, view, quality).
    /// `shape` is the identity's body shape code (`IdentityCodes.shape`).
    public func render(identity: IdentityMaps, shape: [Float], controls: Controls,
                       isCancelled: @Sendable () -> Bool = { false }) throws -> FrameOutput {
        let expression = try controls.expressionVector(dimension: configuration.expressionDim, names: expressionNames)
        return try frameStage.render(identity: identity, expression: expression.map { Float($0) }, shape: shape,
                                     camera: Self.cameraAngles(controls.camera), jointEulers: Self.jointEulers(controls.joints),
                                     view: controls.view, quality: controls.quality, isCancelled: isCancelled)
    }

    /// Absolute camera angles (radians) of the controls' relative degrees.
    public static func cameraAngles(_ camera: Controls.Camera) -> CameraAngles {
        CameraAngles(relativeYawDegrees: camera.yaw, relativePitchDegrees: camera.pitch)
    }

    /// Joint Euler angles `(z, y, x)` in radians (rounded once from Double) of the controls' degrees.
    public static func jointEulers(_ joints: [[Double]]) -> [SIMD3<Float>] {
        joints.map { j in
            SIMD3(Float(j[0] * (Double.pi / 180)), Float(j[1] * (Double.pi / 180)), Float(j[2] * (Double.pi / 180)))
        }
    }
}
