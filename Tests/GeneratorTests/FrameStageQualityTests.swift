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

    /// `image` `[3, n, n]` resized bilinearly to `[3, size, size]` with align_corners = true: the ray grids
    /// (and the HR images upsampled from them) put the first and last pixel centres at the image plane's
    /// ±1 at every resolution.
    static func resized(_ image: Tensor, to size: Int) throws -> [Float] {
        image.shape[1] == size ? image.scalars : try image.resizedBilinear(height: size, width: size, alignCorners: true).scalars
    }

    @Test(arguments: ["ref-tiny", "ref-steep"])
    func previewAgainstFull(configuration: String) throws {
        let reference = try ReferenceData.configuration(configuration)
        let stage = try FrameStageReference.frameStage(reference)
        let c = reference.configuration
        let plan = stage.plan(.preview)
        #expect(plan.rays == c.lrImageSize / 2 && plan.samples == c.frameNumSamples
                && plan.points == c.frameNumPoints / 4 && plan.imageSize == c.hrImageSize / 2 && !plan.subsampledVolume)
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
            // Baseline: a blank (white) image against full.
            let blank = Self.psnr(Array(repeating: 1, count: full.image.count), full.image.scalars)
            print("[preview] \(configuration)/\(name): PSNR against full: HR \(String(format: "%.1f", hr)) dB, LR \(String(format: "%.1f", lr)) dB (a white image: \(String(format: "%.1f", blank)) dB)")
            // Figures to report, not a parity target: the tiny configurations have 6 or 8 preview rays per
            // side, so silhouettes dominate the error. The images must still be proper images.
            #expect(preview.image.scalars.allSatisfy { $0 >= -1 && $0 <= 1 })
            #expect(preview.lowResolutionImage.scalars.allSatisfy { $0 >= -1 && $0 <= 1 })
            #expect(preview.depth.shape == [plan.imageSize, plan.imageSize])
            hrPSNR.append(hr); lrPSNR.append(lr)
        }
        let mean = { (v: [Double]) in v.reduce(0, +) / Double(v.count) }
        print("[preview] \(configuration): mean PSNR HR \(String(format: "%.1f", mean(hrPSNR))) dB (min \(String(format: "%.1f", hrPSNR.min() ?? 0))), LR \(String(format: "%.1f", mean(lrPSNR))) dB (min \(String(format: "%.1f", lrPSNR.min() ?? 0)))")
    }

    /// The preview's coarse smoothing equals the full smoothing at the even samples away from the borders.
    @Test func coarseSmoothingMatchesTheEvenSamples() throws {
        let reference = try ReferenceData.tiny()
        let smoother = try PoseSmoother(weights: reference.requireWeights(), configuration: reference.configuration)
        var state: UInt64 = 5
        let (c, d, h, w) = (3, 16, 14, 12)
        let values = (0..<(c * d * h * w)).map { _ -> Float in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24)
        }
        let volume = try Tensor(shape: [c, d, h, w], scalars: values)
        let fine = try smoother.apply(volume).scalars
        let coarse = try smoother.coarseApply(volume).scalars
        var worst: Float = 0
        // Fine taps reach 4 fine cells, the interpolation one coarse cell further; depth is exact throughout.
        for ch in 0..<c { for z in 0..<(2 * d) { for y in 4..<(h - 4) { for x in 4..<(w - 4) {
            let f = fine[((ch * 2 * d + z) * 2 * h + 2 * y) * 2 * w + 2 * x]
            worst = max(worst, abs(f - coarse[((ch * 2 * d + z) * h + y) * w + x]))
        } } } }
        #expect(worst < 1e-5, "largest interior difference \(worst)")
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
