import Foundation
import Testing
@testable import Numerics

@Suite struct DenseKernelsTests {
    static func values(_ count: Int, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in Float.random(in: -1...1, using: &rng) }
    }

    /// Few outputs: each row's dot products against a Double reference, with a row stride and k not a
    /// multiple of 8.
    @Test(arguments: [(1, 128), (3, 128), (4, 13), (2, 3)])
    func smallOutputProductMatchesDotProducts(_ shape: (n: Int, k: Int)) {
        let (n, k) = shape
        let rows = 11, lda = k + 5
        let x = Self.values(rows * lda, seed: 1), w = Self.values(n * k, seed: 2), b = Self.values(n, seed: 3)
        var y = [Float](repeating: .nan, count: rows * n)
        DenseKernels.smallOutputProduct(x, rows: rows, k: k, lda: lda, weight: w, n: n, bias: b, output: &y)
        for r in 0..<rows {
            for o in 0..<n {
                let exact = (0..<k).reduce(0.0) { $0 + Double(x[r * lda + $1]) * Double(w[o * k + $1]) } + Double(b[o])
                #expect(abs(Double(y[r * n + o]) - exact) <= 1e-5 * Double(k))
            }
        }
    }

    /// Few inputs: the products accumulate in input order with FMA, then the bias and the activation.
    @Test(arguments: [ElementwiseFunction?.none, .relu, .leakyReLU(slope: 0.2)])
    func smallInputProductFollowsInputOrder(_ activation: ElementwiseFunction?) {
        let k = 3, n = 21, rows = 6, lda = 4
        let x = Self.values(rows * lda, seed: 4), wt = Self.values(k * n, seed: 5), b = Self.values(n, seed: 6)
        var y = [Float](repeating: .nan, count: rows * n)
        DenseKernels.smallInputProduct(x, rows: rows, k: k, lda: lda, weightTransposed: wt, n: n, bias: b,
                                       activation: activation, output: &y)
        for r in 0..<rows {
            for o in 0..<n {
                var acc = x[r * lda] * wt[o]
                for i in 1..<k { acc = acc.addingProduct(x[r * lda + i], wt[i * n + o]) }
                let v = acc + b[o]
                let expected: Float
                switch activation {
                case .relu?: expected = v < 0 ? 0 : v
                case .leakyReLU?: expected = v >= 0 ? v : v * 0.2
                default: expected = v
                }
                #expect(y[r * n + o] == expected)
            }
        }
    }

    /// Bias then activation, and the FiLM sine with the bias, equal the unfused steps bit for bit.
    @Test func fusedPassesEqualTheSeparateSteps() {
        let rows = 5, width = 19
        let x = Self.values(rows * width, seed: 7).map { $0 * 30 }, b = Self.values(width, seed: 8)
        let f = Self.values(width, seed: 9).map { $0 * 15 + 30 }, p = Self.values(width, seed: 10)
        var withBias = x
        for r in 0..<rows { for j in 0..<width { withBias[r * width + j] = x[r * width + j] + b[j] } }

        var leaky = x
        DenseKernels.addBias(&leaky, rows: rows, width: width, bias: b, activation: .leakyReLU(slope: 0.2))
        #expect(leaky == withBias.map { $0 >= 0 ? $0 : $0 * 0.2 })

        var fused = x
        DenseKernels.filmSin(&fused, rows: rows, width: width, bias: b, frequencies: f, phases: p)
        var separate = [Float](repeating: 0, count: rows * width)
        VectorMath.filmSin(withBias, &separate, rows: rows, width: width, frequencies: f, phases: p)
        #expect(fused == separate)
    }
}
