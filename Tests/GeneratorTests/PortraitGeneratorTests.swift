import Foundation
import Geometry
import Testing
@testable import Generator

/// The facade as the command line uses it: controls in degrees relative to frontal, codes explicit.
@Suite struct PortraitGeneratorTests {
    static func generator(_ reference: ReferenceData.Configuration) throws -> PortraitGenerator {
        let identityStage = try IdentityStage(weights: reference.requireWeights(), configuration: reference.configuration,
                                              means: reference.means)
        return try PortraitGenerator(configuration: reference.configuration, identityStage: identityStage,
                                     frameStage: FrameStageReference.frameStage(reference), idShapeSampler: nil,
                                     expressionNames: nil, defaultPsi: 0.7)
    }

    /// A case's inputs as a controls document would carry them (degrees, relative camera).
    static func controls(_ inputs: FrameStageReference.CaseInputs) -> Controls {
        let degrees = 180 / Double.pi
        let joints = inputs.joints.map { [Double($0.x) * degrees, Double($0.y) * degrees, Double($0.z) * degrees] }
        let codes = IdentityCodes(identity: inputs.zID, shape: inputs.shape, noise: inputs.noise)
        return Controls(identity: .codes(codes), psi: inputs.psi, expression: .values(inputs.expression.map(Double.init)),
                        camera: .init(yaw: inputs.camera.relativeYawDegrees, pitch: inputs.camera.relativePitchDegrees),
                        joints: joints)
    }

    @Test(arguments: ["ref-tiny", "ref-steep"])
    func degreesRoundTripToTheReferenceAngles(_ name: String) throws {
        let reference = try ReferenceData.configuration(name)
        for caseName in try reference.cases() {
            let inputs = try FrameStageReference.inputs(reference, caseName)
            let c = Self.controls(inputs)
            #expect(PortraitGenerator.cameraAngles(c.camera) == inputs.camera, "\(name)/\(caseName)")
            #expect(PortraitGenerator.jointEulers(c.joints) == inputs.joints, "\(name)/\(caseName)")
        }
    }

    @Test(arguments: ["ref-tiny", "ref-steep"])
    func rendersTheReferenceImagesFromControls(_ name: String) throws {
        let reference = try ReferenceData.configuration(name)
        let generator = try Self.generator(reference)
        for caseName in try reference.cases() {
            let inputs = try FrameStageReference.inputs(reference, caseName)
            let controls = Self.controls(inputs)
            let codes = try generator.codes(for: controls.identity)
            let maps = try generator.prepareIdentity(codes: codes, psi: generator.psi(for: controls))
            let frame = try generator.render(identity: maps, shape: codes.shape, controls: controls)
            let hr = ImageParity(frame.image.scalars, try reference.caseArray(caseName, "image_hr").floats)
            let lr = ImageParity(frame.lowResolutionImage.scalars, try reference.caseArray(caseName, "image_lr").floats)
            print("facade \(name)/\(caseName): HR \(hr)  LR \(lr)")
            #expect(hr.meanAbs <= 5e-4 && hr.within >= 0.985, "\(name)/\(caseName) HR \(hr)")
            #expect(lr.meanAbs <= 5e-4 && lr.within >= 0.985, "\(name)/\(caseName) LR \(lr)")
        }
    }

    @Test func badCodesAreRejectedWithTheirPath() throws {
        let generator = try Self.generator(ReferenceData.tiny())
        let short = IdentityCodes(identity: [0], shape: Array(repeating: 0, count: 10), noise: Array(repeating: 0, count: 80))
        #expect(throws: GeneratorError.invalidInput(field: "identity.codes.identity", reason: "1 values, model has 80")) {
            try generator.codes(for: .codes(short))
        }
        var nan = IdentityCodes(identity: Array(repeating: 0, count: 80), shape: Array(repeating: 0, count: 10),
                                noise: Array(repeating: 0, count: 80))
        nan.noise[3] = .nan
        #expect(throws: GeneratorError.self) { try generator.codes(for: .codes(nan)) }
        let seeded = try generator.codes(for: .seed(12, blend: 0.5))
        #expect(seeded.identity.count == 80 && seeded.noise.count == 80 && seeded.shape.count == 10)
    }
}
