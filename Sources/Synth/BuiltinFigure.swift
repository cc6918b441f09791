import Body
import Geometry
import Numerics

/// The built-in body with the built-in face on its head, posed as the generator poses its body (SPEC §5.3:
/// joint angles relative to the canonical mean pose, the release's normalisation into the rendering space).
public struct BuiltinFigure: Sendable {
    public let body: BuiltinBody
    public let face: FaceModel
    public let normalisation: BodyNormalisation

    public init(body: BuiltinBody, face: FaceModel, normalisation: BodyNormalisation = .release) {
        self.body = body; self.face = face; self.normalisation = normalisation
    }

    /// One posed figure. Metres are the SMPL output (rest-pose origin); `normalised` the rendering space
    /// (face centre of the canonical pose at the origin).
    public struct Posed: Sendable {
        /// Body vertices `[V]`, metres.
        public var bodyVertices: [SIMD3<Float>]
        /// Face vertices `[V_face]`, metres.
        public var faceVertices: [SIMD3<Float>]
        /// The 24 posed joints, metres.
        public var joints: [SIMD3<Float>]
        /// The 68 posed landmarks, metres.
        public var landmarks: [SIMD3<Float>]
        /// The posed neck joint (the centre of the normalisation), metres.
        public var neck: SIMD3<Float>
        public var normalisation: BodyNormalisation

        /// A point in metres mapped into the rendering space.
        public func toRenderingSpace(_ p: SIMD3<Float>) -> SIMD3<Float> { normalisation.apply(p, centre: neck) }

        /// Everything mapped into the rendering space (the normalisation itself is kept for reference).
        public var normalised: (body: [SIMD3<Float>], face: [SIMD3<Float>], joints: [SIMD3<Float>], landmarks: [SIMD3<Float>]) {
            (bodyVertices.map(toRenderingSpace), faceVertices.map(toRenderingSpace), joints.map(toRenderingSpace),
             landmarks.map(toRenderingSpace))
        }
    }

    /// Poses the figure: body shape `betas` (`[10]`), joint angles `eulers` (`MeanPose.slotCount` entries,
    /// `(z, y, x)` radians relative to the mean pose), face identity code (`[≤ 80]`) and expression
    /// coefficients (`[≤ 16]`).
    public func pose(betas: [Float], eulers: [SIMD3<Float>], identity: [Float] = [], expression: [Float] = []) throws -> Posed {
        let model = body.model
        let adjusted = MeanPose.adjusted(eulers, offsets: MeanPose.releaseOffsets)
        let rotations = MeanPose.rotations(adjusted, jointCount: model.jointCount)
        let output = try model.forward(betas: betas, rotations: rotations)
        let joints = try model.regressJoints(model.shapedVertices(betas: betas))
        let chain = KinematicChain.transforms(parents: model.parents, rotations: rotations, joints: joints)
        let head = chain.relative[MeanPose.firstJoint + MeanPose.headSlot]
        let faceLocal = face.vertices(identity: identity, expression: expression)
        let faceVertices = faceLocal.map { head.transformPoint(BuiltinBody.restPosition(ofFacePoint: $0, betas: betas)) }
        let scalars = output.vertices.scalars
        let bodyVertices = (0..<model.vertexCount).map { SIMD3(scalars[3 * $0], scalars[3 * $0 + 1], scalars[3 * $0 + 2]) }
        let neck = output.joints[MeanPose.firstJoint + MeanPose.neckSlot]
        return Posed(bodyVertices: bodyVertices, faceVertices: faceVertices, joints: output.joints,
                     landmarks: face.landmarkVertices.map { faceVertices[$0] }, neck: neck, normalisation: normalisation)
    }

    /// Colours of the face regions (linear RGB).
    public static func colour(of region: FaceRegion, skin: SIMD3<Float>) -> SIMD3<Float> {
        switch region {
        case .skin: return skin
        case .lips: return SIMD3(0.72, 0.33, 0.33)
        case .mouthInterior: return SIMD3(0.25, 0.05, 0.06)
        case .eyeWhite: return SIMD3(0.93, 0.92, 0.9)
        case .iris: return SIMD3(0.3, 0.2, 0.12)
        case .pupil: return SIMD3(0.04, 0.03, 0.03)
        case .brow: return SIMD3(0.22, 0.15, 0.1)
        case .nostril: return SIMD3(0.35, 0.2, 0.18)
        }
    }

    /// The default skin colour.
    public static let skin = SIMD3<Float>(0.87, 0.68, 0.57)

    /// The posed body and face as raster meshes (body in `skin`, face coloured by region).
    /// The posed body and face in the rendering space as raster meshes (body in `skin`, face coloured by
    /// region).
    public func meshes(_ posed: Posed, skin: SIMD3<Float> = BuiltinFigure.skin) -> (body: RasterMesh, face: RasterMesh) {
        let space = posed.normalised
        return (RasterMesh(vertices: space.body, triangles: body.triangles, colour: skin),
                RasterMesh(vertices: space.face, triangles: face.triangles,
                           colours: face.triangleRegions.map { Self.colour(of: $0, skin: skin) }))
    }
}
