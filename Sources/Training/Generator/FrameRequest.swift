import Generator
import Geometry

/// The per-frame controls of `DifferentiableGenerator.render` (constants: no gradient flows into them).
public struct FrameRequest: Sendable {
    /// `z_exp` `[expression_dim]`.
    public var expression: [Float]
    /// SMPL `β` `[shape_dim]`.
    public var shape: [Float]
    /// Camera angles, absolute radians (portrait view) or relative to the posed head (face view).
    public var camera: CameraAngles
    /// `(z, y, x)` radians of SMPL joints 12…17 relative to the mean pose.
    public var jointEulers: [SIMD3<Float>]
    /// Portrait camera (SPEC §1.2) or face camera (SPEC §8.2: distance 1, fov 12°, rays [0.88, 1.12],
    /// looking at the posed head centre).
    public var view: Controls.View
    /// Rays per side `n` (the LR image is `n × n`); nil: `lr_img_size` for the portrait, `hr_img_size / 2`
    /// for the face (SPEC §8.2, ISSUE-NOTES). Even, with `n/2 ≥ smoother_k_d`.
    public var rays: Int?
    public var shading: FrameShading
    /// Also composite the HR image `[3, HS, HS]` from the identity's HR maps (SPEC F12; `.maps` shading with
    /// the portrait ray grid only).
    public var highResolution: Bool

    public init(expression: [Float], shape: [Float], camera: CameraAngles, jointEulers: [SIMD3<Float>],
                view: Controls.View = .portrait, rays: Int? = nil, shading: FrameShading = .maps,
                highResolution: Bool = false) {
        self.expression = expression; self.shape = shape; self.camera = camera; self.jointEulers = jointEulers
        self.view = view; self.rays = rays; self.shading = shading; self.highResolution = highResolution
    }
}
