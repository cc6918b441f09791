/// The face camera of the dual-camera scheme (paper §3.4, SPEC §8.2, issue 4): at distance 1 from the
/// posed face centre in the normalised body space, looking at it, fov 12°, samples between 0.88 and 1.12,
/// no sample offset.
///
/// The camera is placed exactly as the portrait camera places itself around the origin (SPEC §4.2, F2),
/// but in the head's frame: the control angles are relative to the posed head, and the frame is carried
/// into the target space by the head joint's canonical → target transform (which maps the canonical face
/// centre, the origin, to the posed face centre).
public struct FaceCamera: Sendable, Equatable {
    /// Distance from the face centre.
    public var distance: Double
    /// Full field of view, degrees.
    public var fovDegrees: Double
    /// First and last sample distance along each ray.
    public var near: Double
    public var far: Double

    public init(distance: Double, fovDegrees: Double, near: Double, far: Double) {
        self.distance = distance; self.fovDegrees = fovDegrees; self.near = near; self.far = far
    }

    /// GRAM's face camera defaults: distance 1, fov 12°, rays from 0.88 to 1.12.
    public static let standard = FaceCamera(distance: 1, fovDegrees: 12, near: 0.88, far: 1.12)

    /// The camera frame for `angles` relative to the head, whose canonical → target transform is `head`.
    public func frame(_ angles: CameraAngles, head: RigidTransform) -> CameraFrame {
        CameraFrame.lookingAtOrigin(from: angles.orbitPosition(radius: Float(distance))).transformed(by: head)
    }

    /// The camera-space rays of a `resolution²` image with `samples` samples per ray.
    public func rays(resolution: Int, samples: Int) -> RayGrid {
        RayGrid(resolution: resolution, fovDegrees: fovDegrees, near: near, far: far, samples: samples)
    }
}
