import Geometry

/// A pinhole camera for the rasteriser with the generator's conventions (SPEC F1, F2): a `CameraFrame`
/// (`world = R·p_cam + origin + sampleOffset`, looking along −z of the camera with +y up) and a square image
/// whose image-plane coordinates `u, v ∈ [−1, 1]` hit ±1 at the centres of the border pixels, row 0 at the
/// top. A pixel of a `RasterCamera` sees exactly what the generator's ray through that pixel sees.
public struct RasterCamera: Sendable, Equatable {
    public var frame: CameraFrame
    /// Full field of view, degrees.
    public var fovDegrees: Double
    /// Pixels per side.
    public var size: Int
    /// Image-plane z (`−1/tan(fov/2)`, negative).
    public let imagePlaneZ: Float
    /// The world → camera rotation `Rᵀ`.
    let toCamera: Matrix3

    public init(frame: CameraFrame, fovDegrees: Double, size: Int) {
        precondition(size >= 2, "RasterCamera: size \(size) < 2")
        self.frame = frame
        self.fovDegrees = fovDegrees
        self.size = size
        imagePlaneZ = RayGrid.imagePlaneZ(fovDegrees: fovDegrees)
        toCamera = frame.rotation.transposed
    }

    /// The portrait camera at `angles` (rendering space of the generator).
    public static func portrait(_ camera: PortraitCamera = .release, angles: CameraAngles = .frontal, size: Int) -> RasterCamera {
        RasterCamera(frame: camera.frame(angles), fovDegrees: camera.fovDegrees, size: size)
    }

    /// Camera-space position of a world point.
    public func cameraPoint(_ world: SIMD3<Float>) -> SIMD3<Float> {
        toCamera * (world - frame.origin - frame.sampleOffset)
    }

    /// Pixel coordinates `(column, row)` (continuous; pixel centres at integers) and depth `−z_cam` (distance
    /// along the viewing axis, positive in front) of a world point; depth ≤ 0 means behind the camera.
    public func project(_ world: SIMD3<Float>) -> SIMD3<Float> {
        let p = cameraPoint(world)
        let u = p.x * imagePlaneZ / p.z, v = p.y * imagePlaneZ / p.z
        let half = Float(size - 1) / 2
        return SIMD3((u + 1) * half, (1 - v) * half, -p.z)
    }
}
