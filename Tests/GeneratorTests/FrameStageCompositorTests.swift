import Testing
@testable import Generator

/// Sorting and compositing (SPEC §1.3, §1.4) and the crossing search (F10) on hand-made inputs.
@Suite struct FrameStageCompositorTests {
    func composite(_ entries: [(z: Float, rgba: SIMD4<Float>, valid: Float)]) -> (color: SIMD3<Float>, depth: Float) {
        var z = entries.map(\.z)
        var rgba = entries.flatMap { [$0.rgba.x, $0.rgba.y, $0.rgba.z, $0.rgba.w] }
        var valid = entries.map(\.valid)
        var order = [Int](repeating: 0, count: entries.count)
        return z.withUnsafeMutableBufferPointer { zp in
            rgba.withUnsafeMutableBufferPointer { cp in
                valid.withUnsafeMutableBufferPointer { vp in
                    order.withUnsafeMutableBufferPointer { op in
                        Compositor.composite(count: entries.count, z: zp, rgba: cp, valid: vp, order: op)
                    }
                }
            }
        }
    }

    @Test func frontToBackOnWhite() {
        // Given back to front; sorted by depth the red entry (z 1.5, α 0.5) comes first.
        let r = composite([(z: 2, rgba: SIMD4(0, 0, 1, 1), valid: 1), (z: 1.5, rgba: SIMD4(1, 0, 0, 0.5), valid: 1)])
        // w = (0.5, 1·(0.5 + 1e-10)) = (0.5, 0.5); rgb = (0.5, 0, 0.5); Wsum = 1 -> (rgb + 1) − 1.
        #expect(r.color == SIMD3<Float>(0, -1, 0))
        #expect(r.depth == 1.75)
        // A half-transparent back entry lets the white background through.
        let h = composite([(z: 2, rgba: SIMD4(0, 0, 1, 0.5), valid: 1), (z: 1.5, rgba: SIMD4(1, 0, 0, 0.5), valid: 1)])
        #expect(h.color == (SIMD3<Float>(0.5, 0, 0.25) + 1 - 0.75) * 2 - 1)
        #expect(h.depth == Float(0.5 * 1.5 + 0.25 * 2) / 0.75)
    }

    @Test func invalidEntriesAreTransparentAndDepthIsNaN() {
        let r = composite([(z: 10, rgba: SIMD4(0.2, 0.3, 0.4, 0.9), valid: 0), (z: 10, rgba: SIMD4(0.5, 0.5, 0.5, 1), valid: 0)])
        #expect(r.color == SIMD3(1, 1, 1))
        #expect(r.depth.isNaN)
    }

    @Test func equalDepthsKeepTheirOrder() {
        let r = composite([(z: 1, rgba: SIMD4(1, 0, 0, 1), valid: 1), (z: 1, rgba: SIMD4(0, 1, 0, 1), valid: 1)])
        // The first entry is opaque: the second only gets weight 1e-10 (lost against 1 in Float32).
        #expect(r.color == SIMD3(1, -1, -1))
    }

    @Test func transmittanceKeepsTheEpsilon() {
        // For near-opaque alphas the 1e-10 changes the rounded factor (SPEC §1.4).
        let a = Float(0.999)
        #expect(Compositor.transmittanceFactor(a) != 1 - a)
        #expect(Compositor.transmittanceFactor(a) == (1 - a) + Float(1e-10))
        #expect(Compositor.transmittanceFactor(1) == Float(1e-10))
        #expect(Compositor.transmittanceFactor(0) == 1)
    }

    /// SPEC F10 literally: `argmax_q r[q]` with `r[q] = ±cost[q]`, `cost = linspace(n − 1, 0, n − 1)`.
    func literalIndex(_ s: [Float], _ l: Float) -> Int {
        let n = s.count
        let cost = (0..<(n - 1)).map { q -> Float in
            let step = Float(0 - Float(n - 1)) / Float(n - 2)
            return q < (n - 1) / 2 ? (step * Float(q) + Float(n - 1)) : (0 - step * Float(n - 2 - q))
        }
        var best = -Float.infinity, idx = 0
        for q in 0..<(n - 1) {
            let sl = s[q], sh = s[q + 1]
            let r = (sh - l <= 0 && l - sl <= 0 ? Float(1) : -1) * cost[q]
            if r > best { best = r; idx = q }
        }
        return idx
    }

    @Test func crossingSearchMatchesTheLiteralArgmax() {
        var state: UInt64 = 3
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24)
        }
        let level: Float = 0.5
        var cases: [[Float]] = [
            [0.9, 0.8, 0.6, 0.5, 0.5, 0.4, 0.3],      // touches the level: the first inclusive crossing
            [0.1, 0.2, 0.3, 0.6, 0.7, 0.8, 0.9],      // only upward: none, last interval, invalid
            [0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.4],      // crossing in the last interval: valid
            [0.9, .nan, 0.4, 0.9, 0.4, 0.9, 0.9],     // NaN never crosses
            [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5],      // flat at the level: first interval, valid
        ]
        for _ in 0..<2000 { cases.append((0..<12).map { _ in (next() * 4).rounded() / 4 }) }
        for s in cases {
            let hit = s.withUnsafeBufferPointer { CrossingSearch.find($0, start: 0, count: s.count, level: level) }
            #expect(hit.index == literalIndex(s, level), "s = \(s)")
            let sl = s[hit.index], sh = s[hit.index + 1]
            #expect(hit.isValid == (sh - level <= 0 && level - sl <= 0))
        }
    }

    @Test func interpolationFollowsThe005Branch() {
        let a = SIMD3<Float>(0, 0, 0), b = SIMD3<Float>(1, 2, 3)
        // |s_h − s_l| = 0.4 > 0.05: ((s_h − l)·A_l + (l − s_l)·A_h) / (s_h − s_l) = 0.25·A_h.
        let big = CrossingSearch.Crossing(index: 0, low: 0.6, high: 0.2, level: 0.5, isValid: true)
        #expect(big.interpolates)
        #expect(big.interpolate(a, b) == ((Float(0.2) - 0.5) * a + (Float(0.5) - 0.6) * b) / (Float(0.2) - 0.6))
        // |s_h − s_l| = 0.04 <= 0.05: A_h, still valid.
        let small = CrossingSearch.Crossing(index: 0, low: 0.52, high: 0.48, level: 0.5, isValid: true)
        #expect(!small.interpolates && small.interpolate(a, b) == b)
        // Invalid: A_h.
        let none = CrossingSearch.Crossing(index: 5, low: 0.1, high: 0.9, level: 0.5, isValid: false)
        #expect(none.interpolate(a, b) == b)
    }
}
