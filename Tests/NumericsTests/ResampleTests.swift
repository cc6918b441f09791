import Testing
@testable import Numerics

@Suite struct ResampleTests {
    /// Source position per PyTorch (area_pixel_compute_source_index), float32, written out plainly.
    static func source(_ i: Int, _ inCount: Int, _ outCount: Int, _ align: Bool) -> (Int, Int, Float, Float) {
        let src: Float
        if align {
            let scale: Float = outCount > 1 ? Float(inCount - 1) / Float(outCount - 1) : 0
            src = scale * Float(i)
        } else {
            let scale = Float(inCount) / Float(outCount)
            src = max(0, scale * (Float(i) + 0.5) - 0.5)
        }
        let i0 = min(Int(src.rounded(.down)), inCount - 1)
        let i1 = i0 < inCount - 1 ? i0 + 1 : i0
        let l1 = min(max(src - Float(i0), 0), 1)
        return (i0, i1, 1 - l1, l1)
    }

    @Test(arguments: [false, true])
    func trilinearMatchesNaive(_ align: Bool) throws {
        var rng = SeededGenerator(seed: align ? 3 : 4)
        for (shape, out) in [([2, 3, 4, 5, 6], [8, 10, 12]), ([1, 2, 5, 3, 7], [3, 7, 4]), ([1, 1, 1, 2, 3], [2, 1, 5])] {
            let x = try randomTensor(shape, using: &rng)
            let y = try x.resizedTrilinear(depth: out[0], height: out[1], width: out[2], alignCorners: align)
            let (d, h, w) = (shape[2], shape[3], shape[4])
            let xs = x.scalars
            var expected = [Float]()
            for plane in 0..<(shape[0] * shape[1]) { for t in 0..<out[0] { for r in 0..<out[1] { for c in 0..<out[2] {
                let (t0, t1, lt0, lt1) = Self.source(t, d, out[0], align)
                let (h0, h1, lh0, lh1) = Self.source(r, h, out[1], align)
                let (w0, w1, lw0, lw1) = Self.source(c, w, out[2], align)
                func v(_ a: Int, _ b: Int, _ e: Int) -> Float { xs[((plane * d + a) * h + b) * w + e] }
                let near = lh0 * (lw0 * v(t0, h0, w0) + lw1 * v(t0, h0, w1)) + lh1 * (lw0 * v(t0, h1, w0) + lw1 * v(t0, h1, w1))
                let far = lh0 * (lw0 * v(t1, h0, w0) + lw1 * v(t1, h0, w1)) + lh1 * (lw0 * v(t1, h1, w0) + lw1 * v(t1, h1, w1))
                expected.append(lt0 * near + lt1 * far)
            } } } }
            #expect(y.shape == [shape[0], shape[1]] + out)
            #expect(maxScaledError(y.scalars, expected) <= 1e-6)
        }
    }

    @Test(arguments: [false, true])
    func bilinearAndLinearMatchNaive(_ align: Bool) throws {
        var rng = SeededGenerator(seed: align ? 5 : 6)
        let x = try randomTensor([2, 3, 5, 7], using: &rng)
        for (ho, wo) in [(11, 3), (5, 7), (1, 1), (20, 13)] {
            let y = try x.resizedBilinear(height: ho, width: wo, alignCorners: align)
            let xs = x.scalars
            var expected = [Float]()
            for plane in 0..<6 { for r in 0..<ho { for c in 0..<wo {
                let (h0, h1, lh0, lh1) = Self.source(r, 5, ho, align)
                let (w0, w1, lw0, lw1) = Self.source(c, 7, wo, align)
                func v(_ a: Int, _ b: Int) -> Float { xs[(plane * 5 + a) * 7 + b] }
                expected.append(lh0 * (lw0 * v(h0, w0) + lw1 * v(h0, w1)) + lh1 * (lw0 * v(h1, w0) + lw1 * v(h1, w1)))
            } } }
            #expect(maxScaledError(y.scalars, expected) <= 1e-6)
            let z = try x.resizedLinear(size: wo, alignCorners: align)
            var expectedLinear = [Float]()
            for row in 0..<30 { for c in 0..<wo {
                let (w0, w1, l0, l1) = Self.source(c, 7, wo, align)
                expectedLinear.append(l0 * xs[row * 7 + w0] + l1 * xs[row * 7 + w1])
            } }
            #expect(z.shape == [2, 3, 5, wo])
            #expect(maxScaledError(z.scalars, expectedLinear) <= 1e-6)
        }
    }

    /// Results PyTorch gives for `F.interpolate` (hand-computed from its formulas and checked against
    /// known outputs).
    @Test func pytorchHandCases() throws {
        let ramp = try Tensor(shape: [1, 1, 2], scalars: [0, 1])
        #expect(try ramp.resizedLinear(size: 4, alignCorners: false).scalars == [0, 0.25, 0.75, 1])
        #expect(try ramp.resizedLinear(size: 4, alignCorners: true).scalars == [0, Float(1) / 3, Float(2) / 3, 1])
        // Downsampling 5 -> 3 (align false): scale 5/3, sources 1/3, 2, 11/3.
        let five = try Tensor(shape: [1, 1, 5], scalars: [0, 1, 2, 3, 4])
        let down = try five.resizedLinear(size: 3, alignCorners: false).scalars
        #expect(abs(down[0] - 1.0 / 3) < 1e-6 && down[1] == 2 && abs(down[2] - 11.0 / 3) < 1e-6)
        // 2x2 -> 4x4 bilinear.
        let square = try Tensor(shape: [1, 1, 2, 2], scalars: [1, 2, 3, 4])
        #expect(try square.resizedBilinear(height: 4, width: 4, alignCorners: false).scalars == [
            1.0, 1.25, 1.75, 2.0, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3.0, 3.25, 3.75, 4.0])
        #expect(try square.resizedBilinear(height: 3, width: 3, alignCorners: true).scalars == [
            1, 1.5, 2, 2, 2.5, 3, 3, 3.5, 4])
        // SPEC.md A.7: trilinear x2 (align false) along depth: outputs read x0, 0.75·x0 + 0.25·x1, ..., x[n−1].
        let column = try Tensor(shape: [1, 1, 3, 1, 1], scalars: [0, 4, 8])
        #expect(try column.resizedTrilinear(depth: 6, height: 2, width: 2, alignCorners: false).scalars == [
            0, 0, 0, 0, 1, 1, 1, 1, 3, 3, 3, 3, 5, 5, 5, 5, 7, 7, 7, 7, 8, 8, 8, 8])
        // SPEC.md A.3: 64 -> 256 (align true) uses scale = (63/255) in float32, independent of the factor 4.
        let axis = try LinearResampleAxis(inCount: 64, outCount: 256, alignCorners: true)
        let scale = Float(63) / Float(255)
        #expect(axis.index0[255] == 63 && axis.index1[255] == 63)
        #expect(axis.index0[5] == 1 && axis.lambda1[5] == scale * 5 - 1)
    }

    @Test func invalidSizesThrow() throws {
        let x = try Tensor(shape: [1, 1, 2, 2])
        #expect(throws: NumericsError.self) { try x.resizedBilinear(height: 0, width: 2, alignCorners: false) }
        #expect(throws: NumericsError.self) { try Tensor(shape: [2, 2]).resizedTrilinear(depth: 2, height: 2, width: 2, alignCorners: false) }
        #expect(throws: NumericsError.self) { try Tensor(shape: [3]).resizedBilinear(height: 2, width: 2, alignCorners: true) }
    }
}
