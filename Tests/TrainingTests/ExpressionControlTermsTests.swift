import Autodiff
import ModelIO
import Numerics
import Synth
import Testing
@testable import Training

/// The expression-control terms as the adversarial objective records them on the generator's tape.
@Suite struct ExpressionControlTermsTests {
    /// Labels with an open jaw and a smile (the first two named blendshapes), everything else neutral.
    static func labels(expression: [Double]) -> PortraitLabels {
        let c = GeneratorConfiguration.studio
        let codes = expression + [Double](repeating: 0, count: c.expressionDim - expression.count)
        return PortraitLabels(cameraYaw: 0, cameraPitch: 0, joints: [[Double]](repeating: [0, 0, 0], count: 6),
                              shape: [Double](repeating: 0, count: c.shapeDim), identity: (0..<c.identityDim).map { Double($0 % 5) * 0.2 - 0.4 },
                              expression: codes, faceYaw: 10, facePitch: -5)
    }

    /// With D^e's last layer zero D^e moves nothing, so the imitation term is the mean
    /// squared reference displacement over the points near the face; its gradient reaches the DeformNet only.
    @Test func imitationAtTheInitialWeightsIsTheReferenceEnergy() throws {
        let terms = try ExpressionControlTerms(landmarkNetwork: nil)
        let generator = try TrainingObjectives.differentiableGenerator()
        // The initial weights with D^e's last layer zero (SPEC.md §8.1's starting point), so that Δ = 0.
        var weights = try TrainingObjectives.initialGenerator(configuration: "studio").dictionary
        for (name, tensor) in weights where name.hasPrefix("deform_net.final_layer") { weights[name] = tensor.scaled(by: 0) }
        let parameters = try TrainableGeneratorParameters(stateDict: weights, configuration: .studio)
        let labels = Self.labels(expression: [1, 0.6])

        let (points, displacement, mask) = try terms.imitationReference(labels, seed: 5)
        let near = Double(mask.sumOfElements())
        #expect(points.shape == [ExpressionControlTerms.imitationPoints, 3])
        #expect(near > 0.5 * Double(ExpressionControlTerms.imitationPoints), "\(near) points near the face")
        let d = displacement.scalars, m = mask.scalars
        let energy = (0..<m.count).reduce(0.0) { sum, i in
            sum + Double(m[i]) * (0..<3).reduce(0.0) { $0 + Double(d[3 * i + $1] * d[3 * i + $1]) }
        } / Double(near)
        #expect(energy > 1e-7, "an open jaw moves the face mesh")

        let tape = Tape()
        let bound = parameters.bind(to: tape)
        let modulation = try generator.deformationModulation(bound, identity: labels.identity.map { Float($0) },
                                                             expression: labels.expression.map { Float($0) })
        let term = try terms.imitation(bound, generator: generator, modulation: modulation, labels: labels, seed: 5)
        let value = Double(try tape.value(term).scalars[0])
        #expect(abs(value - energy) <= 1e-5 * energy, "imitation \(value), reference energy \(energy)")

        try tape.backward(term)
        let reached = zip(parameters.names, try parameters.gradients(of: bound)).filter { _, g in
            g.map { $0.scalars.contains { $0 != 0 } } ?? false
        }.map(\.0)
        #expect(reached.contains { $0.hasPrefix("deform_net.final_layer") }, "\(reached)")
        #expect(reached.allSatisfy { $0.hasPrefix("deform_net.") }, "\(reached)")

        // A neutral face has nothing to imitate.
        let neutral = try terms.imitationReference(Self.labels(expression: []), seed: 5)
        #expect(neutral.displacement.scalars.allSatisfy { $0 == 0 })
    }

    /// The landmark targets are the projector's pixels in normalised coordinates of the face image.
    @Test func landmarkTargetsAreTheProjectedFaceModelLandmarks() throws {
        let terms = try ExpressionControlTerms(landmarkNetwork: nil)
        let labels = Self.labels(expression: [1])
        let targets = try terms.projector.targets(labels, size: 64)
        let pixels = try terms.projector.pixels(identity: labels.identity.map { Float($0) }, shape: labels.shape.map { Float($0) },
                                                expression: labels.expression.map { Float($0) }, joints: labels.joints,
                                                faceYaw: labels.faceYaw, facePitch: labels.facePitch, size: 64)
        #expect(targets.shape == [1, 68, 2])
        for (k, p) in pixels.enumerated() {
            #expect(abs(Double(targets[flat: 2 * k]) - (p.x / 32 - 1)) < 1e-6)
            #expect(abs(Double(targets[flat: 2 * k + 1]) - (p.y / 32 - 1)) < 1e-6)
        }
        // The face fills the face camera's view: landmarks spread over the image, inside it.
        let xs = (0..<68).map { targets[flat: 2 * $0] }
        #expect(xs.allSatisfy { abs($0) < 1 } && (xs.max() ?? 0) - (xs.min() ?? 0) > 0.5)
        // Without a network the landmark term is off.
        let tape = Tape()
        #expect(try terms.landmark(tape, face: tape.constant(Tensor.zeros([1, 3, 64, 64])), labels: labels) == nil)
    }
}
