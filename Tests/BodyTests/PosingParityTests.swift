import Foundation
import ModelIO
import Numerics
import Testing
@testable import Body

/// SMPL posing (SPEC §5.3) and the nearest valid vertex (F4) against the reference dumps of every
/// ref-tiny and ref-steep case (tolerances: reference/README.md, "Tolerances").
@Suite struct PosingParityTests {
    struct CaseInputs {
        let betas: [Float]
        let eulers: [SIMD3<Float>]
        init(_ json: [String: Any]) throws {
            betas = ((json["z_shape"] as? [Double]) ?? []).map { Float($0) }
            eulers = ((json["joint_eulers"] as? [[Double]]) ?? []).map { SIMD3(Float($0[0]), Float($0[1]), Float($0[2])) }
        }
    }

    static let configurations = ["ref-tiny", "ref-steep"]

    func maxAbs(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }

    @Test(arguments: configurations)
    func posedJointsVerticesAndNearestVertex(configuration: String) throws {
        let body = try RenderingBody(model: BodyReference.smplModel(),
                                     validVertexIndices: BodyReference.validIndices(configuration))
        for dir in try BodyReference.cases(configuration) {
            let inputs = try CaseInputs(BodyReference.json(dir + "/inputs.json"))
            let posed = try body.pose(betas: inputs.betas, eulers: inputs.eulers)
            let joints = posed.posedJoints.flatMap { [$0.x, $0.y, $0.z] }
            let mean = posed.meanPoseJoints.flatMap { [$0.x, $0.y, $0.z] }
            let posedVertices = posed.posedVertices.scalars
            var valid4 = [Float]()
            for v in stride(from: 0, to: body.validVertexIndices.count, by: 4) {
                let i = body.validVertexIndices[v]
                valid4 += posedVertices[(3 * i)..<(3 * i + 3)]
            }
            let eJ = maxAbs(joints, try BodyReference.npy(dir + "/smpl_posed_joints.npy").floats)
            let eM = maxAbs(mean, try BodyReference.npy(dir + "/smpl_meanpose_joints.npy").floats)
            let refV = try BodyReference.npy(dir + "/smpl_posed_vertices_valid4.npy")
            #expect(refV.count == valid4.count)
            let eV = maxAbs(valid4, refV.floats)

            // F4 teacher-forced: the dumped target points, sub-sampled by 2, against our posed vertices.
            let target = try BodyReference.npy(dir + "/target_points.npy")
            let hl = Int(Double(target.shape[0]).squareRoot())
            let samples = target.shape[1]
            let pts = target.floats
            let tree = try NearestVertexSearch(points: posed.validVertices)
            let refKNN = try BodyReference.npy(dir + "/knn_index.npy").integers ?? []
            var equal = 0, total = 0, hint = 0
            for a in 0..<(hl / 2) { for b in 0..<(hl / 2) { for e in 0..<(samples / 2) {
                let base = (((2 * a) * hl + 2 * b) * samples + 2 * e) * 3
                let q = SIMD3(pts[base], pts[base + 1], pts[base + 2])
                hint = tree.nearest(to: q, hint: hint)
                if total < refKNN.count, Int64(hint) == refKNN[total] { equal += 1 }
                total += 1
            } } }
            let agree = Double(equal) / Double(max(total, 1))
            print("[posing] \(dir): posed joints max abs \(eJ) m, mean-pose joints \(eM) m, valid4 vertices \(eV) m, knn_index agree \(agree * 100) % (\(total - equal) differ)")
            #expect(eJ <= 1e-5 && eM <= 1e-5 && eV <= 1e-5, "\(dir): joints \(eJ), mean-pose joints \(eM), vertices \(eV)")
            #expect(total == refKNN.count && agree >= 0.995, "\(dir): knn_index agree \(agree)")
        }
    }
}
