import Testing
@testable import Numerics

@Suite struct DepthwiseConv3DTests {
    /// Reflect index written out as SPEC.md A.6 states it.
    static func reflect(_ u: Int, _ n: Int) -> Int {
        if u < 0 { return -u }
        if u > n - 1 { return 2 * (n - 1) - u }
        return u
    }

    static func naive(_ x: Tensor, _ w: Tensor, pad: (Int, Int, Int)) -> [Float] {
        let s = x.shape, (n, c, d, h, wd) = (s[0], s[1], s[2], s[3], s[4])
        let (kd, kh, kw) = (w.shape[2], w.shape[3], w.shape[4])
        let od = d + 2 * pad.0 - kd + 1, oh = h + 2 * pad.1 - kh + 1, ow = wd + 2 * pad.2 - kw + 1
        let xs = x.scalars, ws = w.scalars
        var out = [Float](repeating: 0, count: n * c * od * oh * ow)
        for b in 0..<n { for ch in 0..<c { for z in 0..<od { for y in 0..<oh { for xx in 0..<ow {
            var sum = 0.0
            for a in 0..<kd { for bb in 0..<kh { for cc in 0..<kw {
                let iz = reflect(z + a - pad.0, d), iy = reflect(y + bb - pad.1, h), ix = reflect(xx + cc - pad.2, wd)
                sum += Double(xs[flatIndex([b, ch, iz, iy, ix], s)]) * Double(ws[flatIndex([ch, 0, a, bb, cc], w.shape)])
            } } }
            out[flatIndex([b, ch, z, y, xx], [n, c, od, oh, ow])] = Float(sum)
        } } } } }
        return out
    }

    @Test(arguments: [
        // (batch, channels, d, h, w, kd, kh, kw, pad d, pad h, pad w)
        (1, 3, 6, 10, 11, 5, 9, 9, 2, 4, 4),
        (2, 2, 5, 9, 17, 3, 5, 5, 1, 2, 2),
        (1, 4, 3, 5, 7, 3, 3, 3, 0, 1, 2),
        (1, 1, 7, 6, 5, 1, 3, 5, 0, 1, 2),
        (1, 2, 4, 4, 4, 3, 3, 3, 2, 3, 3),
        // Widths covering the 32-column, 8-column and single-column paths.
        (1, 2, 3, 5, 45, 3, 5, 9, 1, 2, 4),
        (1, 1, 6, 4, 70, 5, 3, 9, 2, 1, 4),
    ])
    func matchesNaiveReference(_ c: (Int, Int, Int, Int, Int, Int, Int, Int, Int, Int, Int)) throws {
        let (n, ch, d, h, w, kd, kh, kw, pd, ph, pw) = c
        var rng = SeededGenerator(seed: UInt64(ch * 97 + d * 13 + w))
        let x = try randomTensor([n, ch, d, h, w], using: &rng)
        let wt = try randomTensor([ch, 1, kd, kh, kw], using: &rng)
        let y = try x.depthwiseConv3d(weight: wt, padding: (pd, ph, pw))
        #expect(y.shape == [n, ch, d + 2 * pd - kd + 1, h + 2 * ph - kh + 1, w + 2 * pw - kw + 1])
        #expect(maxScaledError(y.scalars, Self.naive(x, wt, pad: (pd, ph, pw))) <= 1e-5)
    }

    @Test func reflectPaddingHandCase() throws {
        // 1-D along width: x = [1, 2, 3], pad 2 reflects to [3, 2, 1, 2, 3, 2, 1]; a kernel picking the
        // first tap of 5 reads the padded values 3, 2, 1.
        let x = try Tensor(shape: [1, 1, 1, 1, 3], scalars: [1, 2, 3])
        let w = try Tensor(shape: [1, 1, 1, 1, 5], scalars: [1, 0, 0, 0, 0])
        #expect(try x.depthwiseConv3d(weight: w, padding: (0, 0, 2)).scalars == [3, 2, 1])
        let last = try Tensor(shape: [1, 1, 1, 1, 5], scalars: [0, 0, 0, 0, 1])
        #expect(try x.depthwiseConv3d(weight: last, padding: (0, 0, 2)).scalars == [3, 2, 1])
    }

    @Test func invalidInputsThrow() throws {
        let x = try Tensor(shape: [1, 2, 3, 4, 5])
        #expect(throws: NumericsError.self) { try x.depthwiseConv3d(weight: try Tensor(shape: [3, 1, 1, 1, 1])) }
        // Reflection needs pad < size: depth 3 with pad 3.
        #expect(throws: NumericsError.self) {
            try x.depthwiseConv3d(weight: try Tensor(shape: [2, 1, 3, 3, 3]), padding: (3, 1, 1))
        }
        do {
            _ = try x.depthwiseConv3d(weight: try Tensor(shape: [2, 2, 3, 3, 3]))
            Issue.record("expected an error")
        } catch let e as NumericsError {
            #expect(e.description.contains("[2, 2, 3, 3, 3]") && e.description.contains("[2, 1, 3, 3, 3]"))
        }
    }
}
