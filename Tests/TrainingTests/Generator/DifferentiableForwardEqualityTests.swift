import Autodiff
import Generator
import Numerics
import Testing
@testable import Training

/// The differentiable forward equals the inference path (same state dict, same inputs) on the reference
/// weights of ref-tiny and ref-steep, for every case: LR features and maps, HR maps, LR image, HR image and
/// depth, with float32 reordering tolerances (the figures are printed).
@Suite struct DifferentiableForwardEqualityTests {
    @Test(arguments: ["ref-tiny", "ref-steep"])
    func forwardEqualsInference(configuration name: String) throws {
        let reference = try DifferentiableReference(name)
        let (identityStage, frameStage) = try reference.inference()
        let parameters = try TrainableGeneratorParameters(stateDict: reference.weights.tensors,
                                                          configuration: reference.configuration)
        // Small chunks so the checkpointed path is exercised with several chunks.
        let generator = try DifferentiableGenerator(configuration: reference.configuration, body: reference.body,
                                                    means: reference.means, checkpointRows: 700)
        for item in reference.cases {
            let tag = "\(name)/\(item.name)"
            let low = try identityStage.prepareLowResolution(identity: item.identity, noise: item.noise, psi: item.psi)
            let maps = try identityStage.superResolve(low)
            let output = try frameStage.render(identity: maps, expression: item.expression, shape: item.shape,
                                               camera: item.camera, jointEulers: item.joints)
            let tape = Tape()
            let bound = parameters.bind(to: tape)
            let identity = try generator.identity(bound, identity: item.identity, noise: item.noise, psi: item.psi,
                                                  maps: .highResolution)
            let frame = try generator.render(bound, identity: identity, request: FrameRequest(
                expression: item.expression, shape: item.shape, camera: item.camera, jointEulers: item.joints,
                highResolution: true))
            func values(_ v: Variable?) throws -> [Float] {
                guard let v else { throw DifferentiableReference.Failure(description: "\(tag): missing output") }
                return try tape.value(v).scalars
            }
            let features = Difference(try values(identity.lowResolutionFeatures), low.lrFeatures.scalars, tolerance: 1e-4)
            let hrMaps = Difference(try values(identity.highResolutionMaps), maps.hrMaps.scalars, tolerance: 5e-4)
            let lr = Difference(try values(frame.lowResolutionImage), output.lowResolutionImage.scalars, tolerance: 2e-3)
            let hr = Difference(try values(frame.image), output.image.scalars, tolerance: 2e-3)
            let depth = Difference(try values(frame.depth), output.depth.scalars, tolerance: 1e-3)
            print("[differentiable = inference] \(tag): lr_features \(features); hr_maps \(hrMaps); image_lr \(lr); image_hr \(hr); depth \(depth)")
            #expect(features.maxAbs <= 1e-4, "\(tag): lr_features \(features)")
            #expect(hrMaps.maxAbs <= 5e-4, "\(tag): hr_maps \(hrMaps)")
            #expect(lr.meanAbs <= 5e-4 && lr.within >= 0.985, "\(tag): image_lr \(lr)")
            #expect(hr.meanAbs <= 5e-4 && hr.within >= 0.985, "\(tag): image_hr \(hr)")
            #expect(depth.nanMismatch <= output.depth.count / 200 && depth.within >= 0.985, "\(tag): depth \(depth)")
        }
    }
}
