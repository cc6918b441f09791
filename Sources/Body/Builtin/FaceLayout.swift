import Foundation

/// The layout of the built-in face in the head's canonical frame (metres; origin at the face centre, x to
/// the subject's left, y up, z out of the face): where the eyes, brows, nose, mouth and jaw are, the
/// grid the face mesh is built on, and the colour region of each point.
enum FaceLayout {
    /// Grid spacing of the face mesh.
    static let spacing = 0.0016
    /// Half the number of grid columns minus one: columns at `(i − halfColumns)·spacing`.
    static let halfColumns = 47
    /// Height of the closed-mouth line (the upper lip's lower edge); the lower lip's upper edge is one grid
    /// row lower. The rows in between form the mouth slit.
    static let mouthY = -0.048
    /// Rows below and above the mouth row: rows at `mouthY + (j − rowsBelow)·spacing`.
    static let rowsBelow = 41
    static let rowsAbove = 82
    /// Half width of the mouth slit (the corners).
    static let mouthHalfWidth = 0.025

    struct Eye: Sendable {
        var centre: SIMD2<Double>
        var halfWidth = 0.0155
        var upper = 0.0058
        var lower = 0.0042
        /// `(1 − u²)^0.7` at `u = (x − centre.x)/halfWidth`, 0 outside the eye.
        func opening(_ x: Double) -> Double {
            let u = (x - centre.x) / halfWidth
            return abs(u) < 1 ? pow(1 - u * u, 0.7) : 0
        }
        func upperLid(_ x: Double) -> Double { centre.y + upper * opening(x) }
        func lowerLid(_ x: Double) -> Double { centre.y - lower * opening(x) }
        func contains(_ p: SIMD2<Double>) -> Bool {
            opening(p.x) > 0 && p.y <= upperLid(p.x) && p.y >= lowerLid(p.x)
        }
        /// Below the brow, above the cheek: the band the lid expressions remap.
        var top: Double { centre.y + 0.016 }
        var bottom: Double { centre.y - 0.012 }
    }

    static let rightEye = Eye(centre: SIMD2(-0.032, 0.011))
    static let leftEye = Eye(centre: SIMD2(0.032, 0.011))

    /// Lower edge of a brow at |x| (metres), for 0.012 ≤ |x| ≤ 0.056.
    static func browLow(_ x: Double) -> Double {
        0.026 + 0.005 * sin(Double.pi * min(max((abs(x) - 0.012) / 0.044, 0), 1))
    }

    static func smoothstep(_ a: Double, _ b: Double, _ x: Double) -> Double {
        let t = min(max((x - a) / (b - a), 0), 1)
        return t * t * (3 - 2 * t)
    }

    static func gauss(_ u: Double, _ v: Double = 0) -> Double { exp(-0.5 * (u * u + v * v)) }

    /// The superellipse the face mask covers: < 1 inside.
    static func maskRadius(_ x: Double, _ y: Double) -> Double {
        pow(abs(x) / 0.076, 2.5) + pow(abs(y + 0.015) / 0.098, 2.5)
    }

    /// Relief of the face over the head surface (metres along z): nose, eye sockets and lids, brow ridge,
    /// cheekbones, lips, chin.
    static func relief(_ x: Double, _ y: Double) -> Double {
        let ax = abs(x)
        // Nose: a ridge growing from the bridge to the tip, then a tip bulb and the alae.
        let s1 = smoothstep(0.024, -0.012, y), s2 = smoothstep(-0.022, -0.032, y)
        let ridgeHeight = (0.003 + 0.015 * s1) * (1 - s2) * smoothstep(0.036, 0.022, y)
        let ridgeWidth = 0.006 + 0.006 * s1
        var z = ridgeHeight * gauss(x / ridgeWidth)
        z += 0.006 * gauss(x / 0.008, (y + 0.017) / 0.008)
        z += 0.005 * gauss((ax - 0.0135) / 0.0055, (y + 0.025) / 0.005)
        // Eye sockets, eyeballs and the upper-lid fold.
        z -= 0.005 * gauss((ax - 0.032) / 0.017, (y - 0.01) / 0.011)
        let eye = x > 0 ? leftEye : rightEye
        let open = eye.opening(x)
        if open > 0 {
            z += 0.0022 * open * gauss((y - eye.centre.y) / 0.005)
            z += 0.0012 * open * gauss((y - eye.upperLid(x) - 0.0012) / 0.0015)
        }
        // Brow ridge, cheekbones, the maxilla below the nose, lips and chin.
        z += 0.0035 * gauss((y - browLow(x) - 0.002) / 0.007) * smoothstep(0.062, 0.05, ax)
        z += 0.003 * gauss((ax - 0.046) / 0.014, (y + 0.004) / 0.012)
        z += 0.003 * gauss(x / 0.03, (y + 0.036) / 0.014)
        z += 0.0045 * gauss(x / 0.02, (y - mouthY - 0.004) / 0.004)
        z += 0.005 * gauss(x / 0.018, (y - mouthY + spacing + 0.0055) / 0.005)
        z += 0.004 * gauss(x / 0.018, (y + 0.087) / 0.012)
        // Sink the mask under the head surface towards its edge.
        z -= 0.0095 * smoothstep(0.65, 1.0, maskRadius(x, y))
        return z
    }

    /// The colour region of a point of the mean face (a triangle's centroid before any deformation).
    static func region(_ x: Double, _ y: Double) -> FaceRegion {
        let ax = abs(x)
        let slitTop = mouthY, slitBottom = mouthY - spacing
        if y < slitTop, y > slitBottom, ax < mouthHalfWidth { return .mouthInterior }
        if ax < 0.026 {
            let t = ax / 0.026
            let upper = 0.0085 * pow(max(1 - t * t, 0), 0.5) * (1 - 0.15 * gauss(x / 0.004))
            let lower = 0.0105 * pow(max(1 - t * t, 0), 0.6)
            if y >= slitTop && y <= slitTop + upper { return .lips }
            if y <= slitBottom && y >= slitBottom - lower { return .lips }
        }
        let eye = x > 0 ? leftEye : rightEye
        let p = SIMD2(x, y)
        if eye.contains(p) {
            let d = ((p - eye.centre) * (p - eye.centre)).sum().squareRoot()
            return d < 0.0025 ? .pupil : (d < 0.0058 ? .iris : .eyeWhite)
        }
        if ax >= 0.012, ax <= 0.057 {
            let low = browLow(x)
            let thickness = 0.0055 - 0.002 * smoothstep(0.04, 0.057, ax)
            if y >= low, y <= low + thickness { return .brow }
        }
        let nostril = SIMD2((ax - 0.0065) / 0.003, (y + 0.0285) / 0.0016)
        if (nostril * nostril).sum() < 1 { return .nostril }
        return .skin
    }
}

/// What a face triangle shows (for flat-shaded renderings and synthetic images).
public enum FaceRegion: UInt8, Sendable, CaseIterable {
    case skin, lips, mouthInterior, eyeWhite, iris, pupil, brow, nostril
}
