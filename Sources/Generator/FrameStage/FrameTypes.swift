import Numerics

/// What the frame stage renders.
public struct FrameOutput: Sendable {
    /// The image `[3, size, size]` in [−1, 1] (HS for `full`, HS/2 for `preview`).
    public let image: Tensor
    /// The low-resolution image `[3, n, n]` in [−1, 1], n the ray grid size.
    public let lowResolutionImage: Tensor
    /// Depth `[size, size]`: distance from the camera origin in normalised body units, NaN where no
    /// manifold is valid.
    public let depth: Tensor

    public init(image: Tensor, lowResolutionImage: Tensor, depth: Tensor) {
        self.image = image; self.lowResolutionImage = lowResolutionImage; self.depth = depth
    }
}

/// Intermediates of one frame (the reference dump's frame-stage files, SPEC §6.2), for tests and tools.
public struct FrameTrace: Sendable {
    /// Camera origin `o` `[3]` (without the sample offset).
    public var cameraOrigin: SIMD3<Float>
    /// Ray samples in the target space `[n², D, 3]` (`target_points`).
    public var targetPoints: Tensor
    /// Nearest valid vertex of each sub-sampled point `[(n/2)²·D/2]` (`knn_index`).
    public var nearestVertex: [Int32]
    /// Smoothed inverse transforms of rays `(n/2)·n + {n/8, 3n/8, 5n/8, 7n/8}`: `[4, D, 4, 4]` (`inv_T_rays`).
    public var inverseTransformRays: Tensor
    /// Samples mapped to the mean-pose canonical space `[n², D, 3]` (`smpl_canonical_points`).
    public var canonicalPoints: Tensor
    /// `[n², M, 3]` intersections from the target points, the canonical points, and with the
    /// deformation added (`intersections_target`, `_smpl`, `_canonical`).
    public var intersectionsTarget: Tensor
    public var intersectionsSMPL: Tensor
    public var intersectionsCanonical: Tensor
    /// `[n², M]` validity 0/1 (`is_valid`).
    public var isValid: Tensor
}
