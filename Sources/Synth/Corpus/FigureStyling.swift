import Foundation
import Body

/// Where hair and clothes go on the built-in body, decided once per body from its mean-pose vertices
/// (metres, face centre as origin; y up, z forward): per hair style a thickness per vertex (the hair is
/// the body's own surface pushed out along its posed normals, so it follows the head and rests on the
/// shoulders exactly as the skin under it does), and per neckline which triangles are clothed.
struct FigureStyling: Sendable {
    /// Hair thickness per vertex (metres, 0 = no hair), per style.
    let hairThickness: [Appearance.HairStyle: [Float]]
    /// Hair triangles per style (all three vertices with hair).
    let hairTriangles: [Appearance.HairStyle: [SIMD3<Int32>]]
    /// Clothed triangles per neckline.
    let clothed: [Appearance.Neckline: [Bool]]

    init(body: BuiltinBody) {
        let centre = BuiltinBody.faceCentre
        let vertexCount = body.meanPoseVertices.count
        let weights = body.model.skinningWeights.scalars
        let joints = body.model.jointCount
        let relative = body.meanPoseVertices.map { $0 - centre }
        let onHead = (0..<vertexCount).map { weights[$0 * joints + 15] > 0.5 }
        let onArm = (0..<vertexCount).map { weights[$0 * joints + 16] > 0.5 || weights[$0 * joints + 17] > 0.5 }

        /// The face and forehead below the hairline stay bare for every style.
        func isFace(_ r: SIMD3<Float>) -> Bool { r.z > -0.035 && r.y < 0.05 && abs(r.x) < 0.07 }
        func thickness(_ style: Appearance.HairStyle, _ v: Int) -> Float {
            let r = relative[v], p = body.meanPoseVertices[v]
            if isFace(r) || onArm[v] { return 0 }
            let crown = onHead[v] && (r.y > 0.045 || (r.z < -0.06 && r.y > -0.03) || (abs(r.x) > 0.068 && r.y > 0.01))
            switch style {
            case .short:
                return crown ? 0.009 : 0
            case .tied:
                guard crown else { return 0 }
                let bun = r - SIMD3(0, 0.06, -0.14)
                return 0.008 + 0.045 * exp(-(bun * bun).sum() / (2 * 0.028 * 0.028))
            case .bob:
                let sides = onHead[v] && ((abs(r.x) > 0.05 && r.y > -0.085) || (r.z < -0.03 && r.y > -0.11))
                let nape = !onHead[v] && p.y > 0.27 && r.z < -0.09
                return crown || sides ? 0.016 : (nape ? 0.012 : 0)
            case .long:
                let sides = onHead[v] && ((abs(r.x) > 0.05 && r.y > -0.11) || r.z < -0.03)
                let back = !onHead[v] && r.z < -0.1 && p.y > 0.02 && abs(p.x) < 0.13
                let neckSides = !onHead[v] && p.y > 0.24 && abs(p.x) > 0.035 && r.z < -0.06
                let strands = !onHead[v] && p.y > 0.13 && p.y < 0.27 && abs(p.x) > 0.07 && abs(p.x) < 0.13 && p.z > -0.05
                return crown || sides ? 0.018 : (back || neckSides || strands ? 0.016 : 0)
            }
        }
        var hairThickness: [Appearance.HairStyle: [Float]] = [:]
        var hairTriangles: [Appearance.HairStyle: [SIMD3<Int32>]] = [:]
        for style in Appearance.HairStyle.allCases {
            let t = (0..<vertexCount).map { thickness(style, $0) }
            hairThickness[style] = t
            hairTriangles[style] = body.triangles.filter { t[Int($0.x)] > 0 && t[Int($0.y)] > 0 && t[Int($0.z)] > 0 }
        }
        self.hairThickness = hairThickness
        self.hairTriangles = hairTriangles

        // Clothes: everything below the neckline, and the upper arms (short sleeves).
        let neckBase: Float = 0.245
        func isClothed(_ neckline: Appearance.Neckline, _ p: SIMD3<Float>, arm: Bool) -> Bool {
            if arm { return true }
            let front = p.z > 0
            switch neckline {
            case .crew: return p.y < neckBase - 1.5 * p.x * p.x
            case .vee: return p.y < (front ? min(neckBase, 0.15 + 1.3 * abs(p.x)) : neckBase)
            case .scoop: return p.y < (front ? neckBase - 0.06 + 2.5 * p.x * p.x : neckBase - 0.01)
            }
        }
        var clothed: [Appearance.Neckline: [Bool]] = [:]
        for neckline in Appearance.Neckline.allCases {
            clothed[neckline] = body.triangles.map { t in
                let a = Int(t.x), b = Int(t.y), c = Int(t.z)
                let p = (body.meanPoseVertices[a] + body.meanPoseVertices[b] + body.meanPoseVertices[c]) / 3
                return isClothed(neckline, p, arm: onArm[a] && onArm[b] && onArm[c])
            }
        }
        self.clothed = clothed
    }
}
