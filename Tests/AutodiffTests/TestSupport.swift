import Autodiff
import Numerics
import PortraitTestSupport
import Testing

/// A small deterministic generator (SplitMix64) so every test run sees the same data.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A tensor of uniform values in `range`.
func randomTensor(_ shape: [Int], in range: ClosedRange<Float> = -1...1, using rng: inout SeededGenerator) throws -> Tensor {
    let n = shape.reduce(1, *)
    return try Tensor(shape: shape, scalars: (0..<n).map { _ in Float.random(in: range, using: &rng) })
}

/// `#expect`s a passing gradient check (`GradientCheck`, every element, random fixed output weights in
/// [−1, 1] from `SeededGenerator(seed: 7)`) with a gradient above 1e-3.
func expectGradients(_ inputs: [Tensor], differentiate: Set<Int>? = nil, epsilon: Float = 1e-2,
                     tolerance: Double = 3e-3, sourceLocation: SourceLocation = #_sourceLocation,
                     _ f: (Tape, [Variable]) throws -> Variable) throws {
    try GradientCheck.expect(inputs, differentiate: differentiate, epsilon: epsilon, tolerance: tolerance, smallestGradient: 1e-3,
                             weights: { shape in
                                 var rng = SeededGenerator(seed: 7)
                                 return try randomTensor(shape, in: -1...1, using: &rng)
                             }, sourceLocation: sourceLocation, f)
}
