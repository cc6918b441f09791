import Foundation

/// The built-in body's implicit surface: a smooth union of ellipsoids and capsules in metres, y up, the body
/// facing +z, arms excluded (they are separate capsules), posed in the canonical *mean pose*
/// (SPEC §4.3: the head level, so the face looks straight along +z).
///
/// `value(at:) < 0` inside, `> 0` outside; the magnitude is roughly a distance in metres near the surface.
/// Every number here is a design constant of the built-in body (adult proportions, about 1.75 m tall if it had
/// legs); `BuiltinBody` tessellates this surface and rigs it.
struct BuiltinBodyShape: Sendable {
    /// Neck joint (SMPL joint 12), rest = mean pose (its parents are not rotated by the mean pose).
    static let neck = SIMD3<Double>(0, 0.28, -0.015)
    /// Head joint (SMPL joint 15).
    static let head = SIMD3<Double>(0, 0.35, 0.025)
    /// The face centre in the mean pose: `neck + S·(0, face_ty, face_tz)` with the release's constants, so that
    /// it normalises to the origin of the rendering space exactly as for SMPL (SPEC §5.3 step 4).
    static let faceCentre = neck + 2.2314079 * SIMD3<Double>(0, 0.067489409707008, 0.050608165033568)

    struct Ellipsoid: Sendable {
        var centre: SIMD3<Double>
        var radii: SIMD3<Double>
        /// Approximate signed distance: `(|p/r| − 1)·min(r)`.
        func value(_ p: SIMD3<Double>) -> Double {
            let q = (p - centre) / radii
            return ((q * q).sum().squareRoot() - 1) * radii.min()
        }
    }

    struct Capsule: Sendable {
        var a: SIMD3<Double>
        var b: SIMD3<Double>
        var radius: Double
        func value(_ p: SIMD3<Double>) -> Double {
            let ab = b - a
            let t = min(max(((p - a) * ab).sum() / (ab * ab).sum(), 0), 1)
            let d = p - (a + t * ab)
            return (d * d).sum().squareRoot() - radius
        }
    }

    /// Polynomial smooth minimum with blend radius `k` metres.
    static func smoothMin(_ a: Double, _ b: Double, _ k: Double) -> Double {
        let h = max(k - abs(a - b), 0) / k
        return min(a, b) - h * h * k * 0.25
    }

    /// Head parts, relative to the face centre: cranium, face and jaw.
    static let cranium = Ellipsoid(centre: faceCentre + SIMD3(0, 0.03, -0.045), radii: SIMD3(0.075, 0.098, 0.097))
    static let face = Ellipsoid(centre: faceCentre + SIMD3(0, -0.02, -0.012), radii: SIMD3(0.071, 0.085, 0.058))
    static let jaw = Ellipsoid(centre: faceCentre + SIMD3(0, -0.07, 0.004), radii: SIMD3(0.046, 0.034, 0.04))
    /// Neck: from below the neck joint up into the head, leaning forward.
    static let neckCapsule = Capsule(a: neck + SIMD3(0, -0.03, 0), b: faceCentre + SIMD3(0, -0.025, -0.075), radius: 0.057)
    /// Torso parts.
    static let chest = Ellipsoid(centre: SIMD3(0, 0.10, 0), radii: SIMD3(0.15, 0.19, 0.105))
    static let abdomen = Ellipsoid(centre: SIMD3(0, -0.10, 0.005), radii: SIMD3(0.14, 0.18, 0.1))
    static let pelvis = Ellipsoid(centre: SIMD3(0, -0.25, -0.005), radii: SIMD3(0.16, 0.11, 0.105))
    static let shoulders = Capsule(a: SIMD3(-0.15, 0.205, -0.02), b: SIMD3(0.15, 0.205, -0.02), radius: 0.058)
    static let leftTrapezius = Capsule(a: SIMD3(0, 0.275, -0.04), b: SIMD3(0.13, 0.23, -0.03), radius: 0.048)
    static let rightTrapezius = Capsule(a: SIMD3(0, 0.275, -0.04), b: SIMD3(-0.13, 0.23, -0.03), radius: 0.048)

    /// The head alone (cranium, face, jaw).
    static func headValue(_ p: SIMD3<Double>) -> Double {
        smoothMin(smoothMin(cranium.value(p), face.value(p), 0.03), jaw.value(p), 0.025)
    }

    /// The whole trunk surface: torso, neck and head.
    static func value(at p: SIMD3<Double>) -> Double {
        var torso = smoothMin(chest.value(p), abdomen.value(p), 0.06)
        torso = smoothMin(torso, pelvis.value(p), 0.06)
        torso = smoothMin(torso, shoulders.value(p), 0.05)
        torso = smoothMin(torso, smoothMin(leftTrapezius.value(p), rightTrapezius.value(p), 0.02), 0.04)
        let upper = smoothMin(neckCapsule.value(p), headValue(p), 0.03)
        return smoothMin(torso, upper, 0.035)
    }

    /// The z of the vertical axis the trunk rings are centred on, at height `y` (inside the body at every
    /// height: torso centre, neck axis, head centre).
    static func axisZ(_ y: Double) -> Double {
        let knots: [(Double, Double)] = [(0.22, 0), (0.27, -0.015), (0.41, 0.028), (0.45, 0.045)]
        if y <= knots[0].0 { return knots[0].1 }
        for i in 1..<knots.count where y <= knots[i].0 {
            let (y0, z0) = knots[i - 1], (y1, z1) = knots[i]
            return z0 + (z1 - z0) * (y - y0) / (y1 - y0)
        }
        return knots[knots.count - 1].1
    }
}
