import Foundation
import Numerics

/// The rays of a square pinhole image in camera space (SPEC F1): unit directions through a
/// `resolution × resolution` grid and `samples` distances along each ray.
///
/// Pixel `p = row·resolution + col`; row 0 is the top (`v = +1`), column 0 the left (`u = −1`); the image
/// plane coordinates hit ±1 at the centres of the border pixels (no half-pixel offset).
public struct RayGrid: Sendable {
    /// Pixels per side.
    public let resolution: Int
    /// Unit camera-space directions `normalize(u, v, zc)`, one per pixel.
    public let directions: [SIMD3<Float>]
    /// Distances along each ray: `linspace(near, far, samples)`.
    public let depths: [Float]

    /// The grid for a full field of view of `fovDegrees` (vertical = horizontal) with samples from `near`
    /// to `far` (Float64 values rounded to Float32 at use, SPEC §0).
    public init(resolution: Int, fovDegrees: Double, near: Double, far: Double, samples: Int) {
        precondition(resolution >= 2 && samples >= 2, "RayGrid: resolution \(resolution), samples \(samples)")
        self.resolution = resolution
        let us = linspace(-1, 1, resolution)
        let vs = linspace(1, -1, resolution)
        let zc = Self.imagePlaneZ(fovDegrees: fovDegrees)
        var dirs = [SIMD3<Float>]()
        dirs.reserveCapacity(resolution * resolution)
        for row in 0..<resolution {
            for col in 0..<resolution {
                dirs.append(CameraFrame.normalized(SIMD3(us[col], vs[row], zc)))
            }
        }
        directions = dirs
        depths = linspace(Float(near), Float(far), samples)
    }

    /// `zc = −1 / tan(2π·fov/360/2)` formed in Float64 and rounded to Float32 (fov 12° gives
    /// −9.514364, bits 0xC1183AD6, as every variant of the release computes it).
    public static func imagePlaneZ(fovDegrees: Double) -> Float {
        Float(-1 / tan(2 * Double.pi * fovDegrees / 360 / 2))
    }

    /// Camera-space sample `n` of ray `p`: `directions[p]·depths[n]`.
    @inlinable
    public func cameraPoint(ray p: Int, sample n: Int) -> SIMD3<Float> { directions[p] * depths[n] }
}
