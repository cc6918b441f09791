import Testing
@testable import Body

@Suite struct NearestVertexSearchTests {
    struct LCG {
        var state: UInt64
        mutating func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24)
        }
        mutating func point(scale: Float = 1) -> SIMD3<Float> {
            SIMD3(next() * 2 - 1, next() * 2 - 1, next() * 2 - 1) * scale
        }
    }

    func expectMatchesBruteForce(_ points: [SIMD3<Float>], _ queries: [SIMD3<Float>],
                                 sourceLocation: SourceLocation = #_sourceLocation) throws {
        let tree = try NearestVertexSearch(points: points)
        var mismatches = 0
        var hint = 0
        for q in queries {
            let expected = NearestVertexSearch.bruteForce(points: points, query: q)
            let got = tree.nearest(to: q, hint: hint)
            // Also without a hint: the answer must not depend on it.
            let cold = tree.nearest(to: q)
            if got != expected || cold != expected { mismatches += 1 }
            hint = got
        }
        #expect(mismatches == 0, "\(mismatches) of \(queries.count) queries differ from brute force",
                sourceLocation: sourceLocation)
    }

    @Test func randomPointsAndQueries() throws {
        var g = LCG(state: 1)
        let points = (0..<3595).map { _ in g.point(scale: 0.3) }
        // Queries inside, near and far outside the cloud.
        let queries = (0..<4000).map { i in g.point(scale: i % 4 == 0 ? 3 : 0.35) }
        try expectMatchesBruteForce(points, queries)
    }

    @Test func tiesGoToTheLowestIndex() throws {
        // A lattice with many duplicated points and queries equidistant from several of them.
        var points = [SIMD3<Float>]()
        for x in 0..<6 { for y in 0..<6 { for z in 0..<6 {
            points.append(SIMD3(Float(x), Float(y), Float(z)) * 0.125)
        } } }
        points += points.reversed()            // every point twice, at a low and a high index
        points += Array(repeating: SIMD3(0.25, 0.25, 0.25), count: 20)
        var queries = [SIMD3<Float>]()
        for x in 0..<11 { for y in 0..<11 { for z in 0..<11 {
            queries.append(SIMD3(Float(x), Float(y), Float(z)) * 0.0625)   // lattice points, edge and cell centres
        } } }
        queries += points
        try expectMatchesBruteForce(points, queries)
        // Direct check: a query at a duplicated point returns its first copy.
        let tree = try NearestVertexSearch(points: points)
        #expect(tree.nearest(to: SIMD3(0.25, 0.25, 0.25)) == points.firstIndex(of: SIMD3(0.25, 0.25, 0.25)))
        #expect(tree.nearest(to: SIMD3(0.0625, 0, 0)) == 0)   // equidistant from (0,0,0) [0] and (0.125,0,0) [36]
    }

    @Test func tiesThatOnlyAppearInFloat32() throws {
        // Points whose distances to the query differ in exact arithmetic but round to the same Float32 sum:
        // brute force and the tree must agree on the computed (Float32) distances.
        var g = LCG(state: 99)
        var points = [SIMD3<Float>]()
        let base = SIMD3<Float>(0.1, 0.2, 0.3)
        for _ in 0..<2000 {
            let d = g.point(scale: 1e-6)
            points.append(base + SIMD3(1, 0, 0) + d)
        }
        for _ in 0..<500 { points.append(g.point()) }
        let queries = (0..<500).map { _ in base + g.point(scale: 1e-5) } + [base]
        try expectMatchesBruteForce(points, queries)
    }

    @Test func degenerateInputs() throws {
        #expect(throws: BodyError.self) { try NearestVertexSearch(points: []) }
        #expect(throws: BodyError.self) { try NearestVertexSearch(points: [SIMD3(.nan, 0, 0)]) }
        let tree = try NearestVertexSearch(points: [SIMD3(1, 1, 1), SIMD3(0, 0, 0)])
        #expect(tree.nearest(to: SIMD3(.nan, 0, 0)) == 0)
        #expect(tree.nearest(to: SIMD3(0.1, 0, 0)) == 1)
        #expect(tree.nearest(to: SIMD3(.infinity, 0, 0)) == NearestVertexSearch.bruteForce(
            points: [SIMD3(1, 1, 1), SIMD3(0, 0, 0)], query: SIMD3(.infinity, 0, 0)))
    }
}
