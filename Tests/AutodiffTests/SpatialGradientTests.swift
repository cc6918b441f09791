import Autodiff
import Numerics
import Testing

@Suite struct SpatialGradientTests {
    @Test func conv2d() throws {
        var rng = SeededGenerator(seed: 51)
        let x = try randomTensor([2, 4, 5, 6], using: &rng)
        let w = try randomTensor([6, 4, 3, 3], using: &rng), b = try randomTensor([6], using: &rng)
        try expectGradients([x, w, b]) { t, v in try t.conv2d(v[0], weight: v[1], bias: v[2]) }
        // Grouped, no padding, no bias.
        let wg = try randomTensor([6, 2, 3, 3], using: &rng)
        try expectGradients([x, wg]) { t, v in try t.conv2d(v[0], weight: v[1], bias: nil, padding: 0, groups: 2) }
        // Pointwise (the input is the GEMM operand directly).
        let w1 = try randomTensor([3, 4, 1, 1], using: &rng)
        try expectGradients([x, w1, try randomTensor([3], using: &rng)]) { t, v in
            try t.conv2d(v[0], weight: v[1], bias: v[2], padding: 0)
        }
    }

    /// The backward kernel gives the same gradients with one output row per tile as with one tile.
    @Test func conv2dBackwardTiles() throws {
        var rng = SeededGenerator(seed: 52)
        let x = try randomTensor([1, 3, 7, 5], using: &rng), w = try randomTensor([4, 3, 3, 3], using: &rng)
        let dy = try randomTensor([1, 4, 7, 5], using: &rng)
        func grads(tileBudget: Int) throws -> (Tensor, Tensor) {
            let g = try Conv2DGeometry(inChannels: 3, outChannels: 4, height: 7, width: 5, kernel: 3, tileBudget: tileBudget)
            var gx = Tensor.zeros(x.shape), gw = Tensor.zeros(w.shape)
            x.withUnsafeBufferPointer { xp in w.withUnsafeBufferPointer { wp in dy.withUnsafeBufferPointer { dyp in
                gx.withUnsafeMutableBufferPointer { gxp in gw.withUnsafeMutableBufferPointer { gwp in
                    Conv2D.backward(g, batch: 1, input: xp.baseAddress!, weight: wp.baseAddress!, gradOutput: dyp.baseAddress!,
                                    gradInput: gxp.baseAddress!, gradWeight: gwp.baseAddress!, gradBias: nil)
                } }
            } } }
            #expect(g.tileCount == (tileBudget == 1 ? 7 : 1))
            return (gx, gw)
        }
        let (gx1, gw1) = try grads(tileBudget: 1), (gxAll, gwAll) = try grads(tileBudget: 1 << 18)
        for (a, b) in zip(gx1.scalars + gw1.scalars, gxAll.scalars + gwAll.scalars) { #expect(abs(a - b) <= 1e-5 * max(1, abs(b))) }
    }

    @Test func depthwiseConv3d() throws {
        var rng = SeededGenerator(seed: 53)
        let x = try randomTensor([2, 2, 4, 6, 5], using: &rng)
        let w = try randomTensor([2, 1, 3, 5, 3], using: &rng)
        try expectGradients([x, w]) { t, v in try t.depthwiseConv3d(v[0], weight: v[1]) }
        // Other reflect pads (output smaller than the input).
        try expectGradients([x, w]) { t, v in try t.depthwiseConv3d(v[0], weight: v[1], padding: (0, 1, 1)) }
        // Rows of 19 outputs: the 8-lane paths and their tails, a kernel width of 5 (taps in threes: 3 + 2).
        let wide = try randomTensor([1, 1, 3, 4, 19], using: &rng), w5 = try randomTensor([1, 1, 3, 3, 5], using: &rng)
        try expectGradients([wide, w5]) { t, v in try t.depthwiseConv3d(v[0], weight: v[1]) }
    }

    @Test func resize() throws {
        var rng = SeededGenerator(seed: 54)
        let x = try randomTensor([2, 3, 4, 5], using: &rng)
        for align in [false, true] {
            try expectGradients([x]) { t, v in try t.resize(v[0], to: [9], alignCorners: align) }
            try expectGradients([x]) { t, v in try t.resize(v[0], to: [3], alignCorners: align) }
            try expectGradients([x]) { t, v in try t.resize(v[0], to: [7, 11], alignCorners: align) }
            try expectGradients([x]) { t, v in try t.resize(v[0], to: [2, 3], alignCorners: align) }
            try expectGradients([x]) { t, v in try t.resize(v[0], to: [6, 8, 10], alignCorners: align) }
        }
    }

    @Test func pixelShuffle() throws {
        var rng = SeededGenerator(seed: 55)
        let x = try randomTensor([2, 8, 3, 2], using: &rng)
        try expectGradients([x]) { t, v in try t.pixelShuffle(v[0], factor: 2) }
    }

    /// Grid points whose source coordinates sit at least 0.1 pixel from any integer and from the border
    /// clamps, so ±ε never crosses a kink; some are outside the map (clamped: zero grid gradient).
    private func safeGrid(_ shape: [Int], height: Int, width: Int, padding: GridSamplePadding,
                          using rng: inout SeededGenerator) throws -> Tensor {
        var values = [Float]()
        while values.count < shape.reduce(1, *) {
            let g = Float.random(in: -1.3...1.3, using: &rng)
            let size = values.count % 2 == 0 ? width : height
            let i = GridSample.sourceCoordinate(g, size: size, padding: .zeros, alignCorners: false)
            let fraction = i - i.rounded(.down)
            let clampMargin = min(abs(i), abs(i - Float(size - 1)))
            if fraction > 0.1 && fraction < 0.9 && clampMargin > 0.1 { values.append(g) }
        }
        return try Tensor(shape: shape, scalars: values)
    }

    @Test func gridSampleInputAndGrid() throws {
        var rng = SeededGenerator(seed: 56)
        let x = try randomTensor([2, 3, 4, 5], using: &rng)
        for padding in [GridSamplePadding.border, .zeros] {
            let grid = try safeGrid([2, 3, 4, 2], height: 4, width: 5, padding: padding, using: &rng)
            try expectGradients([x, grid], epsilon: 2e-3) { t, v in try t.gridSample(v[0], grid: v[1], padding: padding) }
        }
    }

    @Test func gridSampleClampedPointsHaveNoGridGradient() throws {
        let tape = Tape()
        let x = tape.variable(try Tensor(shape: [1, 1, 2, 2], scalars: [0, 1, 2, 3]))
        let grid = tape.variable(try Tensor(shape: [1, 1, 1, 2], scalars: [1.7, 0.2]))
        try tape.backward(try tape.sum(tape.gridSample(x, grid: grid)))
        let gg = try #require(try tape.gradient(of: grid)).scalars
        #expect(gg[0] == 0)
        #expect(gg[1] != 0)
    }
}
