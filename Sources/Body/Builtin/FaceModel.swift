import Foundation

/// The built-in morphable face, in the head's canonical frame: metres, origin at the face centre (the point
/// the rendering space is centred on), x to the subject's left, y up, z out of the face, the head as in the
/// canonical mean pose. Generated deterministically by code.
///
/// - Mean face: a height-field mask on a 1.6 mm grid lying 7 mm over the built-in body's head and sinking
///   under it towards its edge, with nose, eye sockets and lids, brows, cheekbones, lips (a closed mouth slit
///   one grid row high) and chin; about 9,000 vertices. `triangleRegions` says what each triangle shows.
/// - Identity: `identityBasis`, 80 smooth directions, orthonormal over the vertices (`[80][3V]`); a code α
///   displaces the mean by `Σ_i α_i·identityScales[i]·identityBasis[i]` (α ~ N(0, 1) gives plausible faces:
///   one unit moves the most-moved vertex 3 mm along a meaningful direction, 1.5 mm along the others).
///   The first 16 have meanings (`identityNames`).
/// - Expression: the 16 named blendshapes of DESIGN.md section 6 (`expressionNames`, range [0, 1]), each a
///   local displacement field; `expressionBasis[k]` is field `k` at the mean vertices and
///   `expressionDisplacement(at:coefficients:)` evaluates the fields at any point near the face.
/// - Landmarks: 68 vertex ids in the iBUG 300-W order (`landmarkVertices`).
public struct FaceModel: Sendable {
    /// The 16 expression names (DESIGN.md section 6), in coefficient order.
    public static let expressionNames = FaceExpressions.names
    /// Names of the identity directions.
    public static var identityNames: [String] { FaceIdentityBasis.names }

    /// Mean vertices `[V]`, metres, head frame.
    public let meanVertices: [SIMD3<Float>]
    /// Triangles `[F]`, counter-clockwise seen from the front (+z).
    public let triangles: [SIMD3<Int32>]
    /// What each triangle shows.
    public let triangleRegions: [FaceRegion]
    /// Orthonormal identity directions `[80][3V]` (vertex-major, x y z).
    public let identityBasis: [[Float]]
    /// Metres per unit code along each identity direction `[80]`.
    public let identityScales: [Float]
    /// Expression blendshapes `[16][3V]`, metres per unit coefficient.
    public let expressionBasis: [[Float]]
    /// The 68 landmark vertex ids, iBUG order.
    public let landmarkVertices: [Int]
    /// Depth of the mean surface on the full grid (NaN where the mask does not reach), for
    /// `expressionDisplacement`: `[rows][columns]`.
    let gridDepth: [[Double]]

    /// Number of vertices.
    public var vertexCount: Int { meanVertices.count }

    /// How far the mask stands over the body's head surface before its relief (metres): enough that eye
    /// sockets stay in front of the head, sunk back under it towards the mask's edge.
    static let lift = 0.007

    /// Generates the face (deterministic; well under a second).
    public init() {
        typealias L = FaceLayout
        let columns = 2 * L.halfColumns + 1, rows = L.rowsBelow + L.rowsAbove + 1
        func gridX(_ i: Int) -> Double { Double(i - L.halfColumns) * L.spacing }
        func gridY(_ j: Int) -> Double { L.mouthY + Double(j - L.rowsBelow) * L.spacing }
        var depth = [[Double]](repeating: [Double](repeating: .nan, count: columns), count: rows)
        var index = [[Int32]](repeating: [Int32](repeating: -1, count: columns), count: rows)
        var points: [SIMD3<Double>] = []
        for j in 0..<rows {
            for i in 0..<columns {
                let x = gridX(i), y = gridY(j)
                guard L.maskRadius(x, y) < 1, let head = Self.headDepth(x, y) else { continue }
                depth[j][i] = head + Self.lift + L.relief(x, y)
                index[j][i] = Int32(points.count)
                points.append(SIMD3(x, y, depth[j][i]))
            }
        }
        var triangles: [SIMD3<Int32>] = []
        var regions: [FaceRegion] = []
        for j in 0..<(rows - 1) {
            for i in 0..<(columns - 1) {
                let a = index[j][i], b = index[j][i + 1], c = index[j + 1][i + 1], d = index[j + 1][i]
                guard a >= 0, b >= 0, c >= 0, d >= 0 else { continue }
                for t in [SIMD3(a, b, c), SIMD3(a, c, d)] {
                    let centre = (points[Int(t.x)] + points[Int(t.y)] + points[Int(t.z)]) / 3
                    triangles.append(t)
                    regions.append(L.region(centre.x, centre.y))
                }
            }
        }
        meanVertices = points.map { SIMD3<Float>($0) }
        self.triangles = triangles
        triangleRegions = regions
        gridDepth = depth
        let basis = FaceIdentityBasis.basis(points: points)
        identityBasis = basis.map { $0.map { Float($0) } }
        identityScales = basis.enumerated().map { i, b in
            var largest = 0.0
            for v in 0..<points.count {
                largest = max(largest, (b[3 * v] * b[3 * v] + b[3 * v + 1] * b[3 * v + 1] + b[3 * v + 2] * b[3 * v + 2]).squareRoot())
            }
            return Float((i < FaceIdentityBasis.meaningful.count ? 0.003 : 0.0015) / largest)
        }
        expressionBasis = (0..<FaceExpressions.names.count).map { k in
            points.flatMap { p -> [Float] in
                let d = FaceExpressions.displacement(k, p.x, p.y)
                return [Float(d.x), Float(d.y), Float(d.z)]
            }
        }
        landmarkVertices = FaceLandmarks.vertices(points: points)
    }

    /// The z of the built-in body's head surface at head-frame `(x, y)` where it faces forward (normal z
    /// component above 0.25), else nil.
    static func headDepth(_ x: Double, _ y: Double) -> Double? {
        let origin = BuiltinBodyShape.faceCentre
        func f(_ z: Double) -> Double { BuiltinBodyShape.value(at: origin + SIMD3(x, y, z)) }
        var z = 0.15
        while z > -0.05, f(z) >= 0 { z -= 0.001 }
        guard z > -0.05 else { return nil }
        var lo = z, hi = z + 0.001
        for _ in 0..<30 {
            let mid = 0.5 * (lo + hi)
            if f(mid) < 0 { lo = mid } else { hi = mid }
        }
        let surface = 0.5 * (lo + hi)
        let e = 1e-4, p = origin + SIMD3(x, y, surface)
        let g = SIMD3(BuiltinBodyShape.value(at: p + SIMD3(e, 0, 0)) - BuiltinBodyShape.value(at: p - SIMD3(e, 0, 0)),
                      BuiltinBodyShape.value(at: p + SIMD3(0, e, 0)) - BuiltinBodyShape.value(at: p - SIMD3(0, e, 0)),
                      BuiltinBodyShape.value(at: p + SIMD3(0, 0, e)) - BuiltinBodyShape.value(at: p - SIMD3(0, 0, e)))
        let normalZ = g.z / (g * g).sum().squareRoot()
        return normalZ > 0.25 ? surface : nil
    }

    /// The vertices for identity code `identity` (`[≤ 80]`, missing entries zero) and expression
    /// coefficients `expression` (`[≤ 16]`), metres, head frame.
    public func vertices(identity: [Float] = [], expression: [Float] = []) -> [SIMD3<Float>] {
        var flat = meanVertices.flatMap { [$0.x, $0.y, $0.z] }
        for (i, a) in identity.prefix(identityBasis.count).enumerated() where a != 0 {
            let s = a * identityScales[i]
            let b = identityBasis[i]
            for k in flat.indices { flat[k] += s * b[k] }
        }
        for (e, c) in expression.prefix(expressionBasis.count).enumerated() where c != 0 {
            let b = expressionBasis[e]
            for k in flat.indices { flat[k] += c * b[k] }
        }
        return (0..<vertexCount).map { SIMD3(flat[3 * $0], flat[3 * $0 + 1], flat[3 * $0 + 2]) }
    }

    /// The 68 landmarks of a face given by `vertices(identity:expression:)`.
    public func landmarks(of vertices: [SIMD3<Float>]) -> [SIMD3<Float>] { landmarkVertices.map { vertices[$0] } }

    /// The expression displacement (metres, head frame) at a point `p` near the face for coefficients
    /// `coefficients` (`[≤ 16]`): the blendshape fields at `(p.x, p.y)`, fading out with the distance from
    /// the mean surface along z (full within 6 mm, zero beyond 20 mm, and zero off the mask). At a mean
    /// vertex it equals `Σ_k c_k·expressionBasis[k]` there.
    public func expressionDisplacement(at p: SIMD3<Float>, coefficients: [Float]) -> SIMD3<Float> {
        typealias L = FaceLayout
        let x = Double(p.x), y = Double(p.y)
        let gi = x / L.spacing + Double(L.halfColumns), gj = (y - L.mouthY) / L.spacing + Double(L.rowsBelow)
        let i0 = Int(gi.rounded(.down)), j0 = Int(gj.rounded(.down))
        guard i0 >= 0, j0 >= 0, i0 + 1 < gridDepth[0].count, j0 + 1 < gridDepth.count else { return .zero }
        let fx = gi - Double(i0), fy = gj - Double(j0)
        let corners = [gridDepth[j0][i0], gridDepth[j0][i0 + 1], gridDepth[j0 + 1][i0], gridDepth[j0 + 1][i0 + 1]]
        let weights = [(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy]
        // Corners off the mask: use the others (all off: no displacement).
        var surface = 0.0, total = 0.0
        for (d, w) in zip(corners, weights) where d.isFinite { surface += d * w; total += w }
        guard total > 0 else { return .zero }
        surface /= total
        let fade = 1 - L.smoothstep(0.006, 0.02, abs(Double(p.z) - surface))
        guard fade > 0 else { return .zero }
        var d = SIMD3<Double>.zero
        for (k, c) in coefficients.prefix(FaceExpressions.names.count).enumerated() where c != 0 {
            d += Double(c) * FaceExpressions.displacement(k, x, y)
        }
        return SIMD3<Float>(d * fade)
    }
}
