import Body
import Numerics
import Synth

/// The reference of the imitation loss `L_3DMM` (SPEC.md §8.3): for points `x` of the canonical pose
/// ("target space with expression", SPEC F6, rendering-space units) near the face, the nearest vertex of the
/// face mesh *with* the commanded identity and expression, and there the inverse expression displacement
/// `Δx_ref = −B_exp z_exp` (the vector that takes the expressed face back to the neutral one), mapped into
/// the rendering space.
///
/// The face mesh is placed as the corpus renderer and the generator's canonical space place it: the
/// built-in figure in its mean pose (all joint angles zero) with the body shape, normalised around its neck
/// (`BuiltinFigure.pose(...).normalised`). "Nearest mesh point" is the nearest vertex (the face grid is
/// 1.6 mm, ≈ 0.0014 rendering units). `Δx_ref` is the exact difference neutral − expressed of that
/// vertex's placed positions.
public struct FaceDeformationReference: Sendable {
    public let figure: BuiltinFigure

    /// What `lookup` finds for each point.
    public struct Lookup: Sendable {
        /// `[N, 3]` the reference deformation `Δx_ref`, rendering-space units (zeros where `mask` is 0).
        public var displacement: Tensor
        /// `[N]` 1 for points within `maxDistance` of the expressed face mesh, else 0.
        public var mask: Tensor
        /// `[N]` the nearest face vertex of each point.
        public var nearestVertex: [Int]
        /// `[N]` the distance to it (rendering-space units).
        public var distance: [Float]
    }

    public init(figure: BuiltinFigure) { self.figure = figure }

    /// Builds the built-in figure (body and face model).
    public init() throws { figure = BuiltinFigure(body: try BuiltinBody(), face: FaceModel()) }

    /// The face vertices in the canonical rendering space for body `shape` (`[≤ 10]`, missing entries zero), face `identity` and
    /// `expression` codes: `[V]`.
    public func canonicalFaceVertices(shape: [Float], identity: [Float], expression: [Float]) throws -> [SIMD3<Float>] {
        let rest = [SIMD3<Float>](repeating: .zero, count: MeanPose.slotCount)
        return try figure.pose(betas: FaceDeformationReference.paddedBodyShape(shape), eulers: rest, identity: identity, expression: expression).normalised.face
    }

    /// A body shape code padded with zeros (or cut) to the built-in body's 10 directions.
    static func paddedBodyShape(_ shape: [Float]) -> [Float] {
        let n = BuiltinBody.shapeDirectionNames.count
        return Array(shape.prefix(n)) + [Float](repeating: 0, count: max(0, n - shape.count))
    }

    /// The reference for `points` `[N, 3]` (canonical rendering space) of one face given by its codes.
    /// - Parameter maxDistance: points farther than this from the expressed mesh get mask 0 (default 0.02
    ///   rendering units ≈ 2.4 cm).
    public func lookup(points: Tensor, shape: [Float], identity: [Float], expression: [Float],
                       maxDistance: Float = 0.02) throws -> Lookup {
        guard points.rank == 2, points.shape[1] == 3 else {
            throw TrainingError.invalidArgument(operation: "FaceDeformationReference.lookup", reason: "points of shape \(points.shape), expected [N, 3]")
        }
        let expressed = try canonicalFaceVertices(shape: shape, identity: identity, expression: expression)
        let neutral = try canonicalFaceVertices(shape: shape, identity: identity, expression: [])
        let search = try NearestVertexSearch(points: expressed)
        let n = points.shape[0]
        var displacement = [Float](repeating: 0, count: 3 * n), mask = [Float](repeating: 0, count: n)
        var nearest = [Int](repeating: 0, count: n), distance = [Float](repeating: 0, count: n)
        let p = points.scalars
        var hint = 0
        for i in 0..<n {
            let q = SIMD3(p[3 * i], p[3 * i + 1], p[3 * i + 2])
            let v = search.nearest(to: q, hint: hint)
            hint = v
            let d = expressed[v] - q
            nearest[i] = v
            distance[i] = (d * d).sum().squareRoot()
            guard distance[i] <= maxDistance else { continue }
            mask[i] = 1
            let r = neutral[v] - expressed[v]
            displacement[3 * i] = r.x; displacement[3 * i + 1] = r.y; displacement[3 * i + 2] = r.z
        }
        return Lookup(displacement: try Tensor(shape: [n, 3], scalars: displacement), mask: try Tensor(shape: [n], scalars: mask),
                      nearestVertex: nearest, distance: distance)
    }

    /// The reference for a batch: `points` `[B, N, 3]` of face `b` given by row `b` of `shape` `[B, ≤ 10]`,
    /// `identity` `[B, I]` and `expression` `[B, E]` (label tensors as in `TrainingBatch`) → displacement
    /// `[B, N, 3]` and mask `[B, N]` (see `lookup(points:shape:identity:expression:maxDistance:)`).
    public func lookup(points: Tensor, shape: Tensor, identity: Tensor, expression: Tensor,
                       maxDistance: Float = 0.02) throws -> (displacement: Tensor, mask: Tensor) {
        let b = points.shape.first ?? 0
        guard points.rank == 3, points.shape[2] == 3, b > 0, shape.rank == 2, identity.rank == 2, expression.rank == 2,
              shape.shape[0] == b, identity.shape[0] == b, expression.shape[0] == b else {
            throw TrainingError.invalidArgument(
                operation: "FaceDeformationReference.lookup",
                reason: "points \(points.shape), shape \(shape.shape), identity \(identity.shape), expression \(expression.shape): expected [B, N, 3] and one code row per face")
        }
        let n = points.shape[1]
        func row(_ t: Tensor, _ i: Int) -> [Float] {
            let w = t.shape[1]
            return (0..<w).map { t[flat: i * w + $0] }
        }
        var displacement: [Float] = [], mask: [Float] = []
        displacement.reserveCapacity(b * n * 3)
        mask.reserveCapacity(b * n)
        for i in 0..<b {
            let found = try lookup(points: points.slice(axis: 0, range: i..<(i + 1)).reshaped([n, 3]), shape: row(shape, i),
                                   identity: row(identity, i), expression: row(expression, i), maxDistance: maxDistance)
            displacement += found.displacement.scalars
            mask += found.mask.scalars
        }
        return (try Tensor(shape: [b, n, 3], scalars: displacement), try Tensor(shape: [b, n], scalars: mask))
    }
}
