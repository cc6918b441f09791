import Foundation
import Testing
@testable import Numerics

/// Sweeps of the vectorised transcendental functions against libm in Double.
@Suite struct VectorMathAccuracyTests {
    /// Error of `y` in units of the last place of the float nearest to `reference`.
    static func ulps(_ y: Float, _ reference: Double) -> Double {
        let r = Float(reference)
        if r.isInfinite { return y == r ? 0 : .infinity }
        return abs(Double(y) - reference) / Double(r.ulp)
    }

    /// Evaluates `function` on `x` through the buffer API (single-threaded and parallel must agree).
    static func evaluate(_ function: ElementwiseFunction, _ x: [Float]) -> [Float] {
        var y = [Float](repeating: .nan, count: x.count)
        var z = [Float](repeating: .nan, count: x.count)
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { VectorMath.apply(function, xp.baseAddress!, $0.baseAddress!, count: x.count) }
            z.withUnsafeMutableBufferPointer { VectorMath.applyParallel(function, xp.baseAddress!, $0.baseAddress!, count: x.count) }
        }
        #expect(y.elementsEqual(z) { $0 == $1 || ($0.isNaN && $1.isNaN) }, "\(function): parallel differs")
        return y
    }

    @Test func sinSweepWithinTwoMillionthsAndOneUlp() {
        // 4 million evenly spread float arguments over [−1000, 1000] plus random ones up to 1e4.
        let n = 4_000_000
        var x = (0..<n).map { Float(-1000 + 2000 * Double($0) / Double(n - 1)) }
        var rng = SeededGenerator(seed: 5)
        x += (0..<200_000).map { _ in Float.random(in: -10_000...10_000, using: &rng) }
        let y = Self.evaluate(.sin, x)
        var maxAbs = 0.0, maxUlps = 0.0
        for i in 0..<n {
            let r = Foundation.sin(Double(x[i]))
            maxAbs = max(maxAbs, abs(Double(y[i]) - r))
            maxUlps = max(maxUlps, Self.ulps(y[i], r))
        }
        var maxUlpsLarge = 0.0
        for i in n..<x.count { maxUlpsLarge = max(maxUlpsLarge, Self.ulps(y[i], Foundation.sin(Double(x[i])))) }
        #expect(maxAbs <= 2e-6)
        #expect(maxUlps <= 1, "max error \(maxUlps) ulp over |x| <= 1000")
        #expect(maxUlpsLarge <= 1, "max error \(maxUlpsLarge) ulp over |x| <= 1e4")
    }

    @Test func sinNearMultiplesOfHalfPiAndSpecials() {
        // Floats nearest to k·π/2 are where reduction loses accuracy first.
        var x = [Float]()
        for k in stride(from: -6000, through: 6000, by: 7) {
            let c = Float(Double(k) * Double.pi / 2)
            x += [c.nextDown, c, c.nextUp]
        }
        x += [0, -0.0, 1e-40, 1e5, -3e7, 1e30, .infinity, -.infinity, .nan, .greatestFiniteMagnitude]
        let y = Self.evaluate(.sin, x)
        for (xi, yi) in zip(x, y) {
            let r = Foundation.sin(Double(xi))
            if r.isNaN { #expect(yi.isNaN); continue }
            #expect(Self.ulps(yi, r) <= 1, "sin(\(xi)) = \(yi), expected \(r)")
        }
        #expect(y[y.count - 10].sign == .plus && y[y.count - 9].sign == .minus)
    }

    @Test(arguments: [ElementwiseFunction.exp, .log1p, .sigmoid, .softplus])
    func sweepWithinOneUlp(_ function: ElementwiseFunction) {
        let (lo, hi): (Double, Double) = switch function {
        case .exp: (-104, 89)
        case .log1p: (-0.9999, 1e6)
        default: (-120, 40)
        }
        let n = 300_000
        var x = (0..<n).map { Float(lo + (hi - lo) * Double($0) / Double(n - 1)) }
        // Small magnitudes, where log1p and exp need their corrections.
        for e in 1...200 {
            let small = Float(Foundation.pow(2.0, -Double(e) / 2))
            x.append(small)
            x.append(-small)
        }
        if function == .log1p { x += [-1, -2, .infinity, .nan, 3e38] }
        x += [.nan, .infinity, -.infinity, 0, -0.0]
        let y = Self.evaluate(function, x)
        var worst = 0.0
        for (xi, yi) in zip(x, y) {
            let v = Double(xi)
            let r: Double = switch function {
            case .exp: Foundation.exp(v)
            case .log1p: Foundation.log1p(v)
            case .sigmoid: 1 / (1 + Foundation.exp(-v))
            default: v > 20 ? v : Foundation.log1p(Double(Float(Foundation.exp(v))))
            }
            if r.isNaN { #expect(yi.isNaN, "\(function)(\(xi)) = \(yi)"); continue }
            let e = Self.ulps(yi, r)
            if !(e <= 1) { Issue.record("\(function)(\(xi)) = \(yi), expected \(r)") }
            worst = max(worst, e)
        }
        #expect(worst <= 1)
    }

    @Test func filmSinFollowsSpecOrder() throws {
        // sin(f · v + φ) with the product and the sum rounded to float32 separately; odd width.
        var rng = SeededGenerator(seed: 12)
        let (rows, width) = (37, 13)
        let v = try randomTensor([rows, width], in: -3...3, using: &rng).scalars
        let f = try randomTensor([width], in: 15...100, using: &rng).scalars
        let p = try randomTensor([width], in: -3...3, using: &rng).scalars
        var y = [Float](repeating: 0, count: rows * width)
        v.withUnsafeBufferPointer { vp in f.withUnsafeBufferPointer { fp in p.withUnsafeBufferPointer { pp in
            y.withUnsafeMutableBufferPointer { yp in
                VectorMath.filmSinParallel(vp.baseAddress!, yp.baseAddress!, rows: rows, width: width,
                                           frequencies: fp.baseAddress!, phases: pp.baseAddress!)
            }
        } } }
        for r in 0..<rows { for j in 0..<width {
            let product: Float = v[r * width + j] * f[j]
            let t: Float = product + p[j]
            #expect(Self.ulps(y[r * width + j], Foundation.sin(Double(t))) <= 1)
        } }
    }
}
