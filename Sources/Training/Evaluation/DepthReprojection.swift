import Geometry
import Synth
import Numerics

/// Multi-view consistency of a model's geometry (issue 10): the depth map rendered at one camera yaw,
/// lifted to 3-D points and projected into the depth map rendered at another yaw. A model with one
/// consistent surface sees each point at the distance the second view predicts; a model that paints
/// each view separately does not.
///
/// Depth convention (both models, `FrameOutput.depth`): the distance from the camera origin `o` (without the
/// portrait camera's sample offset) to the surface point seen through the pixel, NaN or non-finite where
/// the pixel sees the background. The point of pixel `p` lies on the pixel's ray `o + offset + t·R·dir_p`
/// at the `t` whose distance from `o` is the depth.
public struct DepthReprojection: Sendable {
    /// The portrait camera both views use.
    public var camera: PortraitCamera

    public init(camera: PortraitCamera = .release) { self.camera = camera }

    /// Errors of one view pair, in depth units (the body space, in which the camera sits at 1.895).
    public struct Errors: Sendable, Equatable {
        /// Foreground pixels of the first view that land on the second view's foreground and are not hidden
        /// there (not more than `occlusionMargin` behind the second view's surface).
        public var matched: Int
        /// Foreground pixels of the first view.
        public var foreground: Int
        /// Mean and median absolute difference between the predicted and the rendered distance.
        public var mean: Double
        public var median: Double
    }

    /// Points farther than this behind the second view's surface count as occluded there (depth units).
    public static let occlusionMargin: Float = 0.05

    /// Compares `depthA` `[S, S]` rendered at `anglesA` with `depthB` `[S, S]` rendered at `anglesB`.
    public func errors(depthA: Tensor, anglesA: CameraAngles, depthB: Tensor, anglesB: CameraAngles) throws -> Errors {
        guard depthA.shape.count == 2, depthA.shape[0] == depthA.shape[1], depthB.shape == depthA.shape else {
            throw NumericsError.shapeMismatch(operation: "depth reprojection", got: depthB.shape, expected: depthA.shape)
        }
        let size = depthA.shape[0]
        let rays = camera.rays(resolution: size, samples: 2)
        let frameA = camera.frame(anglesA)
        let targetB = RasterCamera(frame: camera.frame(anglesB), fovDegrees: camera.fovDegrees, size: size)
        let a = depthA.scalars, b = depthB.scalars
        var differences: [Double] = []
        var foreground = 0
        for p in 0..<(size * size) where a[p].isFinite && a[p] > 0 {
            foreground += 1
            let point = Self.point(frame: frameA, direction: rays.directions[p], distance: a[p])
            let projected = targetB.project(point)
            let col = Int(projected.x.rounded()), row = Int(projected.y.rounded())
            guard projected.z > 0, (0..<size).contains(col), (0..<size).contains(row) else { continue }
            let rendered = b[row * size + col]
            guard rendered.isFinite, rendered > 0 else { continue }
            let predicted = simdLength(point - targetB.frame.origin)
            guard predicted <= rendered + Self.occlusionMargin else { continue }
            differences.append(Double(Swift.abs(predicted - rendered)))
        }
        guard !differences.isEmpty else { return Errors(matched: 0, foreground: foreground, mean: .nan, median: .nan) }
        differences.sort()
        let mean = differences.reduce(0, +) / Double(differences.count)
        return Errors(matched: differences.count, foreground: foreground, mean: mean, median: differences[differences.count / 2])
    }

    /// The point on the ray `o + offset + t·R·direction` at distance `distance` from `o`.
    static func point(frame: CameraFrame, direction: SIMD3<Float>, distance: Float) -> SIMD3<Float> {
        let w = frame.worldDirection(direction)
        let offset = frame.sampleOffset
        let along = simdDot(offset, w)
        let t = -along + (along * along - simdDot(offset, offset) + distance * distance).squareRoot()
        return frame.origin + offset + w * t
    }
}

@inline(__always) func simdDot(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> Float { (a * b).sum() }
@inline(__always) func simdLength(_ a: SIMD3<Float>) -> Float { simdDot(a, a).squareRoot() }
