import Foundation

/// Camera angles as the release uses them (SPEC §4.2): the polar angle φ (`pitch`, from +y) and the azimuth
/// θ (`yaw`, in the x–z plane from +x towards +z), absolute radians, frontal = (π/2, π/2).
///
/// DESIGN.md section 4 uses degrees relative to frontal: `yaw° = deg(θ) − 90`, `pitch° = deg(φ) − 90`;
/// positive yaw moves the camera to the subject's right (−x), positive pitch moves it down.
public struct CameraAngles: Sendable, Equatable {
    /// φ, radians.
    public var pitch: Float
    /// θ, radians.
    public var yaw: Float

    public init(pitch: Float, yaw: Float) {
        self.pitch = pitch
        self.yaw = yaw
    }

    /// The frontal camera `(Float32(π/2), Float32(π/2))`, as the release's driver forms it.
    public static let frontal = CameraAngles(pitch: Float(Double.pi / 2), yaw: Float(Double.pi / 2))

    /// From degrees relative to frontal (DESIGN.md section 4): `φ = π/2 + rad(pitch°)`, `θ = π/2 + rad(yaw°)`,
    /// formed in Float64 and rounded once to Float32 (0° gives exactly `frontal`).
    public init(relativeYawDegrees yaw: Double, relativePitchDegrees pitch: Double) {
        self.pitch = Float(Double.pi / 2 + pitch * (Double.pi / 180))
        self.yaw = Float(Double.pi / 2 + yaw * (Double.pi / 180))
    }

    /// Yaw in degrees relative to frontal.
    public var relativeYawDegrees: Double { (Double(yaw) - Double.pi / 2) * (180 / Double.pi) }
    /// Pitch in degrees relative to frontal.
    public var relativePitchDegrees: Double { (Double(pitch) - Double.pi / 2) * (180 / Double.pi) }

    /// The point at distance `radius` in these directions, `r·(sin φ cos θ, cos φ, sin φ sin θ)`, computed in
    /// Float32 from the Float32 angles as `(r·sin φ)·cos θ` etc. (SPEC §4.2).
    public func orbitPosition(radius r: Float) -> SIMD3<Float> {
        let sp = sin(pitch), cp = cos(pitch), sy = sin(yaw), cy = cos(yaw)
        return SIMD3((r * sp) * cy, r * cp, (r * sp) * sy)
    }
}
