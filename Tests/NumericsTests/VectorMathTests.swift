import Foundation
import Testing
@testable import Numerics

@Suite struct VectorMathTests {
    /// The definitions, evaluated in Double from the float input.
    static func reference(_ f: ElementwiseFunction, _ x: Float) -> Double {
        let v = Double(x)
        switch f {
        case .relu: return v < 0 ? 0 : v
        case let .leakyReLU(slope): return v >= 0 ? v : Double(Float(slope) * x)
        case .sigmoid: return 1 / (1 + Foundation.exp(-v))
        case .softplus: return v > 20 ? v : Foundation.log1p(Foundation.exp(v))
        case .exp: return Foundation.exp(v)
        case .log1p: return Foundation.log1p(v)
        case .sin: return Foundation.sin(v)
        }
    }

    static let functions: [ElementwiseFunction] = [.relu, .leakyReLU(slope: 0.2), .sigmoid, .softplus, .exp, .log1p, .sin]

    @Test(arguments: functions)
    func matchesDoubleReference(_ f: ElementwiseFunction) throws {
        var rng = SeededGenerator(seed: 99)
        let range: ClosedRange<Float> = f == .log1p ? -0.999...50 : (f == .exp ? -80...80 : -40...40)
        // Odd length: exercises any vector remainder.
        let x = try randomTensor([1037], in: range, using: &rng)
        let y = x.applying(f)
        var worst = 0.0
        for (xi, yi) in zip(x.scalars, y.scalars) {
            let r = Self.reference(f, xi)
            worst = max(worst, abs(Double(yi) - r) / max(1, abs(r)))
        }
        #expect(worst <= 1e-6)
    }

    @Test func specialValues() {
        let x: [Float] = [0, -0.0, 1e-30, -1e-30, 88.7, -200, 30, -30]
        for f in Self.functions {
            var y = [Float](repeating: .nan, count: x.count)
            x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { yp in
                VectorMath.apply(f, xp.baseAddress!, yp.baseAddress!, count: x.count)
            } }
            for (xi, yi) in zip(x, y) {
                let r = Self.reference(f, xi)
                if r.isNaN {
                    #expect(yi.isNaN, "\(f)(\(xi)) = \(yi), expected NaN")
                    continue
                }
                #expect(abs(Double(yi) - r) <= 1e-6 * max(1, abs(r)), "\(f)(\(xi)) = \(yi), expected \(r)")
            }
        }
        // softplus threshold: x itself above 20.
        #expect(Tensor.fromScalars([20.5]).applying(.softplus).scalars == [20.5])
        #expect(Tensor.fromScalars([-1, 2]).applying(.relu).scalars == [0, 2])
        #expect(Tensor.fromScalars([-1, 2]).applying(.leakyReLU(slope: 0.2)).scalars == [-0.2, 2])
    }
}

extension Tensor {
    /// A rank-1 tensor of `values` (tests only).
    static func fromScalars(_ values: [Float]) -> Tensor {
        (try? Tensor(shape: [values.count], scalars: values)) ?? Tensor.zeros([0])
    }
}
