/// The release's portrait camera (SPEC §0.1, §4.2, F1, F2): on a sphere of radius `1/face_radius` around
/// the normalised body space's origin, looking at it, fov 12°, samples between `radius ∓ 0.22`, and the
/// sample points shifted by `origin_offset` (the origin itself is not shifted).
public struct PortraitCamera: Sendable, Equatable {
    /// Distance from the origin (`1/face_radius`).
    public var radius: Double
    /// Full field of view, degrees.
    public var fovDegrees: Double
    /// First and last sample distance along each ray.
    public var near: Double
    public var far: Double
    /// Shift of the sample points (Float64, rounded to Float32 on use).
    public var originOffset: SIMD3<Double>

    public init(radius: Double, fovDegrees: Double, near: Double, far: Double, originOffset: SIMD3<Double>) {
        self.radius = radius; self.fovDegrees = fovDegrees; self.near = near; self.far = far
        self.originOffset = originOffset
    }

    /// The constants of `gen_video.py` (SPEC §0.1).
    public static let release = PortraitCamera(
        radius: 1.895087979372887, fovDegrees: 12, near: 1.675087979372887, far: 2.115087979372887,
        originOffset: SIMD3(0, -0.018307705578718726, -0.09590692521323398))

    /// The camera origin for `angles` (SPEC §4.2, Float32 from the Float32 angles).
    public func origin(_ angles: CameraAngles) -> SIMD3<Float> { angles.orbitPosition(radius: Float(radius)) }

    /// The camera frame for `angles` (SPEC F2).
    public func frame(_ angles: CameraAngles) -> CameraFrame {
        CameraFrame.lookingAtOrigin(from: origin(angles), sampleOffset: SIMD3<Float>(originOffset))
    }

    /// The camera-space rays of a `resolution²` image with `samples` samples per ray (SPEC F1).
    public func rays(resolution: Int, samples: Int) -> RayGrid {
        RayGrid(resolution: resolution, fovDegrees: fovDegrees, near: near, far: far, samples: samples)
    }
}
