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

    /// `#expect`s a passing, non-vacuous (gradient above 1e-4) gradient check (`GradientCheck`, about
    /// `maxElements` elements per input; output weights 1 for a scalar, else uniform in [−1, 1] from seed 99);
    /// returns the worst scaled error for reports.
    @discardableResult
    static func expectGradients(_ inputs: [Tensor], differentiate: Set<Int>? = nil, epsilon: Float = 1e-2,
                                tolerance: Double = 3e-3, maxElements: Int = 400,
                                sourceLocation: SourceLocation = #_sourceLocation,
                                _ f: (Tape, [Variable]) throws -> Variable) throws -> Double {
        try GradientCheck.expect(inputs, differentiate: differentiate, epsilon: epsilon, tolerance: tolerance, maxElements: maxElements,
                                 smallestGradient: 1e-4, weights: { shape in
                                     shape.reduce(1, *) == 1 ? try Tensor(shape: shape, repeating: 1)
                                                             : try uniform(shape, in: -1...1, seed: 99)
                                 }, sourceLocation: sourceLocation, f)
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
