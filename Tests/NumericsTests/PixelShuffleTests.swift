import Testing
@testable import Numerics

@Suite struct PixelShuffleTests {
    @Test(arguments: [(1, 2, 3, 5, 2), (2, 3, 4, 3, 3), (1, 1, 1, 1, 2)])
    func matchesDefinition(_ c: (Int, Int, Int, Int, Int)) throws {
        let (n, ch, h, w, r) = c
        var rng = SeededGenerator(seed: UInt64(ch * 10 + r))
        let x = try randomTensor([n, ch * r * r, h, w], using: &rng)
        let y = try x.pixelShuffle(factor: r)
        #expect(y.shape == [n, ch, h * r, w * r])
        let xs = x.scalars, ys = y.scalars
        var ok = true
        for b in 0..<n { for cc in 0..<ch { for hh in 0..<h { for ww in 0..<w { for i in 0..<r { for j in 0..<r {
            let out = ys[flatIndex([b, cc, r * hh + i, r * ww + j], y.shape)]
            let inp = xs[flatIndex([b, cc * r * r + r * i + j, hh, ww], x.shape)]
            if out != inp { ok = false }
        } } } } } }
        #expect(ok)
    }

    @Test func handCaseFactorTwo() throws {
        // Four 1x1 channels become one 2x2 image in row-major order of (i, j).
        let x = try Tensor(shape: [1, 4, 1, 1], scalars: [10, 11, 12, 13])
        #expect(try x.pixelShuffle(factor: 2).scalars == [10, 11, 12, 13])
        #expect(throws: NumericsError.self) { try Tensor(shape: [1, 3, 2, 2]).pixelShuffle(factor: 2) }
    }
}
