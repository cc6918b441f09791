import Foundation

/// The 68 facial landmarks of the built-in face in the usual iBUG 300-W order (image left = the subject's
/// right = −x): jaw 0–16, right brow 17–21, left brow 22–26, nose bridge 27–30, nostrils 31–35, right eye
/// 36–41, left eye 42–47, outer lips 48–59, inner lips 60–67. Each is a vertex of the face mesh (the one
/// nearest to the target below), so landmarks follow identity and expression.
enum FaceLandmarks {
    typealias L = FaceLayout

    /// Target positions on the mean face, `(x, y)` metres.
    static var targets: [SIMD2<Double>] {
        var t: [SIMD2<Double>] = []
        for i in 0...16 {
            let phi = Double.pi * Double(i) / 16
            let c = cos(phi)
            t.append(SIMD2(-0.064 * (c < 0 ? -1 : 1) * pow(abs(c), 0.75), -0.004 - 0.094 * sin(phi)))
        }
        for x in [-0.052, -0.044, -0.035, -0.026, -0.016] { t.append(SIMD2(x, L.browLow(x) + 0.0025)) }
        for x in [0.016, 0.026, 0.035, 0.044, 0.052] { t.append(SIMD2(x, L.browLow(x) + 0.0025)) }
        for y in [0.012, 0.002, -0.008, -0.018] { t.append(SIMD2(0, y)) }
        for x in [-0.011, -0.006, 0, 0.006, 0.011] { t.append(SIMD2(x, abs(x) > 0.008 ? -0.026 : (x == 0 ? -0.029 : -0.028))) }
        func eye(_ e: L.Eye, outerFirst: Bool) -> [SIMD2<Double>] {
            let cx = e.centre.x, w = 0.97 * e.halfWidth
            let s: Double = outerFirst ? -1 : 1   // right eye: outer corner at −x
            let a = cx + s * w, b = cx + s * 0.005, c = cx - s * 0.005, d = cx - s * w
            // corner, upper lid (two), other corner, lower lid (two, back towards the first corner)
            let first = outerFirst ? a : d, p1 = outerFirst ? b : c, p2 = outerFirst ? c : b, last = outerFirst ? d : a
            return [SIMD2(first, e.centre.y), SIMD2(p1, e.upperLid(p1)), SIMD2(p2, e.upperLid(p2)), SIMD2(last, e.centre.y),
                    SIMD2(p2, e.lowerLid(p2)), SIMD2(p1, e.lowerLid(p1))]
        }
        // Right eye (image left): 36 outer corner, 37-38 upper lid, 39 inner corner, 40-41 lower lid.
        t += eye(L.rightEye, outerFirst: true)
        // Left eye: 42 inner corner, 43-44 upper lid, 45 outer corner, 46-47 lower lid.
        t += eye(L.leftEye, outerFirst: false)
        let m = L.mouthY, low = L.mouthY - L.spacing, corner = L.mouthHalfWidth
        t += [SIMD2(-corner, m), SIMD2(-0.015, m + 0.0065), SIMD2(-0.006, m + 0.0082), SIMD2(0, m + 0.0072),
              SIMD2(0.006, m + 0.0082), SIMD2(0.015, m + 0.0065), SIMD2(corner, m),
              SIMD2(0.015, low - 0.0075), SIMD2(0.006, low - 0.0095), SIMD2(0, low - 0.01), SIMD2(-0.006, low - 0.0095),
              SIMD2(-0.015, low - 0.0075)]
        t += [SIMD2(-0.024, m), SIMD2(-0.008, m), SIMD2(0, m), SIMD2(0.008, m), SIMD2(0.024, m),
              SIMD2(0.008, low), SIMD2(0, low), SIMD2(-0.008, low)]
        return t
    }

    /// The vertex nearest (in x, y) to each target.
    static func vertices(points: [SIMD3<Double>]) -> [Int] {
        targets.map { t in
            points.indices.min { a, b in
                let da = SIMD2(points[a].x, points[a].y) - t, db = SIMD2(points[b].x, points[b].y) - t
                return (da * da).sum() < (db * db).sum()
            } ?? 0
        }
    }
}
