import Numerics

/// Exact nearest-neighbour search over a fixed point set (SPEC F4, A.13): a k-d tree whose answers equal
/// brute force, including ties, which go to the lowest point index.
///
/// Distances are `Σ_c (q_c − v_c)²` in Float32, summed in c order, as in the brute force. Subtrees are
/// pruned only when a Float64 lower bound of their distance, shrunk by a margin larger than the Float32
/// rounding of that sum (relative 1e-6, absolute 1e-30), exceeds the best distance found, so no candidate
/// with an equal or smaller computed distance is ever skipped. Queries with a NaN coordinate return 0.
public struct NearestVertexSearch: Sendable {
    struct Node: Sendable {
        /// Leaves: the point range `lo..<hi` of `points`. Inner nodes: children `left`, `right`.
        var lo: Int32, hi: Int32, left: Int32, right: Int32
        var axis: Int32
        var split: Float
        var isLeaf: Bool { left < 0 }
    }

    /// The points, reordered so that every node covers a contiguous range.
    let points: [SIMD3<Float>]
    /// Original index of each reordered point.
    let ids: [Int32]
    let nodes: [Node]
    /// The points in their original order.
    let originalPoints: [SIMD3<Float>]
    /// Number of points.
    public var count: Int { points.count }

    static let leafSize = 8

    /// Builds the tree over `points` (at least one, at most `Int32.max`).
    public init(points input: [SIMD3<Float>]) throws {
        guard !input.isEmpty, input.count < Int(Int32.max) else {
            throw BodyError.invalidInput(name: "nearest-neighbour points", reason: "\(input.count) points, need 1..<2^31")
        }
        for (i, p) in input.enumerated() where !(p.x.isFinite && p.y.isFinite && p.z.isFinite) {
            throw BodyError.invalidInput(name: "nearest-neighbour point \(i)", reason: "\(p) is not finite")
        }
        var order = Array(0..<input.count)
        var nodes = [Node]()
        nodes.reserveCapacity(2 * input.count / Self.leafSize + 2)
        func build(_ lo: Int, _ hi: Int) -> Int32 {
            let index = Int32(nodes.count)
            nodes.append(Node(lo: Int32(lo), hi: Int32(hi), left: -1, right: -1, axis: 0, split: 0))
            if hi - lo <= Self.leafSize { return index }
            var lower = input[order[lo]], upper = lower
            for i in lo..<hi {
                lower = pointwiseMin(lower, input[order[i]])
                upper = pointwiseMax(upper, input[order[i]])
            }
            let extent = upper - lower
            let axis = extent.x >= extent.y ? (extent.x >= extent.z ? 0 : 2) : (extent.y >= extent.z ? 1 : 2)
            order[lo..<hi].sort { a, b in
                let ca = input[a][axis], cb = input[b][axis]
                return ca < cb || (ca == cb && a < b)
            }
            let mid = (lo + hi) / 2
            let split = input[order[mid]][axis]
            let left = build(lo, mid)
            let right = build(mid, hi)
            nodes[Int(index)].left = left
            nodes[Int(index)].right = right
            nodes[Int(index)].axis = Int32(axis)
            nodes[Int(index)].split = split
            return index
        }
        _ = build(0, input.count)
        self.nodes = nodes
        points = order.map { input[$0] }
        ids = order.map { Int32($0) }
        originalPoints = input
    }

    /// `Σ_c (q_c − v_c)²` in Float32, in c order.
    @inline(__always)
    static func distance(_ q: SIMD3<Float>, _ v: SIMD3<Float>) -> Float {
        let dx = q.x - v.x, dy = q.y - v.y, dz = q.z - v.z
        var s = dx * dx
        s += dy * dy
        s += dz * dz
        return s
    }

    /// Index (into the original point list) of the point nearest to `q`; ties go to the lowest index.
    /// `hint` (any valid index, e.g. the answer of a nearby query) only speeds the search up.
    public func nearest(to q: SIMD3<Float>, hint: Int = 0) -> Int {
        guard !(q.x.isNaN || q.y.isNaN || q.z.isNaN) else { return 0 }
        var bestIndex = Int32(hint >= 0 && hint < points.count ? hint : 0)
        var best = Self.distance(q, originalPoints[Int(bestIndex)])
        search(0, q, &best, &bestIndex)
        return Int(bestIndex)
    }

    private func search(_ n: Int32, _ q: SIMD3<Float>, _ best: inout Float, _ bestIndex: inout Int32) {
        let node = nodes[Int(n)]
        if node.isLeaf {
            for i in Int(node.lo)..<Int(node.hi) {
                let d = Self.distance(q, points[i])
                if d < best || (d == best && ids[i] < bestIndex) {
                    best = d
                    bestIndex = ids[i]
                }
            }
            return
        }
        let diff = Double(q[Int(node.axis)]) - Double(node.split)
        let (near, far) = diff <= 0 ? (node.left, node.right) : (node.right, node.left)
        search(near, q, &best, &bestIndex)
        if (diff * diff) * (1 - 1e-6) - 1e-30 <= Double(best) {
            search(far, q, &best, &bestIndex)
        }
    }

    /// Brute-force reference: the lowest index among the points at minimal distance (NaN distances never
    /// win; a query with a NaN coordinate gives 0).
    public static func bruteForce(points: [SIMD3<Float>], query q: SIMD3<Float>) -> Int {
        guard !(q.x.isNaN || q.y.isNaN || q.z.isNaN) else { return 0 }
        var best = Float.infinity
        var index = 0
        var found = false
        for (i, p) in points.enumerated() {
            let d = distance(q, p)
            if !found ? !d.isNaN : d < best {
                best = d; index = i; found = true
            }
        }
        return index
    }
}
