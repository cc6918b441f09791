import Autodiff
import Numerics
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

/// Result of a gradient check: the worst disagreement between the tape's gradient and central differences,
/// scaled by the largest gradient magnitude of that input, and that magnitude (to see the check is not vacuous).
struct GradientCheckResult {
    var worstScaledError: Double = 0
    var largestGradient: Double = 0
    var elementsChecked = 0
}

/// Checks the tape gradients of `L = Σ w ⊙ f(inputs)` (random fixed weights `w`, the sum in Double) with
/// respect to every element of every input listed in `differentiate` against central differences of step
/// `epsilon` (inputs perturbed in float32, the loss evaluated in float64).
///
/// Each input's error is scaled by its largest analytic gradient, so a wrong factor or a missing term shows
/// as an error of order 1 while finite-difference noise stays around 1e-4.
func checkGradients(_ inputs: [Tensor], differentiate: Set<Int>? = nil, epsilon: Float = 1e-2, seed: UInt64 = 7,
                    _ f: (Tape, [Variable]) throws -> Variable) throws -> GradientCheckResult {
    let which = differentiate ?? Set(inputs.indices)
    let tape = Tape()
    let variables = inputs.enumerated().map { which.contains($0.offset) ? tape.variable($0.element) : tape.constant($0.element) }
    let output = try f(tape, variables)
    var rng = SeededGenerator(seed: seed)
    let weights = try randomTensor(output.shape, in: -1...1, using: &rng)
    try tape.backward(output, seed: weights)

    func loss(_ xs: [Tensor]) throws -> Double {
        let t = Tape()
        let out = try t.value(f(t, xs.map { t.constant($0) }))
        let a = out.scalars, w = weights.scalars
        var total = 0.0
        for i in a.indices { total += Double(a[i]) * Double(w[i]) }
        return total
    }

    var result = GradientCheckResult()
    for i in inputs.indices.sorted() where which.contains(i) {
        let analytic = try tape.gradient(of: variables[i])?.scalars ?? [Float](repeating: 0, count: inputs[i].count)
        var numeric = [Double](repeating: 0, count: inputs[i].count)
        for j in 0..<inputs[i].count {
            var xs = inputs
            let x0 = inputs[i][flat: j]
            xs[i][flat: j] = x0 + epsilon
            let high = try loss(xs)
            xs[i][flat: j] = x0 - epsilon
            let low = try loss(xs)
            // The float32 displacement actually applied (x0 ± ε rounded).
            let step = Double(x0 + epsilon) - Double(x0 - epsilon)
            numeric[j] = (high - low) / step
        }
        let largest = max(analytic.map { abs(Double($0)) }.max() ?? 0, numeric.map(abs).max() ?? 0)
        let scale = max(largest, 1e-6)
        for j in numeric.indices {
            let e = abs(numeric[j] - Double(analytic[j])) / scale
            if !(e <= result.worstScaledError) { result.worstScaledError = e.isNaN ? .infinity : e }
        }
        result.largestGradient = max(result.largestGradient, largest)
        result.elementsChecked += numeric.count
    }
    return result
}

/// `#expect`s a passing gradient check with a non-trivial gradient.
func expectGradients(_ inputs: [Tensor], differentiate: Set<Int>? = nil, epsilon: Float = 1e-2,
                     tolerance: Double = 3e-3, sourceLocation: SourceLocation = #_sourceLocation,
                     _ f: (Tape, [Variable]) throws -> Variable) throws {
    let r = try checkGradients(inputs, differentiate: differentiate, epsilon: epsilon, f)
    #expect(r.worstScaledError < tolerance, "worst scaled error \(r.worstScaledError)", sourceLocation: sourceLocation)
    #expect(r.largestGradient > 1e-3, "gradient vanishes (largest \(r.largestGradient))", sourceLocation: sourceLocation)
    #expect(r.elementsChecked > 0, sourceLocation: sourceLocation)
}
