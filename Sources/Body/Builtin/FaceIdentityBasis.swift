import Foundation

/// The identity basis of the built-in face: smooth displacement fields over the mean face, the first 16 with
/// a meaning (`names`), the rest low-frequency cosine fields, made orthonormal over the mesh's vertices by
/// Gram–Schmidt in this order (so each meaningful direction keeps its meaning, minus what earlier ones
/// already cover).
enum FaceIdentityBasis {
    typealias L = FaceLayout

    static let count = 80

    /// Meanings of the first directions; the others are named `smooth NN`.
    static let meaningful = ["face width", "face length", "jaw width", "chin length", "nose projection",
                             "nose width", "eye spacing", "eye size", "mouth width", "lip fullness",
                             "brow height", "cheekbones", "forehead slope", "face roundness",
                             "nose bridge height", "mouth height"]

    static var names: [String] {
        meaningful + (meaningful.count..<count).map { String(format: "smooth %02d", $0) }
    }

    /// Candidate field `k` at `(x, y)` (unnormalised).
    static func candidate(_ k: Int, _ x: Double, _ y: Double) -> SIMD3<Double> {
        let side: Double = x >= 0 ? 1 : -1
        let eye = x >= 0 ? L.leftEye : L.rightEye
        let eyeRegion = L.gauss((x - eye.centre.x) / 0.014, (y - eye.centre.y) / 0.01)
        let mouthRegion = L.gauss(x / 0.03, (y - L.mouthY) / 0.012)
        switch k {
        case 0: return SIMD3(x, 0, 0)
        case 1: return SIMD3(0, y + 0.015, 0)
        case 2: return SIMD3(x * L.smoothstep(-0.02, -0.07, y), 0, 0)
        case 3: return SIMD3(0, -L.smoothstep(-0.06, -0.1, y) * max(1 - (x / 0.07) * (x / 0.07), 0), 0)
        case 4: return SIMD3(0, 0, L.gauss(x / 0.01, (y + 0.012) / 0.014))
        case 5: return SIMD3(x * L.gauss(x / 0.02, (y + 0.02) / 0.012), 0, 0)
        case 6: return SIMD3(side * eyeRegion, 0, 0)
        case 7: return SIMD3((x - eye.centre.x) * eyeRegion, (y - eye.centre.y) * eyeRegion, 0)
        case 8: return SIMD3(x * mouthRegion, 0, 0)
        case 9: return SIMD3(0, (y - L.mouthY) * mouthRegion, 0.01 * mouthRegion)
        case 10: return SIMD3(0, L.gauss((abs(x) - 0.034) / 0.02, (y - 0.03) / 0.01), 0)
        case 11: return SIMD3(0.3 * side, 0, 1) * L.gauss((abs(x) - 0.045) / 0.015, (y + 0.005) / 0.015)
        case 12: return SIMD3(0, 0, -max(y - 0.03, 0))
        case 13: return SIMD3(0, 0, -(x / 0.07) * (x / 0.07))
        case 14: return SIMD3(0, 0, L.gauss(x / 0.008, (y - 0.012) / 0.012))
        case 15: return SIMD3(0, mouthRegion, 0)
        default:
            // Cosine fields cos(πa·u)·cos(πb·v) over the mask's box, a + b increasing, z then x then y.
            let g = k - meaningful.count
            var pairs: [(Int, Int)] = []
            var total = 0
            while pairs.count * 3 <= g { for a in 0...total { pairs.append((a, total - a)) }; total += 1 }
            let (a, b) = pairs[g / 3]
            let u = (x + 0.076) / 0.152, v = (y + 0.114) / 0.198
            let f = cos(Double.pi * Double(a) * u) * cos(Double.pi * Double(b) * v)
            switch g % 3 {
            case 0: return SIMD3(0, 0, f)
            case 1: return SIMD3(f, 0, 0)
            default: return SIMD3(0, f, 0)
            }
        }
    }

    /// The orthonormal basis over `points` (mean vertices): `count` vectors of length `3·points.count`.
    /// Candidates that are (nearly) spanned by earlier ones are skipped.
    static func basis(points: [SIMD3<Double>]) -> [[Double]] {
        var out: [[Double]] = []
        var k = 0
        while out.count < count {
            var v = [Double](repeating: 0, count: 3 * points.count)
            for (i, p) in points.enumerated() {
                let d = candidate(k, p.x, p.y)
                v[3 * i] = d.x; v[3 * i + 1] = d.y; v[3 * i + 2] = d.z
            }
            k += 1
            let original = (v.map { $0 * $0 }.reduce(0, +)).squareRoot()
            for _ in 0..<2 {
                for b in out {
                    let dot = zip(v, b).reduce(0) { $0 + $1.0 * $1.1 }
                    for i in v.indices { v[i] -= dot * b[i] }
                }
            }
            let norm = (v.map { $0 * $0 }.reduce(0, +)).squareRoot()
            if norm > 1e-3 * original { out.append(v.map { $0 / norm }) }
        }
        return out
    }
}
