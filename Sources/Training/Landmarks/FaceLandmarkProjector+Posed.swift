import Body
import Geometry
import Synth

extension FaceLandmarkProjector {
    /// The 68 landmarks of one posed face in the rendering space, with the posed head, ready to be seen by
    /// face cameras at any relative angles (the expensive posing done once).
    public struct PosedLandmarks: Sendable {
        /// Landmarks in the generator's rendering space.
        public let points: [SIMD3<Float>]
        /// The posed head transform the face camera is attached to.
        public let head: RigidTransform

        /// Pixel positions in a `size`² face image (x right, y down, pixel centres at `i + 0.5`) for the face
        /// camera at (yaw, pitch) degrees relative to the head.
        public func project(faceYaw: Double, facePitch: Double, size: Int) -> [SIMD2<Double>] {
            let angles = CameraAngles(relativeYawDegrees: faceYaw, relativePitchDegrees: facePitch)
            let camera = RasterCamera(frame: FaceCamera.standard.frame(angles, head: head),
                                      fovDegrees: FaceCamera.standard.fovDegrees, size: size)
            return points.map { p in
                let q = camera.project(p)
                return SIMD2(Double(q.x) + 0.5, Double(q.y) + 0.5)
            }
        }
    }

    /// Poses the figure for the codes and joints (six `[z, y, x]` angles in degrees).
    public func posedLandmarks(identity: [Float], shape: [Float], expression: [Float], joints: [[Double]]) throws -> PosedLandmarks {
        guard joints.count == MeanPose.slotCount, joints.allSatisfy({ $0.count == 3 }) else {
            throw TrainingError.invalidArgument(operation: "FaceLandmarkProjector",
                                                reason: "needs \(MeanPose.slotCount) joints of 3 angles (got \(joints.count))")
        }
        let degrees = Double.pi / 180
        let eulers = joints.map { j in SIMD3(Float(j[0] * degrees), Float(j[1] * degrees), Float(j[2] * degrees)) }
        let betas = FaceDeformationReference.paddedBodyShape(shape)
        let posed = try figure.pose(betas: betas, eulers: eulers, identity: identity, expression: expression)
        let head = try renderingBody.pose(betas: betas, eulers: eulers).headTransform
        return PosedLandmarks(points: posed.landmarks.map { posed.toRenderingSpace($0) }, head: head)
    }
}
