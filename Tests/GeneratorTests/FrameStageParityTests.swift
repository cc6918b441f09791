import Foundation
import Geometry
import Numerics
import Testing
@testable import Generator

/// Frame-stage parity (SPEC §1.2–§1.4) against every case of ref-tiny and ref-steep, stage by stage, with
/// the criteria of the Tolerances table of reference/README.md. Measured errors are printed.
@Suite struct FrameStageParityTests {
    static let configurations = ["ref-tiny", "ref-steep"]

    /// End to end from each case's `inputs.json`: the identity stage (once per identity) and the frame
    /// stage, with every dumped frame-stage intermediate compared (they do not depend on the maps, except
    /// the images; the images from the dumped maps are checked by `renderingFromDumpedIntersections`).
    @Test(arguments: configurations)
    func endToEndStageByStage(configuration: String) throws {
        let reference = try ReferenceData.configuration(configuration)
        let identityStage = try IdentityStage(weights: reference.requireWeights(), configuration: reference.configuration,
                                              means: reference.means)
        let stage = try FrameStageReference.frameStage(reference)
        var identities: [String: IdentityMaps] = [:]
        for name in try reference.cases() {
            let inputs = try FrameStageReference.inputs(reference, name)
            let maps = try identities[inputs.identity]
                ?? identityStage.prepare(identity: inputs.zID, noise: inputs.noise, psi: inputs.psi)
            identities[inputs.identity] = maps
            let (output, trace) = try stage.renderTraced(identity: maps, expression: inputs.expression,
                                                         shape: inputs.shape, camera: inputs.camera,
                                                         jointEulers: inputs.joints)
            func ref(_ file: String) throws -> [Float] { try reference.caseArray(name, file).floats }
            let tag = "[frame] \(configuration)/\(name)"

            let origin = Comparison([trace.cameraOrigin.x, trace.cameraOrigin.y, trace.cameraOrigin.z], try ref("camera_origin"))
            let target = Comparison(trace.targetPoints.scalars, try ref("target_points"))
            print("\(tag) camera_origin \(origin); target_points \(target)")
            #expect(origin.maxAbs <= 1e-5 && target.maxAbs <= 1e-5, "\(tag): camera_origin \(origin), target_points \(target)")

            let refKNN = try reference.caseArray(name, "knn_index").integers ?? []
            #expect(refKNN.count == trace.nearestVertex.count, "\(tag): knn_index sizes")
            let knnEqual = zip(trace.nearestVertex, refKNN).filter { Int64($0.0) == $0.1 }.count
            let knnAgree = Double(knnEqual) / Double(max(refKNN.count, 1))
            let allKNN = knnEqual == refKNN.count
            let invT = Comparison(trace.inverseTransformRays.scalars, try ref("inv_T_rays"))
            let invTWithin = fractionWithin(trace.inverseTransformRays.scalars, try ref("inv_T_rays"), 1e-4).fraction
            let canonicalRef = try ref("smpl_canonical_points")
            let canonical = Comparison(trace.canonicalPoints.scalars, canonicalRef)
            let canonicalWithin = pointsWithin(trace.canonicalPoints.scalars, canonicalRef, 1e-5)
            print("\(tag) knn_index agree \(knnAgree * 100) %; inv_T_rays \(invT); smpl_canonical_points \(canonical)")
            #expect(knnAgree >= 0.995, "\(tag): knn_index agree \(knnAgree)")
            #expect(allKNN ? invT.maxAbs <= 1e-4 : invTWithin >= 0.99, "\(tag): inv_T_rays \(invT)")
            #expect(allKNN ? canonical.maxAbs <= 1e-5 : canonicalWithin >= 0.99, "\(tag): smpl_canonical_points \(canonical)")

            let validRef = try ref("is_valid")
            let valid = trace.isValid.scalars
            let validAgree = Double(zip(valid, validRef).filter { $0.0 == $0.1 }.count) / Double(max(validRef.count, 1))
            print("\(tag) is_valid agree \(validAgree * 100) % (\(valid.reduce(0, +)) valid)")
            #expect(validAgree >= 0.995, "\(tag): is_valid agree \(validAgree)")
            for (file, tensor) in [("intersections_target", trace.intersectionsTarget),
                                   ("intersections_smpl", trace.intersectionsSMPL),
                                   ("intersections_canonical", trace.intersectionsCanonical)] {
                let r = try ref(file)
                let (fraction, count, worst) = intersectionAgreement(tensor.scalars, r, valid, validRef)
                print("\(tag) \(file): \(fraction * 100) % of \(count) entries valid on both within 1e-4, max abs \(format(worst))")
                #expect(fraction >= 0.99, "\(tag): \(file) \(fraction)")
            }

            let lr = ImageParity(output.lowResolutionImage.scalars, try ref("image_lr"))
            let hr = ImageParity(output.image.scalars, try ref("image_hr"))
            let depth = DepthParity(output.depth.scalars, try ref("depth"))
            print("\(tag) image_lr \(lr)\n\(tag) image_hr \(hr)\n\(tag) depth \(depth)")
            #expect(lr.passes, "\(tag): image_lr \(lr)")
            #expect(hr.passes, "\(tag): image_hr \(hr)")
            #expect(depth.passes, "\(tag): depth \(depth)")
        }
    }

    /// Teacher-forced rendering (F11, F12): the dumped intersections, validity and camera origin with the
    /// identity's dumped maps.
    @Test(arguments: configurations)
    func renderingFromDumpedIntersections(configuration: String) throws {
        let reference = try ReferenceData.configuration(configuration)
        let c = reference.configuration
        for name in try reference.cases() {
            let inputs = try FrameStageReference.inputs(reference, name)
            let maps = try FrameStageReference.dumpedMaps(reference, inputs)
            let ican = try reference.caseArray(name, "intersections_canonical").tensor()
            let valid = try reference.caseArray(name, "is_valid").tensor()
            let o = try reference.caseArray(name, "camera_origin").floats
            let origin = SIMD3(o[0], o[1], o[2])
            let n = c.lrImageSize
            let lrImage = try FrameStage.renderLowResolution(intersections: ican, valid: valid, origin: origin,
                                                             maps: maps.lrMaps, rays: n)
            let (hrImage, depthMap) = try FrameStage.renderHighResolution(intersections: ican, valid: valid, origin: origin,
                                                                          maps: maps.hrMaps, rays: n, size: c.hrImageSize)
            let tag = "[frame TF] \(configuration)/\(name)"
            let lr = ImageParity(lrImage.scalars, try reference.caseArray(name, "image_lr").floats)
            let hr = ImageParity(hrImage.scalars, try reference.caseArray(name, "image_hr").floats)
            let depth = DepthParity(depthMap.scalars, try reference.caseArray(name, "depth").floats)
            print("\(tag) image_lr \(lr)\n\(tag) image_hr \(hr)\n\(tag) depth \(depth)")
            #expect(lr.passes, "\(tag): image_lr \(lr)")
            #expect(hr.passes, "\(tag): image_hr \(hr)")
            #expect(depth.passes, "\(tag): depth \(depth)")
        }
    }

    /// Fraction of points `[N, 3]` whose three coordinates are all within `tolerance`.
    func pointsWithin(_ a: [Float], _ b: [Float], _ tolerance: Float) -> Double {
        let n = a.count / 3
        var ok = 0
        for i in 0..<n where (0..<3).allSatisfy({ abs(a[3 * i + $0] - b[3 * i + $0]) <= tolerance }) { ok += 1 }
        return Double(ok) / Double(max(n, 1))
    }

    /// Among the (ray, manifold) entries valid on both sides: the fraction whose three coordinates are within
    /// 1e-4, their count and the largest error.
    func intersectionAgreement(_ a: [Float], _ b: [Float], _ validA: [Float], _ validB: [Float]) -> (Double, Int, Double) {
        var ok = 0, count = 0
        var worst = 0.0
        for e in 0..<validA.count where validA[e] == 1 && validB[e] == 1 {
            count += 1
            var err = 0.0
            for c in 0..<3 { err = max(err, abs(Double(a[3 * e + c]) - Double(b[3 * e + c]))) }
            worst = max(worst, err)
            if err <= 1e-4 { ok += 1 }
        }
        return (count == 0 ? 1 : Double(ok) / Double(count), count, worst)
    }
}
