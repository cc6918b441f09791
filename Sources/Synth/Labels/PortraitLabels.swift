import Generator

/// The labels of one corpus portrait: what the generator's controls would need to draw it.
/// Angles in degrees (camera relative to frontal, joints `[z, y, x]` in the slot order of
/// `Controls.jointNames`), as in every file of ours (DESIGN.md section 4).
public struct PortraitLabels: Sendable, Equatable {
    /// Camera yaw and pitch relative to frontal, degrees (positive yaw: camera to the subject's right).
    public var cameraYaw: Double
    public var cameraPitch: Double
    /// Six joints (neck, collars, head, shoulders), `[z, y, x]` degrees each.
    public var joints: [[Double]]
    /// Body shape coefficients (the built-in body's shape directions, unit variance).
    public var shape: [Double]
    /// Face identity coefficients (the built-in face's identity basis, unit variance).
    public var identity: [Double]
    /// Expression weights, one per named blendshape, in [0, 1].
    public var expression: [Double]
    /// Face-camera yaw and pitch relative to the posed head, degrees (the face crop's view).
    public var faceYaw: Double
    public var facePitch: Double

    public init(cameraYaw: Double, cameraPitch: Double, joints: [[Double]], shape: [Double], identity: [Double],
                expression: [Double], faceYaw: Double, facePitch: Double) {
        self.cameraYaw = cameraYaw
        self.cameraPitch = cameraPitch
        self.joints = joints
        self.shape = shape
        self.identity = identity
        self.expression = expression
        self.faceYaw = faceYaw
        self.facePitch = facePitch
    }

    /// The generator controls that ask for this portrait (explicit camera, joints and expression; the
    /// identity codes are the corpus's own and are not the generator's latent codes).
    public func controls(identity: Controls.Identity) -> Controls {
        var controls = Controls(identity: identity)
        controls.camera = Controls.Camera(yaw: cameraYaw, pitch: cameraPitch)
        controls.joints = joints
        controls.expression = .values(expression)
        return controls
    }
}
