import Body
import Foundation
import Generator
import Geometry
import ModelIO
import Numerics
import PortraitTestSupport

/// A reference configuration (ref-tiny, ref-steep) loaded for the differentiable-forward tests: the inference
/// generator built from its weights, means, body and KNN subset, and its cases' inputs.
struct DifferentiableReference: Sendable {
    struct Failure: Error, CustomStringConvertible { let description: String }

    struct Case: Sendable {
        let name: String
        let identity: [Float], noise: [Float], psi: Double
        let expression: [Float], shape: [Float]
        let camera: CameraAngles
        let joints: [SIMD3<Float>]
    }

    let name: String
    let configuration: GeneratorConfiguration
    let weights: Weights
    let means: TruncationMeans
    let body: RenderingBody
    let cases: [Case]

    static func directory(_ name: String) throws -> URL {
        let url = URL(fileURLWithPath: PortraitProcess.reference).appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.appendingPathComponent("config.json").path) else {
            throw Failure(description: "reference configuration not found: \(url.path) (set PORTRAIT_REFERENCE)")
        }
        return url
    }

    static func json(_ url: URL) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] else {
            throw Failure(description: "\(url.path): not a JSON object")
        }
        return object
    }

    init(_ name: String) throws {
        self.name = name
        let directory = try Self.directory(name)
        guard let kwargs = try Self.json(directory.appendingPathComponent("config.json"))["generator_kwargs"] else {
            throw Failure(description: "\(directory.path)/config.json: no generator_kwargs")
        }
        configuration = try JSONDecoder().decode(GeneratorConfiguration.self, from: JSONSerialization.data(withJSONObject: kwargs))
        weights = try Weights(safetensorsPath: directory.appendingPathComponent("generator.safetensors").path)
        func mean(_ file: String) throws -> [Float] { try NPY.read(directory.appendingPathComponent(file).path).floats }
        means = TruncationMeans(frequencies: try mean("avg_frequencies.npy"), phases: try mean("avg_phase_shifts.npy"),
                                w: try mean("sr_avg_w.npy"), style: try mean("sr_avg_style.npy"))
        let bodyPath = try Self.directory("ref-tiny").appendingPathComponent("body/body.npz").path
        let model = try SMPLModel(file: BodyModelFile(path: bodyPath))
        guard let knn = try NPY.read(directory.appendingPathComponent("valid_smpl_knn_index.npy").path).integers else {
            throw Failure(description: "\(directory.path)/valid_smpl_knn_index.npy: not integers")
        }
        body = try RenderingBody(model: model, validVertexIndices: knn.map { Int($0) })
        let casesURL = directory.appendingPathComponent("cases")
        cases = try FileManager.default.contentsOfDirectory(atPath: casesURL.path).sorted().map { caseName in
            let url = casesURL.appendingPathComponent("\(caseName)/inputs.json")
            let o = try Self.json(url)
            func floats(_ key: String) throws -> [Float] {
                guard let v = o[key] as? [Double] else { throw Failure(description: "\(url.path): no '\(key)'") }
                return v.map { Float($0) }
            }
            guard let psi = o["psi"] as? Double, let pitch = o["camera_pitch"] as? Double, let yaw = o["camera_yaw"] as? Double,
                  let joints = o["joint_eulers"] as? [[Double]] else {
                throw Failure(description: "\(url.path): missing psi, camera or joint_eulers")
            }
            return Case(name: caseName, identity: try floats("z_id"), noise: try floats("z_noise"), psi: psi,
                        expression: try floats("z_exp"), shape: try floats("z_shape"),
                        camera: CameraAngles(pitch: Float(pitch), yaw: Float(yaw)),
                        joints: joints.map { SIMD3(Float($0[0]), Float($0[1]), Float($0[2])) })
        }
    }

    /// The inference stages of this configuration.
    func inference() throws -> (identity: IdentityStage, frame: FrameStage) {
        (try IdentityStage(weights: weights, configuration: configuration, means: means),
         try FrameStage(weights: weights, configuration: configuration, body: body))
    }
}

/// Max and mean absolute difference and the fraction within a tolerance (NaN equal to NaN).
struct Difference: CustomStringConvertible {
    let maxAbs: Double, meanAbs: Double, within: Double, nanMismatch: Int

    init(_ a: [Float], _ b: [Float], tolerance: Double) {
        precondition(a.count == b.count, "Difference: \(a.count) vs \(b.count) values")
        var worst = 0.0, total = 0.0, ok = 0, finite = 0, mismatch = 0
        for (x, y) in zip(a, b) {
            if x.isNaN || y.isNaN {
                if x.isNaN != y.isNaN { mismatch += 1 }
                continue
            }
            let e = abs(Double(x) - Double(y))
            worst = max(worst, e); total += e; finite += 1
            if e <= tolerance { ok += 1 }
        }
        maxAbs = worst
        meanAbs = finite > 0 ? total / Double(finite) : 0
        within = finite > 0 ? Double(ok) / Double(finite) : 1
        nanMismatch = mismatch
    }

    var description: String {
        String(format: "max abs %.3g, mean abs %.3g, %.3f %% within tolerance, %d NaN mismatches", maxAbs, meanAbs, within * 100, nanMismatch)
    }
}
