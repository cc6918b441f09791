import Autodiff
import Foundation
import Numerics
import PortraitTestSupport
import Testing
@testable import Training

@Suite struct DiscriminatorTests {
    @Test func architecturesOfTheThreeKinds() throws {
        let whole = try DiscriminatorKind.whole.architecture(portraitSize: 64, faceSize: 128)
        #expect(whole.blockCount == 4 && whole.headInputs == 128 * 4 * 4)
        #expect(whole.channels == [16, 32, 64, 128, 128])
        let face = try DiscriminatorKind.face.architecture(portraitSize: 64, faceSize: 128)
        #expect(face.height == 128 && face.blockCount == 5)
        let torso = try DiscriminatorKind.torso.architecture(portraitSize: 64, faceSize: 128)
        #expect(torso.height == 16 && torso.width == 64 && torso.blockCount == 2 && torso.headInputs == 64 * 4 * 16)
        #expect(throws: TrainingError.self) { try DiscriminatorArchitecture(height: 20, width: 30) }
        #expect(throws: TrainingError.self) { try DiscriminatorArchitecture(height: 2, width: 64) }
    }

    /// Rows [3H/4, H) of the portrait, on the tape and on plain tensors.
    @Test func torsoCropIsTheLowerQuarter() throws {
        let images = try LossesTestSupport.uniform([2, 3, 16, 16], in: -1...1, seed: 3)
        let crop = try DiscriminatorKind.torso.input(images)
        #expect(crop.shape == [2, 3, 4, 16])
        #expect(crop[flat: 0] == images[flat: 12 * 16])
        let tape = Tape()
        #expect(try tape.value(DiscriminatorKind.torso.input(tape, tape.constant(images))) == crop)
        #expect(try DiscriminatorKind.whole.input(images) == images)
    }

    /// The pooling the blocks use is the exact 2x2 mean.
    @Test func averagePoolIsTheTwoByTwoMean() throws {
        let x = try LossesTestSupport.uniform([1, 2, 6, 8], in: -1...1, seed: 4)
        let tape = Tape()
        let pooled = try tape.value(Discriminator.averagePool2(tape, tape.constant(x), height: 3, width: 4))
        for c in 0..<2 {
            for i in 0..<3 {
                for j in 0..<4 {
                    let base = c * 48
                    let mean = (x[flat: base + 2 * i * 8 + 2 * j] + x[flat: base + 2 * i * 8 + 2 * j + 1]
                        + x[flat: base + (2 * i + 1) * 8 + 2 * j] + x[flat: base + (2 * i + 1) * 8 + 2 * j + 1]) / 4
                    #expect(abs(pooled[flat: c * 12 + i * 4 + j] - mean) < 1e-6)
                }
            }
        }
    }

    /// Gradients with respect to the images and every parameter of a tiny two-block discriminator.
    @Test func gradientCheck() throws {
        let architecture = try DiscriminatorArchitecture(height: 16, width: 16, baseChannels: 2, maxChannels: 4)
        #expect(architecture.blockCount == 2)
        let d = try Discriminator(architecture: architecture, seed: 11)
        let images = try LossesTestSupport.uniform([2, 3, 16, 16], in: -1...1, seed: 12)
        let inputs = [images] + d.parameters.values
        // A small step: LeakyReLU kinks crossed by the difference show as errors of a few 1e-3.
        let error = try LossesTestSupport.expectGradients(inputs, epsilon: 3e-4, tolerance: 1e-2, maxElements: 150) { t, v in
            try d.logits(t, images: v[0], weights: Array(v.dropFirst()))
        }
        print("losses: discriminator gradient check, worst scaled error \(error)")
    }

    @Test func seededInitSaveAndLoad() throws {
        let architecture = try DiscriminatorArchitecture(height: 8, width: 32, baseChannels: 4, maxChannels: 8)
        let a = try Discriminator(architecture: architecture, seed: 1), b = try Discriminator(architecture: architecture, seed: 1)
        let c = try Discriminator(architecture: architecture, seed: 2)
        #expect(a.parameters == b.parameters)
        #expect(a.parameters != c.parameters)
        #expect(a.parameters.names == architecture.parameterShapes.map(\.name))
        let root = try PortraitTestSupport.PortraitProcess.temporaryDirectory(prefix: "losses-d")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = (root as NSString).appendingPathComponent("d.safetensors")
        try a.parameters.save(to: path)
        let loaded = try NamedParameters.load(path: path, expected: architecture.parameterShapes)
        #expect(loaded == a.parameters)
        let restored = try Discriminator(architecture: architecture, parameters: loaded)
        let images = try LossesTestSupport.uniform([1, 3, 8, 32], in: -1...1, seed: 5)
        let t1 = Tape(), t2 = Tape()
        #expect(try t1.value(a.logits(t1, images: t1.constant(images))) == t2.value(restored.logits(t2, images: t2.constant(images))))
        // Another architecture's file: the error names the file and the tensor.
        let other = try DiscriminatorArchitecture(height: 8, width: 32, baseChannels: 2, maxChannels: 8)
        do {
            _ = try NamedParameters.load(path: path, expected: other.parameterShapes)
            Issue.record("loaded weights of another shape")
        } catch let error as TrainingError {
            #expect(error.description.hasPrefix(path))
            #expect(error.description.contains("from_rgb.weight"))
        }
    }
}
