import Foundation
import Generator
import Numerics
import Testing
@testable import Synth

/// The parametric renderer as a model: each control changes what it should, on pixels.
@Suite(.serialized) struct SyntheticModelTests {
    static let model = Result { try SyntheticPortraitModel(size: 96) }

    func image(_ controls: Controls) throws -> [Float] {
        try Self.model.get().renderAll(controls: controls).image.scalars
    }

    /// Mean absolute difference of two `[3, s, s]` images over rows `rows` (fractions of the height).
    func change(_ a: [Float], _ b: [Float], rows: ClosedRange<Double>, size: Int = 96) -> Double {
        var sum = 0.0, count = 0
        for c in 0..<3 {
            for y in Int(rows.lowerBound * Double(size))..<Int(rows.upperBound * Double(size)) {
                for x in 0..<size {
                    let i = c * size * size + y * size + x
                    sum += Double(abs(a[i] - b[i])); count += 1
                }
            }
        }
        return sum / Double(count)
    }

    @Test func controlsChangeWhatTheyName() throws {
        var base = Controls(identity: .seed(3, blend: 0))
        base.expression = .values(Array(repeating: 0, count: 16))
        let neutral = try image(base)

        var jaw = base
        jaw.expression = .named(["jaw_open": 1])
        let opened = try image(jaw)
        // The mouth sits in the middle band of the portrait, the shoulders at the bottom.
        #expect(change(neutral, opened, rows: 0.35...0.6) > 3 * change(neutral, opened, rows: 0.8...0.99))

        var turned = base
        turned.joints[3] = [0, 30, 0]
        let head = try image(turned)
        #expect(change(neutral, head, rows: 0.1...0.6) > 3 * change(neutral, head, rows: 0.85...0.99))

        var yawed = base
        yawed.camera.yaw = 30
        #expect(change(neutral, try image(yawed), rows: 0...1) > 0.02)

        // ψ 0: every seed becomes the mean person (codes scaled to zero), so the face lands the same way.
        let model = try Self.model.get()
        var landmarks: [[SIMD3<Float>]] = []
        for seed: UInt32 in [3, 11] {
            let codes = try model.codes(for: .seed(seed, blend: 0))
            let prepared = try model.prepareLowResolution(codes: codes, psi: 0, isCancelled: { false })
            let person = try #require(prepared.payload as? SyntheticPortraitModel.Person)
            #expect(person.identity.allSatisfy { $0 == 0 } && person.shape.allSatisfy { $0 == 0 })
            let labels = PortraitLabels(cameraYaw: 0, cameraPitch: 0, joints: base.joints, shape: person.shape,
                                        identity: person.identity, expression: Array(repeating: 0, count: 16), faceYaw: 0, facePitch: 0)
            landmarks.append(try model.renderer.scene(labels, appearance: model.person(seed: UInt64(seed)).1).landmarks)
        }
        #expect(landmarks[0] == landmarks[1])
        let a = try model.renderAll(controls: base)
        #expect(a.image.shape == [3, 96, 96] && a.lowResolutionImage.shape == [3, 24, 24] && a.depth.shape == [96, 96])
    }
}
