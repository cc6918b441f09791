import Foundation
import Numerics

/// The random source of one corpus image: SplitMix64 seeded from (corpus seed, image index), so every
/// image's labels and appearance depend on those two numbers only (images render in any order, on any
/// number of threads, with the same bytes).
public struct LabelRandom: Sendable {
    private var generator: SplitMix64

    /// The stream of image `index` in the corpus of `seed`.
    public init(seed: UInt64, index: Int) {
        var mixer = SplitMix64(seed: seed ^ 0x5EED_C0DE_0000_0000)
        let base = mixer.next()
        generator = SplitMix64(seed: base &+ UInt64(truncatingIfNeeded: index) &* 0xD1B5_4A32_D192_ED03)
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double { Double(generator.next() >> 11) * 0x1p-53 }

    /// Uniform in `range`.
    public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * uniform()
    }

    /// A standard normal draw (Box–Muller, one output per call).
    public mutating func normal() -> Double {
        let u1 = (Double(generator.next() >> 11) + 1) * 0x1p-53
        let u2 = Double(generator.next() >> 11) * 0x1p-53
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// `N(0, sigma²)` clamped to `±limit`.
    public mutating func normal(sigma: Double, limit: Double) -> Double {
        min(max(normal() * sigma, -limit), limit)
    }

    /// An integer in `0..<count`.
    public mutating func below(_ count: Int) -> Int { generator.below(count) }

    /// An index drawn with the given (unnormalised, non-negative) weights.
    public mutating func pick(weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var target = uniform() * total
        for (index, weight) in weights.enumerated() {
            if target < weight { return index }
            target -= weight
        }
        return max(weights.count - 1, 0)
    }
}
