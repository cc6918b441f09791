import Testing
@testable import Numerics

@Suite struct GridSampleTests {
    /// PyTorch's bilinear grid_sample written plainly in Double: unnormalise, clamp for border, then the
    /// four neighbours with zero outside the map.
    static func naive(_ x: Tensor, _ grid: Tensor, border: Bool, alignCorners: Bool) -> [Float] {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (ho, wo) = (grid.shape[1], grid.shape[2])
        let xs = x.scalars, gs = grid.scalars
        func unnormalise(_ g: Double, _ size: Int) -> Double {
            var i = alignCorners ? (g + 1) / 2 * Double(size - 1) : ((g + 1) * Double(size) - 1) / 2
            if border { i = min(Double(size - 1), max(i, 0)) }
            return i
        }
        var out = [Float](repeating: 0, count: n * c * ho * wo)
        for b in 0..<n { for p in 0..<(ho * wo) {
            let ix = unnormalise(Double(gs[(b * ho * wo + p) * 2]), w)
            let iy = unnormalise(Double(gs[(b * ho * wo + p) * 2 + 1]), h)
            let x0 = Int(ix.rounded(.down)), y0 = Int(iy.rounded(.down))
            let fx = ix - Double(x0), fy = iy - Double(y0)
            for ch in 0..<c {
                func v(_ yy: Int, _ xx: Int) -> Double {
                    yy < 0 || yy >= h || xx < 0 || xx >= w ? 0 : Double(xs[flatIndex([b, ch, yy, xx], x.shape)])
                }
                let value = v(y0, x0) * (1 - fx) * (1 - fy) + v(y0, x0 + 1) * fx * (1 - fy)
                    + v(y0 + 1, x0) * (1 - fx) * fy + v(y0 + 1, x0 + 1) * fx * fy
                out[b * c * ho * wo + ch * ho * wo + p] = Float(value)
            }
        } }
        return out
    }

    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func matchesNaiveReference(_ mode: (Bool, Bool)) throws {
        let (border, alignCorners) = mode
        var rng = SeededGenerator(seed: border ? 1 : 2)
        for (n, c, h, w, ho, wo) in [(1, 3, 7, 9, 5, 6), (2, 2, 1, 4, 3, 3), (1, 4, 16, 5, 8, 11)] {
            let x = try randomTensor([n, c, h, w], using: &rng)
            // Include points outside [−1, 1] to exercise padding.
            let grid = try randomTensor([n, ho, wo, 2], in: -1.3...1.3, using: &rng)
            let y = try x.gridSample(grid, padding: border ? .border : .zeros, alignCorners: alignCorners)
            #expect(y.shape == [n, c, ho, wo])
            #expect(maxScaledError(y.scalars, Self.naive(x, grid, border: border, alignCorners: alignCorners)) <= 1e-5)
        }
    }

    /// Hand-computed PyTorch results on the map [[1, 2], [3, 4]].
    @Test func pytorchHandCases() throws {
        let map = try Tensor(shape: [1, 1, 2, 2], scalars: [1, 2, 3, 4])
        func sample(_ gx: Float, _ gy: Float, _ padding: GridSamplePadding, _ align: Bool) throws -> Float {
            try map.gridSample(Tensor(shape: [1, 1, 1, 2], scalars: [gx, gy]), padding: padding, alignCorners: align)[flat: 0]
        }
        // Centre: pixel 0.5 in both conventions.
        #expect(try sample(0, 0, .border, false) == 2.5)
        #expect(try sample(0, 0, .border, true) == 2.5)
        // Corner −1: pixel −0.5 (align false; border clamps to 0, zeros keeps a quarter of V[0,0]) or 0 (align true).
        #expect(try sample(-1, -1, .border, false) == 1)
        #expect(try sample(-1, -1, .zeros, false) == 0.25)
        #expect(try sample(-1, -1, .zeros, true) == 1)
        #expect(try sample(1, 1, .border, false) == 4)
        #expect(try sample(1, 1, .zeros, false) == 1)
        // (0.5, −0.5): align false reads column 1, row 0 exactly; align true reads (0.75, 0.25).
        #expect(try sample(0.5, -0.5, .border, false) == 2)
        #expect(try sample(0.5, -0.5, .border, true) == 2.25)
        // Far outside and NaN never read out of bounds.
        #expect(try sample(1e30, -1e30, .zeros, false) == 0)
        #expect(try sample(5, 0, .border, false) == 3)  // column clamped to 1, row 0.5
        #expect(try sample(.nan, .nan, .zeros, false) == 0)
    }

    @Test(arguments: [GridSamplePadding.border, .zeros])
    func eightLanePathEqualsOnePointAtATime(_ padding: GridSamplePadding) throws {
        // Blocks of 8 points take the 8-lane path; single points the scalar one. Both must agree bit for bit,
        // including NaN, far-away and edge points.
        var rng = SeededGenerator(seed: 21)
        let (c, h, w) = (3, 6, 5)
        let map = try randomTensor([c, h, w], using: &rng).scalars
        var grid = try randomTensor([37, 2], in: -1.2...1.2, using: &rng).scalars
        grid[0] = .nan; grid[3] = 1e30; grid[4] = 1; grid[5] = 1; grid[6] = -1; grid[7] = -1; grid[9] = .infinity
        for align in [false, true] {
            var all = [Float](repeating: 0, count: c * 37), single = [Float](repeating: 0, count: c * 37)
            map.withUnsafeBufferPointer { m in grid.withUnsafeBufferPointer { g in
                all.withUnsafeMutableBufferPointer { o in
                    GridSample.run(input: m.baseAddress!, channels: c, height: h, width: w, grid: g.baseAddress!,
                                   points: 37, padding: padding, alignCorners: align, output: o.baseAddress!, channelStride: 37)
                }
                single.withUnsafeMutableBufferPointer { o in
                    for p in 0..<37 {
                        GridSample.run(input: m.baseAddress!, channels: c, height: h, width: w, grid: g.baseAddress! + 2 * p,
                                       points: 1, padding: padding, alignCorners: align, output: o.baseAddress! + p, channelStride: 37)
                    }
                }
            } }
            #expect(all.elementsEqual(single) { $0.bitPattern == $1.bitPattern })
        }
    }

    @Test func worldEdgeReadsLastColumnAfterClamp() throws {
        // SPEC.md A.5: on a 128-wide map gx = 1 unnormalises to 127.5 and is clamped to 127.
        #expect(GridSample.sourceCoordinate(1, size: 128, padding: .border, alignCorners: false) == 127)
        #expect(GridSample.sourceCoordinate(1, size: 128, padding: .zeros, alignCorners: false) == 127.5)
        #expect(GridSample.sourceCoordinate(1, size: 128, padding: .border, alignCorners: true) == 127)
    }

    @Test func badShapesNameBothShapes() throws {
        let x = try Tensor(shape: [2, 3, 4, 4])
        do {
            _ = try x.gridSample(try Tensor(shape: [1, 4, 4, 2]))
            Issue.record("expected an error")
        } catch let e as NumericsError {
            #expect(e.description.contains("[2, 3, 4, 4]") && e.description.contains("[1, 4, 4, 2]"))
        }
        #expect(throws: NumericsError.self) { try x.gridSample(try Tensor(shape: [2, 4, 4, 3])) }
    }
}
