import Body
import Foundation
import Geometry
import ModelIO
import Numerics
@testable import Generator

/// Frame-stage inputs and objects built from the shared reference data (see `ReferenceData`).
enum FrameStageReference {
    /// The synthetic SMPL body of ref-tiny (`body/body.npz`, read by ModelIO's body-model reader);
    /// ref-steep and official-shape use it too.
    static func smplModel() throws -> SMPLModel {
        let url = ReferenceData.root.appendingPathComponent("ref-tiny/body/body.npz")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ReferenceDataError(description: "reference file not found: \(url.path)")
        }
        return try SMPLModel(file: BodyModelFile(path: url.path))
    }

    private static let modelResult = Result { try smplModel() }

    /// The frame stage of a reference configuration with its own `valid_smpl_knn_index.npy`.
    static func frameStage(_ reference: ReferenceData.Configuration) throws -> FrameStage {
        guard let ints = try ReferenceData.npy(reference.directory.appendingPathComponent("valid_smpl_knn_index.npy")).integers else {
            throw ReferenceDataError(description: "\(reference.directory.path)/valid_smpl_knn_index.npy: not integers")
        }
        let body = try RenderingBody(model: modelResult.get(), validVertexIndices: ints.map { Int($0) })
        return try FrameStage(weights: reference.requireWeights(), configuration: reference.configuration, body: body)
    }

    /// A case's frame inputs.
    struct CaseInputs {
        let identity: String
        let zID: [Float], noise: [Float], psi: Double
        let expression: [Float], shape: [Float]
        let camera: CameraAngles
        let joints: [SIMD3<Float>]
    }

    static func inputs(_ reference: ReferenceData.Configuration, _ name: String) throws -> CaseInputs {
        let object = try reference.caseInputs(name)
        let url = reference.directory.appendingPathComponent("cases/\(name)/inputs.json")
        guard let identity = object["identity"] as? String, let psi = object["psi"] as? Double,
              let pitch = object["camera_pitch"] as? Double, let yaw = object["camera_yaw"] as? Double,
              let joints = object["joint_eulers"] as? [[Double]] else {
            throw ReferenceDataError(description: "\(url.path): missing identity, psi, camera or joint_eulers")
        }
        return try CaseInputs(
            identity: identity, zID: ReferenceData.floats(object, "z_id", in: url),
            noise: ReferenceData.floats(object, "z_noise", in: url), psi: psi,
            expression: ReferenceData.floats(object, "z_exp", in: url),
            shape: ReferenceData.floats(object, "z_shape", in: url),
            camera: CameraAngles(pitch: Float(pitch), yaw: Float(yaw)),
            joints: joints.map { SIMD3(Float($0[0]), Float($0[1]), Float($0[2])) })
    }

    /// The identity's dumped maps as `IdentityMaps`.
    static func dumpedMaps(_ reference: ReferenceData.Configuration, _ inputs: CaseInputs) throws -> IdentityMaps {
        try IdentityMaps(identity: inputs.zID, noise: inputs.noise, psi: inputs.psi,
                         lrMaps: reference.identityArray(inputs.identity, "lr_maps").tensor(),
                         hrMaps: reference.identityArray(inputs.identity, "hr_maps").tensor())
    }
}

/// The image and depth criteria of the Tolerances table (reference/README.md), with the measured figures.
struct ImageParity: CustomStringConvertible {
    let meanAbs: Double
    let maxAbs: Double
    let within: Double
    let minimum: Float, maximum: Float

    init(_ impl: [Float], _ ref: [Float], tolerance: Double = 2e-3) {
        let c = Comparison(impl, ref)
        meanAbs = c.meanAbs
        maxAbs = c.maxAbs
        within = fractionWithin(impl, ref, tolerance).fraction
        minimum = impl.min() ?? 0
        maximum = impl.max() ?? 0
    }

    /// Mean abs ≤ 5e-4, ≥ 98.5 % within 2e-3, values in [−1, 1].
    var passes: Bool { meanAbs <= 5e-4 && within >= 0.985 && minimum >= -1 && maximum <= 1 }

    var description: String {
        "mean abs \(format(meanAbs)), max abs \(format(maxAbs)), \((within * 10000).rounded() / 100) % within 2e-3, range [\(minimum), \(maximum)]"
    }
}

struct DepthParity: CustomStringConvertible {
    let maskAgreement: Double
    let within: Double
    let maxAbs: Double
    let finiteCount: Int

    init(_ impl: [Float], _ ref: [Float]) {
        var same = 0, finite = 0, ok = 0
        var worst = 0.0
        for i in 0..<impl.count {
            let a = impl[i].isNaN, b = ref[i].isNaN
            if a == b { same += 1 }
            if !a && !b {
                finite += 1
                let e = abs(Double(impl[i]) - Double(ref[i]))
                worst = max(worst, e)
                if e <= 1e-3 { ok += 1 }
            }
        }
        maskAgreement = Double(same) / Double(max(impl.count, 1))
        within = finite == 0 ? 1 : Double(ok) / Double(finite)
        maxAbs = worst
        finiteCount = finite
    }

    /// NaN masks equal on ≥ 99.5 % of the pixels; where finite on both, ≥ 98.5 % within 1e-3.
    var passes: Bool { maskAgreement >= 0.995 && within >= 0.985 }

    var description: String {
        "NaN mask agree \((maskAgreement * 10000).rounded() / 100) %, \((within * 10000).rounded() / 100) % of \(finiteCount) finite within 1e-3, max abs \(format(maxAbs))"
    }
}
