import Autodiff
import Foundation
import Generator
import Numerics
import Testing
@testable import Training

/// Gradients of image losses reach every sub-network (M, φ, U, D^p, D^e), are finite, and agree with finite
/// differences of the whole forward (tiny configuration, directional derivatives per group).
@Suite struct DifferentiableGradientTests {
    /// `Σ r ⊙ image` over the LR portrait (maps), the HR image and a direct-shaded face, with fixed weights `r`.
    static func loss(_ tape: Tape, _ bound: BoundGeneratorParameters, _ generator: DifferentiableGenerator) throws -> Variable {
        let c = generator.configuration
        let portrait = DifferentiableTestModels.controls(c, highResolution: true)
        let identity = try generator.identity(bound, identity: portrait.identity, noise: portrait.noise, psi: 1, maps: .highResolution)
        let frame = try generator.render(bound, identity: identity, request: portrait.request)
        let face = try generator.render(bound, identity: identity, request: DifferentiableTestModels.controls(
            c, view: .face, shading: .direct, rays: c.lrImageSize).request)
        var terms: [Variable] = []
        for (i, image) in [frame.lowResolutionImage, frame.image, face.lowResolutionImage].compactMap({ $0 }).enumerated() {
            let weights: [Float] = (0..<image.count).map { (j: Int) -> Float in Float(Foundation.sin(Double(j * 13 + i * 101) * 0.7)) }
            terms.append(try tape.sum(tape.multiply(image, tape.constant(Tensor(shape: image.shape, scalars: weights)))))
        }
        return try terms.dropFirst().reduce(terms[0]) { try tape.add($0, $1) }
    }

    @Test func gradientsReachEverySubNetwork() throws {
        let c = DifferentiableTestModels.tiny
        let generator = try DifferentiableTestModels.generator(c, checkpointRows: 100)
        let parameters = try DifferentiableTestModels.parameters(c)
        let tape = Tape()
        let bound = parameters.bind(to: tape)
        try tape.backward(Self.loss(tape, bound, generator))
        let gradients = try parameters.gradients(of: bound)
        for group in GeneratorParameterGroup.allCases {
            var squares = 0.0, finite = true, reached = 0
            let indices = parameters.indices(of: group)
            for i in indices {
                guard let g = gradients[i] else { continue }
                let s = g.scalars
                finite = finite && s.allSatisfy(\.isFinite)
                let norm = s.reduce(0.0) { $0 + Double($1) * Double($1) }
                squares += norm
                if norm > 0 { reached += 1 }
            }
            print("[gradients] \(group): |g| = \(squares.squareRoot()), \(reached) of \(indices.count) tensors reached")
            #expect(finite, "\(group): non-finite gradient")
            #expect(squares > 0, "\(group): no gradient")
            #expect(reached * 10 >= indices.count * 9, "\(group): only \(reached) of \(indices.count) tensors reached")
        }
    }

    @Test func frozenGroupsGetNoGradient() throws {
        let c = DifferentiableTestModels.tiny
        let generator = try DifferentiableTestModels.generator(c)
        var parameters = try DifferentiableTestModels.parameters(c)
        parameters.trainableGroups = GeneratorParameterGroup.trained(inStage: 2)
        let tape = Tape()
        let bound = parameters.bind(to: tape)
        try tape.backward(Self.loss(tape, bound, generator))
        let gradients = try parameters.gradients(of: bound)
        for (i, group) in parameters.groups.enumerated() {
            #expect((gradients[i] != nil) == (group == .superResolution), "\(parameters.names[i])")
        }
    }

    /// Per group, the derivative of the loss along a random direction of that group's parameters: the
    /// tape's `g·v` against the central difference of the loss.
    /// Relative step per group (multiplies the direction `±(|θ| + 0.01)`).
    static let steps: [GeneratorParameterGroup: Float] = [
        .manifold: 3e-5, .radiance: 3e-5, .superResolution: 3e-4, .poseSmoother: 3e-3, .expressionDeformation: 1e-3,
    ]

    @Test func finiteDifferencesAgreePerSubNetwork() throws {
        let c = DifferentiableTestModels.tiny
        let generator = try DifferentiableTestModels.generator(c, checkpointRows: nil)
        let parameters = try DifferentiableTestModels.parameters(c)
        let tape = Tape()
        let bound = parameters.bind(to: tape)
        try tape.backward(Self.loss(tape, bound, generator))
        let gradients = try parameters.gradients(of: bound)
        func loss(_ p: TrainableGeneratorParameters) throws -> Double {
            let t = Tape()
            return Double(try t.value(Self.loss(t, p.bind(to: t), generator))[flat: 0])
        }
        for group in GeneratorParameterGroup.allCases {
            // Direction: ±(|θ| + 0.01) per element (pseudo-random signs), so every tensor moves relative to its scale.
            var analytic = 0.0
            var direction: [Int: Tensor] = [:]
            for i in parameters.indices(of: group) {
                let values = parameters.tensors[i].scalars
                let v = values.enumerated().map { j, x in Float((j * 2654435761 + i * 40503) % 7 < 3 ? -1 : 1) * (abs(x) + 0.01) }
                let tensor = try Tensor(shape: parameters.tensors[i].shape, scalars: v)
                direction[i] = tensor
                if let g = gradients[i] { analytic += zip(g.scalars, v).reduce(0.0) { $0 + Double($1.0) * Double($1.1) } }
            }
            // The step where the forward is locally smooth along this direction (the render has discrete
            // decisions: crossing intervals, validity, the 0.05 switch, depth order; and LReLU kinks in the
            // mapping and SR networks) yet above float32 noise; measured for this fixed seed and direction.
            let h: Float = Self.steps[group] ?? 1e-3
            var plus = parameters, minus = parameters
            for (i, v) in direction {
                try plus.tensors[i].add(v, scaledBy: h)
                try minus.tensors[i].add(v, scaledBy: -h)
            }
            let numeric = (try loss(plus) - loss(minus)) / (2 * Double(h))
            let relative = abs(numeric - analytic) / max(abs(analytic), 1e-3)
            print("[finite differences] \(group) (step \(h)): tape \(analytic), central difference \(numeric), relative error \(relative)")
            #expect(relative < 5e-2, "\(group): tape \(analytic) vs finite difference \(numeric)")
        }
    }
}
