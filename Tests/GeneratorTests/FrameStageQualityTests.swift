import Foundation
import Geometry
import Numerics
import Testing
@testable import Generator

/// The `preview` quality (SPEC §7) against `full`, and the face view, on the controls of the reference cases.
@Suite struct FrameStageQualityTests {
    /// PSNR of two images in [−1, 1] (mapped to [0, 1]).
    static func psnr(_ a: [Float], _ b: [Float]) -> Double {
        var sum = 0.0
        for i in 0..<a.count { let d = Double(a[i] - b[i]) / 2; sum += d * d }
        let mse = sum / Double(max(a.count, 1))
        return mse == 0 ? .infinity : 10 * log10(1 / mse)
    }

    /// `image` `[3, n, n]` resized bilinearly (align_corners = false) to `[3, size, size]`.
    static func resized(_ image: Tensor, to size: Int) throws -> [Float] {
        image.shape[1] == size ? image.scalars : try image.resizedBilinear(height: size, width: size, alignCorners: false).scalars
    }

    @Test(arguments: ["ref-tiny", "ref-steep"])
    func previewAgainstFull(configuration: String) throws {
        let reference = try ReferenceData.configuration(configuration)
        let stage = try FrameStageReference.frameStage(reference)
        let c = reference.configuration
        let plan = stage.plan(.preview)
        #expect(plan.samples == c.frameNumSamples / 2 && plan.points == c.frameNumPoints / 2 && plan.imageSize == c.hrImageSize / 2)
        var hrPSNR: [Double] = [], lrPSNR: [Double] = []
        for name in try reference.cases() {
            let inputs = try FrameStageReference.inputs(reference, name)
            let maps = try FrameStageReference.dumpedMaps(reference, inputs)
            func render(_ q: Controls.Quality) throws -> FrameOutput {
                try stage.render(identity: maps, expression: inputs.expression, shape: inputs.shape,
                                 camera: inputs.camera, jointEulers: inputs.joints, quality: q)
            }
            let full = try render(.full), preview = try render(.preview)
            #expect(preview.image.shape == [3, plan.imageSize, plan.imageSize])
            #expect(preview.lowResolutionImage.shape == [3, plan.rays, plan.rays])
            let hr = Self.psnr(try Self.resized(preview.image, to: c.hrImageSize), full.image.scalars)
            let lr = Self.psnr(try Self.resized(preview.lowResolutionImage, to: c.lrImageSize), full.lowResolutionImage.scalars)
            print("[preview] \(configuration)/\(name): PSNR against full: HR \(String(format: "%.1f", hr)) dB, LR \(String(format: "%.1f", lr)) dB")
            hrPSNR.append(hr); lrPSNR.append(lr)
        }
        let mean = { (v: [Double]) in v.reduce(0, +) / Double(v.count) }
        print("[preview] \(configuration): mean PSNR HR \(String(format: "%.1f", mean(hrPSNR))) dB (min \(String(format: "%.1f", hrPSNR.min() ?? 0))), LR \(String(format: "%.1f", mean(lrPSNR))) dB (min \(String(format: "%.1f", lrPSNR.min() ?? 0)))")
        // A preview is an approximation, but of the same picture.
        #expect((hrPSNR.min() ?? 0) > 20 && (lrPSNR.min() ?? 0) > 20)
    }

    @Test func faceViewFramesTheHead() throws {
        let reference = try ReferenceData.tiny()
        let stage = try FrameStageReference.frameStage(reference)
        let inputs = try FrameStageReference.inputs(reference, "neutral_frontal")
        let maps = try FrameStageReference.dumpedMaps(reference, inputs)
        func face(head: SIMD3<Float>, camera: CameraAngles = .frontal) throws -> (FrameOutput, FrameTrace) {
            var joints = inputs.joints
            joints[3] = head
            return try stage.renderTraced(identity: maps, expression: inputs.expression, shape: inputs.shape,
                                          camera: camera, jointEulers: joints, view: .face)
        }
        let (straight, trace) = try face(head: .zero)
        // The face camera sits at distance 1 from the posed face centre; finite depths lie in its ray range.
        let posed = try stage.body.pose(betas: inputs.shape, eulers: inputs.joints)
        let toCentre = posed.headTransform.translation - trace.cameraOrigin
        #expect(abs((toCentre * toCentre).sum().squareRoot() - 1) < 1e-5)
        let depths = straight.depth.scalars.filter { !$0.isNaN }
        #expect(!depths.isEmpty && depths.allSatisfy { $0 > 0.8 && $0 < 1.2 }, "face depths \(depths.min() ?? 0)...\(depths.max() ?? 0)")
        // Turning the head with the camera relative to it keeps the face framed alike; the portrait view
        // of the same turn changes much more.
        let (turned, _) = try face(head: SIMD3(0, 0.3, 0))
        let followed = Self.psnr(turned.image.scalars, straight.image.scalars)
        let (aside, _) = try face(head: .zero, camera: CameraAngles(relativeYawDegrees: 17, relativePitchDegrees: 0))
        let moved = Self.psnr(aside.image.scalars, straight.image.scalars)
        print("[face] head turned 0.3 rad, camera following: PSNR \(String(format: "%.1f", followed)) dB; camera turned 17°: \(String(format: "%.1f", moved)) dB")
        #expect(followed > moved)
    }
}
