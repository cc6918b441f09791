import Autodiff
import Foundation
import Numerics
import PortraitTestSupport
import Synth
import Testing
@testable import Training

/// Shared by the discriminator, loss, landmark and data tests (prefixed `Losses` to stay apart from the
/// other TrainingTests helpers).
enum LossesTestSupport {
    /// A tensor of N(0, σ²) draws from `seed`.
    static func normal(_ shape: [Int], sigma: Float = 1, seed: UInt64) -> Tensor {
        var n = SeededNormal(seed: seed)
        return n.tensor(shape, standardDeviation: sigma)
    }

    /// A tensor of uniform values in `range` from `seed`.
    static func uniform(_ shape: [Int], in range: ClosedRange<Float>, seed: UInt64) throws -> Tensor {
        var g = SplitMix64(seed: seed)
        let n = shape.reduce(1, *)
        return try Tensor(shape: shape, scalars: (0..<n).map { _ in
            range.lowerBound + (range.upperBound - range.lowerBound) * Float(g.next() >> 40) / Float(1 << 24)
        })
    }

    struct CheckResult {
        var worstScaledError = 0.0
        var largestGradient = 0.0
        var elementsChecked = 0
    }

    /// Tape gradients of `L = Σ w ⊙ f(inputs)` (fixed random weights `w` when the output is not a scalar;
    /// `L` accumulated in float64) against central differences of step `epsilon` for every element of each
    /// input in `differentiate` (or for `maxElements` evenly spaced elements of it). Errors are scaled by the
    /// input's largest gradient: a wrong term shows as O(1), float32 noise stays near 1e-4.
    static func gradientCheck(_ inputs: [Tensor], differentiate: Set<Int>? = nil, epsilon: Float = 1e-2,
                              maxElements: Int = 400,
                              _ f: (Tape, [Variable]) throws -> Variable) throws -> CheckResult {
        let which = differentiate ?? Set(inputs.indices)
        let tape = Tape()
        let variables = inputs.enumerated().map { which.contains($0.offset) ? tape.variable($0.element) : tape.constant($0.element) }
        let output = try f(tape, variables)
        let weights = output.count == 1 ? try Tensor(shape: output.shape, repeating: 1)
                                         : try uniform(output.shape, in: -1...1, seed: 99)
        try tape.backward(output, seed: weights)
        func loss(_ xs: [Tensor]) throws -> Double {
            let t = Tape()
            let out = try t.value(f(t, xs.map { t.constant($0) }))
            let a = out.scalars, w = weights.scalars
            var total = 0.0
            for i in a.indices { total += Double(a[i]) * Double(w[i]) }
            return total
        }
        var result = CheckResult()
        for i in inputs.indices.sorted() where which.contains(i) {
            let analytic = try tape.gradient(of: variables[i])?.scalars ?? [Float](repeating: 0, count: inputs[i].count)
            let n = inputs[i].count
            let stride = max(1, n / maxElements)
            var largest = analytic.map { abs(Double($0)) }.max() ?? 0
            var pairs: [(Double, Double)] = []
            for j in Swift.stride(from: 0, to: n, by: stride) {
                var xs = inputs
                let x0 = inputs[i][flat: j]
                xs[i][flat: j] = x0 + epsilon
                let high = try loss(xs)
                xs[i][flat: j] = x0 - epsilon
                let low = try loss(xs)
                let numeric = (high - low) / (Double(x0 + epsilon) - Double(x0 - epsilon))
                largest = max(largest, abs(numeric))
                pairs.append((numeric, Double(analytic[j])))
            }
            let scale = max(largest, 1e-6)
            for (numeric, a) in pairs {
                let e = abs(numeric - a) / scale
                if !(e <= result.worstScaledError) { result.worstScaledError = e.isNaN ? .infinity : e }
            }
            result.largestGradient = max(result.largestGradient, largest)
            result.elementsChecked += pairs.count
        }
        return result
    }

    /// `#expect`s a passing, non-vacuous gradient check; returns the worst scaled error for reports.
    @discardableResult
    static func expectGradients(_ inputs: [Tensor], differentiate: Set<Int>? = nil, epsilon: Float = 1e-2,
                                tolerance: Double = 3e-3, maxElements: Int = 400,
                                sourceLocation: SourceLocation = #_sourceLocation,
                                _ f: (Tape, [Variable]) throws -> Variable) throws -> Double {
        let r = try gradientCheck(inputs, differentiate: differentiate, epsilon: epsilon, maxElements: maxElements, f)
        #expect(r.worstScaledError < tolerance, "worst scaled error \(r.worstScaledError)", sourceLocation: sourceLocation)
        #expect(r.largestGradient > 1e-4, "gradient vanishes (largest \(r.largestGradient))", sourceLocation: sourceLocation)
        #expect(r.elementsChecked > 0, sourceLocation: sourceLocation)
        return r.worstScaledError
    }

    /// A synthetic corpus of `count` images (`size`² portraits, `faceSize`² faces) in a fresh temporary
    /// folder; the caller removes `root`.
    static func makeCorpus(count: Int, size: Int, faceSize: Int, seed: UInt64 = 5) throws -> (root: String, corpus: String) {
        let root = try PortraitProcess.temporaryDirectory(prefix: "losses-corpus")
        let corpus = (root as NSString).appendingPathComponent("corpus")
        let builder = CorpusBuilder(renderer: try SyntheticPortraitRenderer(size: size, faceSize: faceSize), seed: seed)
        try builder.build(count: count, into: CorpusOutput.prepare(path: corpus, force: false))
        return (root, corpus)
    }
}

@Suite struct LossesErrorTests {
    @Test func messagesNameTheSource() {
        #expect(TrainingError.parameters(source: "d.safetensors", reason: "missing tensor 'head.bias'").description
            == "d.safetensors: missing tensor 'head.bias'")
        #expect(TrainingError.corpusImage(path: "c/faces/000002.png", reason: "missing").description == "c/faces/000002.png: missing")
        #expect(TrainingError.invalidArgument(operation: "BatchOrder", reason: "count 0").description == "BatchOrder: count 0")
    }
}
