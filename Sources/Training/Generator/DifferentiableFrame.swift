import Autodiff
import Numerics

/// One frame recorded on a tape (`DifferentiableGenerator.render`). Images are in [−1, 1] (white
/// background), channel-first; depths are distances from the camera origin (NaN where no manifold is hit:
/// keep them out of losses there).
public struct DifferentiableFrame {
    /// Camera origin (without the sample offset).
    public let origin: SIMD3<Float>
    /// Rays per side `n`.
    public let rays: Int
    /// `[3, n, n]`: the LR image (maps shading: `gen_img_lr`; direct shading: the face / portrait render).
    public let lowResolutionImage: Variable
    /// `[n, n]`: depth of the LR composite.
    public let lowResolutionDepth: Variable
    /// `[3, HS, HS]`: the HR image, when asked for.
    public let image: Variable?
    /// `[HS, HS]`: depth of the HR composite (`depth_image`), when the HR image was asked for.
    public let depth: Variable?
    /// `[n², M, 3]`: `intersections_canonical` (world + warped deformation, SPEC F10).
    public let intersections: Variable
    /// `[n², M]`: validity 0/1.
    public let valid: Tensor
    /// `[n², D', 3]`: the pose-neutralised, upsampled sample points `Yu` (world units), the DeformNet's
    /// input before the warp (the imitation / smoothness losses' `x^p`, warped by `2/0.24`).
    public let canonicalPoints: Variable
    /// `[n², D', 3]`: their deformation `Δ` (warped units; deformed point = `Yu·2/0.24 + Δ`).
    public let deformation: Variable
    /// `[12, D/2, n/2, n/2]`: rows 0...2 of the nearest-vertex inverse transforms (the pose smoother's input `T`).
    public let transformVolume: Tensor
    /// `[1, 12, D, n, n]`: the pose smoother's output `D^p(T)` (SPEC F5).
    public let smoothedTransforms: Variable
}
