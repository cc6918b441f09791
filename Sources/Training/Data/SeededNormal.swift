import Foundation
import Numerics

/// Seeded standard-normal numbers (Box–Muller over `SplitMix64`): parameter initialisation and loss
/// perturbations draw from it, so a seed fixes every random number of a run.
public struct SeededNormal: Sendable {
    /// The underlying uniform generator (its state is the whole state of this sampler but for a cached
    /// second Box–Muller value, which `next()` does not keep: every call consumes two uniforms).
    public private(set) var generator: SplitMix64

    public init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    /// One draw from N(0, 1).
    public mutating func next() -> Float {
        // Uniforms in (0, 1] and [0, 1) from the top 53 bits.
        let u1 = (Double(generator.next() >> 11) + 1) / 9_007_199_254_740_992
        let u2 = Double(generator.next() >> 11) / 9_007_199_254_740_992
        return Float((-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2))
    }

    /// A tensor of independent N(0, σ²) draws, row-major order.
    public mutating func tensor(_ shape: [Int], standardDeviation sigma: Float) -> Tensor {
        var t = Tensor.zeros(shape)
        t.withUnsafeMutableBufferPointer { b in for i in b.indices { b[i] = sigma * next() } }
        return t
    }
}
