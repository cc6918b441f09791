import Foundation

/// The 16 named expression blendshapes of the built-in face (DESIGN.md section 6), as displacement fields
/// over the mean face's `(x, y)` (head frame, metres, one unit of the coefficient; the controls range is
/// [0, 1]). Each is local to the region it names; the per-vertex blendshapes are these fields at the mean
/// vertices, and `FaceModel.expressionDisplacement(at:coefficients:)` evaluates them anywhere.
enum FaceExpressions {
    static let names = ["jaw_open", "smile_left", "smile_right", "frown", "brow_raise_left", "brow_raise_right",
                        "brow_lower", "blink_left", "blink_right", "lip_pucker", "lips_part", "mouth_left",
                        "mouth_right", "cheek_puff", "nose_wrinkle", "eyes_wide"]

    typealias L = FaceLayout

    /// 0 above the mouth slit, 1 below it; away from the mouth corners the step widens over the cheeks.
    static func belowMouth(_ x: Double, _ y: Double) -> Double {
        let spread = 0.02 * L.smoothstep(0.02, 0.04, abs(x))
        return L.smoothstep(L.mouthY + spread, L.mouthY - L.spacing - spread, y)
    }

    /// A piecewise-linear remap of `y` inside the lid band of `eye`: `bottom`, `top` fixed, the lower lid
    /// `yL → newLower` and the upper lid `yU → newUpper`; returns the y displacement.
    static func lidRemap(_ eye: L.Eye, _ x: Double, _ y: Double, newLower: Double, newUpper: Double) -> Double {
        let yL = eye.lowerLid(x), yU = eye.upperLid(x)
        guard eye.opening(x) > 0, y > eye.bottom, y < eye.top else { return 0 }
        let mapped: Double
        if y >= yU {
            mapped = newUpper + (y - yU) * (eye.top - newUpper) / (eye.top - yU)
        } else if y >= yL {
            mapped = newLower + (y - yL) * (newUpper - newLower) / max(yU - yL, 1e-12)
        } else {
            mapped = eye.bottom + (y - eye.bottom) * (newLower - eye.bottom) / (yL - eye.bottom)
        }
        return mapped - y
    }

    static func blink(_ eye: L.Eye, _ x: Double, _ y: Double) -> SIMD3<Double> {
        let yL = eye.lowerLid(x), yU = eye.upperLid(x)
        let closed = yL + 0.2 * (yU - yL)
        let dy = lidRemap(eye, x, y, newLower: yL, newUpper: closed)
        let open = eye.opening(x)
        let lid = y > eye.bottom && y < eye.top ? open * L.gauss((y - yU) / 0.004) : 0
        return SIMD3(0, dy, 0.001 * lid)
    }

    static func wide(_ eye: L.Eye, _ x: Double, _ y: Double) -> SIMD3<Double> {
        let open = eye.opening(x)
        let dy = lidRemap(eye, x, y, newLower: eye.lowerLid(x) - 0.25 * eye.lower * open,
                          newUpper: eye.upperLid(x) + 0.5 * eye.upper * open)
        return SIMD3(0, dy, 0)
    }

    static func mouthCorner(_ side: Double, _ x: Double, _ y: Double) -> Double {
        L.gauss((x - side * L.mouthHalfWidth) / 0.014, (y - L.mouthY) / 0.013)
    }

    static func browWeight(_ side: Double, _ x: Double, _ y: Double) -> Double {
        L.gauss((x - side * 0.033) / 0.02) * L.smoothstep(0.016, 0.028, y) * (1 - L.smoothstep(0.05, 0.08, y))
    }

    /// Displacement of expression `k` (one unit) at the mean-face point `(x, y)`.
    static func displacement(_ k: Int, _ x: Double, _ y: Double) -> SIMD3<Double> {
        let side: Double = x >= 0 ? 1 : -1
        switch k {
        case 0:  // jaw_open: everything below the mouth slit drops, less towards the jaw angles.
            let s = belowMouth(x, y) * (1 - 0.45 * L.smoothstep(0.03, 0.075, abs(x)))
            return SIMD3(0, -0.016 * s, -0.003 * s)
        case 1, 2:  // smile_left / smile_right: corner up and out, the cheek rises.
            let s: Double = k == 1 ? 1 : -1
            let g = mouthCorner(s, x, y)
            let cheek = L.gauss((x - s * 0.035) / 0.016, (y + 0.018) / 0.014)
            return SIMD3(s * 0.005 * g, 0.006 * g + 0.0025 * cheek, -0.0015 * g + 0.0025 * cheek)
        case 3:  // frown: both corners down, the chin pushed up a little.
            let g = mouthCorner(1, x, y) + mouthCorner(-1, x, y)
            let chin = L.gauss(x / 0.02, (y + 0.08) / 0.012)
            return SIMD3(0, -0.005 * g + 0.002 * chin, -0.001 * g)
        case 4, 5:  // brow_raise_left / brow_raise_right.
            return SIMD3(0, 0.007 * browWeight(k == 4 ? 1 : -1, x, y), 0)
        case 6:  // brow_lower: both brows down and together.
            let b = browWeight(1, x, y) + browWeight(-1, x, y)
            return SIMD3(-0.002 * side * b, -0.005 * b, 0.001 * b)
        case 7:  // blink_left
            return x > 0 ? blink(L.leftEye, x, y) : .zero
        case 8:  // blink_right
            return x < 0 ? blink(L.rightEye, x, y) : .zero
        case 9:  // lip_pucker: lips together and forward.
            let g = L.gauss(x / 0.028, (y - L.mouthY + L.spacing / 2) / 0.014)
            return SIMD3(-0.3 * x * g, 0, 0.007 * g)
        case 10:  // lips_part: upper lip up, lower lip down, jaw still.
            let below = belowMouth(x, y)
            let upper = (1 - below) * L.gauss(x / 0.022, (y - L.mouthY) / 0.008)
            let lower = below * L.gauss(x / 0.022, (y - L.mouthY + L.spacing) / 0.01)
            return SIMD3(0, 0.0018 * upper - 0.004 * lower, 0)
        case 11, 12:  // mouth_left / mouth_right: the mouth slides sideways.
            let g = L.gauss(x / 0.035, (y - L.mouthY) / 0.018)
            return SIMD3((k == 11 ? 1 : -1) * 0.007 * g, 0, 0)
        case 13:  // cheek_puff
            let g = L.gauss((abs(x) - 0.044) / 0.015, (y + 0.035) / 0.02) * L.smoothstep(0.012, 0.026, abs(x))
            return SIMD3(0.004 * side * g, 0, 0.007 * g)
        case 14:  // nose_wrinkle: nose sides and upper lip pulled up.
            let n = L.gauss(x / 0.014, (y + 0.004) / 0.014)
            let lip = (1 - belowMouth(x, y)) * L.gauss(x / 0.02, (y - L.mouthY - 0.004) / 0.007)
            return SIMD3(0, 0.003 * n + 0.0015 * lip, -0.0008 * n)
        case 15:  // eyes_wide
            return wide(x > 0 ? L.leftEye : L.rightEye, x, y)
        default:
            return .zero
        }
    }
}
