import Autodiff
import Numerics
import Testing

/// Central-difference checks of tape gradients, shared by the Autodiff and Training tests (each test target
/// keeps its own output weights and vanishing-gradient floor in a thin wrapper).
public enum GradientCheck {
    /// The worst disagreement between the tape's gradient and central differences, scaled by the largest
    /// gradient magnitude of that input, and that magnitude (to see the check is not vacuous).
    public struct Result: Sendable {
        public var worstScaledError = 0.0
        public var largestGradient = 0.0
        public var elementsChecked = 0
    }

    /// Checks the tape gradients of `L = Σ w ⊙ f(inputs)` (`w = weights(output shape)`, fixed; `L` summed in
    /// float64) with respect to each input listed in `differentiate` (all by default) against central
    /// differences of step `epsilon` (inputs perturbed in float32), for every element of the input or for
    /// about `maxElements` evenly spaced ones.
    ///
    /// Each input's error is scaled by its largest gradient (analytic over all elements, numeric over the
    /// checked ones), so a wrong factor or a missing term shows as an error of order 1 while float32
    /// finite-difference noise stays around 1e-4.
    public static func run(_ inputs: [Tensor], differentiate: Set<Int>? = nil, epsilon: Float = 1e-2, maxElements: Int = .max,
                           weights: (_ shape: [Int]) throws -> Tensor,
                           _ f: (Tape, [Variable]) throws -> Variable) throws -> Result {
        let which = differentiate ?? Set(inputs.indices)
        let tape = Tape()
        let variables = inputs.enumerated().map { which.contains($0.offset) ? tape.variable($0.element) : tape.constant($0.element) }
        let output = try f(tape, variables)
        let w = try weights(output.shape).scalars
        try tape.backward(output, seed: Tensor(shape: output.shape, scalars: w))

        func loss(_ xs: [Tensor]) throws -> Double {
            let t = Tape()
            let out = try t.value(f(t, xs.map { t.constant($0) })).scalars
            var total = 0.0
            for i in out.indices { total += Double(out[i]) * Double(w[i]) }
            return total
        }

        var result = Result()
        for i in inputs.indices.sorted() where which.contains(i) {
            let analytic = try tape.gradient(of: variables[i])?.scalars ?? [Float](repeating: 0, count: inputs[i].count)
            let n = inputs[i].count
            var largest = analytic.map { abs(Double($0)) }.max() ?? 0
            var pairs: [(numeric: Double, analytic: Double)] = []
            for j in stride(from: 0, to: n, by: max(1, n / maxElements)) {
                var xs = inputs
                let x0 = inputs[i][flat: j]
                xs[i][flat: j] = x0 + epsilon
                let high = try loss(xs)
                xs[i][flat: j] = x0 - epsilon
                let low = try loss(xs)
                // The float32 displacement actually applied (x0 ± ε rounded).
                let numeric = (high - low) / (Double(x0 + epsilon) - Double(x0 - epsilon))
                largest = max(largest, abs(numeric))
                pairs.append((numeric, Double(analytic[j])))
            }
            let scale = max(largest, 1e-6)
            for pair in pairs {
                let e = abs(pair.numeric - pair.analytic) / scale
                if !(e <= result.worstScaledError) { result.worstScaledError = e.isNaN ? .infinity : e }
            }
            result.largestGradient = max(result.largestGradient, largest)
            result.elementsChecked += pairs.count
        }
        return result
    }

    /// `#expect`s a passing check (`run`) whose largest gradient exceeds `smallestGradient` (not vacuous);
    /// returns the worst scaled error for reports.
    @discardableResult
    public static func expect(_ inputs: [Tensor], differentiate: Set<Int>? = nil, epsilon: Float = 1e-2, tolerance: Double = 3e-3,
                              maxElements: Int = .max, smallestGradient: Double, weights: (_ shape: [Int]) throws -> Tensor,
                              sourceLocation: SourceLocation = #_sourceLocation,
                              _ f: (Tape, [Variable]) throws -> Variable) throws -> Double {
        let r = try run(inputs, differentiate: differentiate, epsilon: epsilon, maxElements: maxElements, weights: weights, f)
        #expect(r.worstScaledError < tolerance, "worst scaled error \(r.worstScaledError)", sourceLocation: sourceLocation)
        #expect(r.largestGradient > smallestGradient, "gradient vanishes (largest \(r.largestGradient))", sourceLocation: sourceLocation)
        #expect(r.elementsChecked > 0, sourceLocation: sourceLocation)
        return r.worstScaledError
    }
}
