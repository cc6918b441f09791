import Testing
@testable import Numerics

@Suite struct Conv2DTests {
    /// Plain 7-loop convolution (cross-correlation, zero padding, groups, bias), accumulated in Double.
    static func naive(_ x: Tensor, _ w: Tensor, _ b: Tensor?, padding p: Int, groups: Int) -> [Float] {
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (o, cg, k) = (w.shape[0], w.shape[1], w.shape[2])
        let og = o / groups
        let oh = h + 2 * p - k + 1, ow = wd + 2 * p - k + 1
        let xs = x.scalars, ws = w.scalars, bs = b?.scalars
        var out = [Float](repeating: 0, count: n * o * oh * ow)
        for img in 0..<n {
            for oc in 0..<o {
                let group = oc / og
                for y in 0..<oh {
                    for xx in 0..<ow {
                        var s = Double(bs?[oc] ?? 0)
                        for ic in 0..<cg {
                            let cin = group * cg + ic
                            for ky in 0..<k {
                                for kx in 0..<k {
                                    let iy = y + ky - p, ix = xx + kx - p
                                    if iy < 0 || iy >= h || ix < 0 || ix >= wd { continue }
                                    s += Double(xs[flatIndex([img, cin, iy, ix], [n, c, h, wd])])
                                        * Double(ws[flatIndex([oc, ic, ky, kx], [o, cg, k, k])])
                                }
                            }
                        }
                        out[flatIndex([img, oc, y, xx], [n, o, oh, ow])] = Float(s)
                    }
                }
            }
        }
        return out
    }

    @Test(arguments: [
        // (batch, in, out, h, w, kernel, padding, groups, bias)
        (1, 3, 5, 7, 9, 3, -1, 1, true),
        (2, 4, 6, 11, 5, 1, -1, 1, true),
        (3, 6, 4, 6, 13, 3, -1, 2, false),
        (1, 5, 3, 9, 8, 5, -1, 1, true),
        (2, 2, 3, 5, 5, 3, 0, 1, true),
        (1, 3, 2, 4, 6, 3, 2, 1, false),
        (1, 4, 4, 8, 7, 1, 1, 4, true),
        (1, 8, 8, 5, 4, 7, -1, 1, true),
    ])
    func matchesNaiveReference(_ c: (Int, Int, Int, Int, Int, Int, Int, Int, Bool)) throws {
        let (n, cin, cout, h, w, k, padArg, groups, hasBias) = c
        var rng = SeededGenerator(seed: UInt64(n * 1000 + cin * 100 + k * 10 + groups))
        let x = try randomTensor([n, cin, h, w], using: &rng)
        let wt = try randomTensor([cout, cin / groups, k, k], using: &rng)
        let b = hasBias ? try randomTensor([cout], using: &rng) : nil
        let padding = padArg < 0 ? nil : padArg
        let p = padding ?? (k - 1) / 2
        let expected = Self.naive(x, wt, b, padding: p, groups: groups)
        let y = try x.conv2d(weight: wt, bias: b, padding: padding, groups: groups)
        #expect(y.shape == [n, cout, h + 2 * p - k + 1, w + 2 * p - k + 1])
        #expect(maxScaledError(y.scalars, expected) <= 1e-5)
    }

    @Test func smallTilesMatchOneTile() throws {
        // Tiles of one row exercise every tile boundary and the row-range im2col.
        var rng = SeededGenerator(seed: 7)
        let x = try randomTensor([2, 5, 9, 10], using: &rng)
        let w = try randomTensor([3, 5, 3, 3], using: &rng)
        let b = try randomTensor([3], using: &rng)
        for budget in [1, 5 * 9 * 10 * 2, 5 * 9 * 10 * 4] {
            let g = try Conv2DGeometry(inChannels: 5, outChannels: 3, height: 9, width: 10, kernel: 3, tileBudget: budget)
            #expect(g.tileCount == (9 + g.tileRows - 1) / g.tileRows)
            var y = [Float](repeating: .nan, count: 2 * g.outputCount)
            x.withUnsafeBufferPointer { xp in w.withUnsafeBufferPointer { wp in b.withUnsafeBufferPointer { bp in
                y.withUnsafeMutableBufferPointer { yp in
                    Conv2D.forward(g, batch: 2, input: xp.baseAddress!, weight: wp.baseAddress!,
                                   bias: bp.baseAddress!, output: yp.baseAddress!)
                }
            } } }
            #expect(maxScaledError(y, Self.naive(x, w, b, padding: 1, groups: 1)) <= 1e-5)
        }
    }

    @Test func largeChannelCountsMatch() throws {
        // An SR-like layer (192 -> 32 channels) on a small image.
        var rng = SeededGenerator(seed: 11)
        let x = try randomTensor([1, 192, 6, 7], using: &rng)
        let w = try randomTensor([32, 192, 3, 3], in: -0.1...0.1, using: &rng)
        let b = try randomTensor([32], using: &rng)
        let y = try x.conv2d(weight: w, bias: b)
        #expect(maxScaledError(y.scalars, Self.naive(x, w, b, padding: 1, groups: 1)) <= 1e-5)
    }

    @Test func shapeErrorsNameBothShapes() throws {
        let x = try Tensor(shape: [1, 3, 4, 4])
        let w = try Tensor(shape: [2, 4, 3, 3])
        do {
            _ = try x.conv2d(weight: w)
            Issue.record("expected an error")
        } catch let e as NumericsError {
            #expect(e.description.contains("[2, 4, 3, 3]") && e.description.contains("[2, 3, 3, 3]")
                    && e.description.contains("[1, 3, 4, 4]"))
        }
        #expect(throws: NumericsError.self) { try x.conv2d(weight: try Tensor(shape: [2, 3, 3, 3]), bias: try Tensor(shape: [3])) }
        #expect(throws: NumericsError.self) { try x.conv2d(weight: try Tensor(shape: [2, 3, 3, 3]), groups: 2) }
        #expect(throws: NumericsError.self) { try x.conv2d(weight: try Tensor(shape: [2, 3, 7, 7]), padding: 0) }
    }
}
