import Foundation
import Numerics

/// An SMPL-layout body model file (`.pkl`, `.pkl.gz` or `.npz`), with its arrays converted the way
/// smplx builds its buffers, under the bundle's names (`renderer.smpl_model.*`, DESIGN.md section 3).
public struct BodyModelFile: Sendable {
    /// Where the model came from.
    public let path: String
    /// Template vertices [V, 3] float32 (metres).
    public let vTemplate: NumericArray
    /// Shape blend shapes [V, 3, shapeDim] float32 (the first `shapeDim` components).
    public let shapedirs: NumericArray
    /// Pose blend shapes [207, 3V] float32: the file's [V, 3, 207] reshaped to [3V, 207] and transposed.
    public let posedirs: NumericArray
    /// Joint regressor [J, V] float32, dense.
    public let jRegressor: NumericArray
    /// Skinning weights [V, J] float32.
    public let lbsWeights: NumericArray
    /// Kinematic tree [J] int64: the file's kintree_table[0] with parents[0] = -1.
    public let parents: NumericArray
    /// Triangles [F, 3] int64.
    public let faces: NumericArray

    /// Number of vertices V.
    public var vertexCount: Int { vTemplate.shape.first ?? 0 }

    /// Reads and converts the model at `path`; `shapeDim` is the number of shape components kept.
    public init(path: String, shapeDim: Int = 10) throws {
        let raw: [String: NumericArray]
        if path.lowercased().hasSuffix(".npz") {
            let npz = try NPZFile(path: path)
            var arrays: [String: NumericArray] = [:]
            for name in npz.names { arrays[name] = try npz.array(name) }
            raw = arrays
        } else {
            raw = try PickledArrays.read(path)
        }
        try self.init(arrays: raw, path: path, shapeDim: shapeDim)
    }

    /// Converts the arrays of an SMPL file (keys `v_template`, `shapedirs`, `posedirs`, `weights`,
    /// `f`, `kintree_table` and `J_regressor`, or `J_regressor_dense` / COO triplets as in body.npz).
    public init(arrays raw: [String: NumericArray], path: String, shapeDim: Int = 10) throws {
        self.path = path
        func get(_ name: String) throws -> NumericArray {
            guard let a = raw[name] else { throw ModelIOError.missing(path: path, name: name) }
            return a
        }
        func expect(_ name: String, _ a: NumericArray, _ shape: [Int?]) throws {
            guard a.shape.count == shape.count, zip(a.shape, shape).allSatisfy({ $1 == nil || $0 == $1 }) else {
                let wanted = "[" + shape.map { $0.map(String.init) ?? "*" }.joined(separator: ",") + "]"
                throw ModelIOError.malformed(path: path, reason: "'\(name)': shape \(a.shape), expected \(wanted)")
            }
        }
        let v = try get("v_template")
        try expect("v_template", v, [nil, 3])
        let vertices = v.shape[0]
        guard vertices > 0 else { throw ModelIOError.malformed(path: path, reason: "'v_template' has no vertices") }
        vTemplate = try v.converted(to: .float32)

        let s = try get("shapedirs")
        try expect("shapedirs", s, [vertices, 3, nil])
        guard s.shape[2] >= shapeDim else {
            throw ModelIOError.malformed(path: path, reason: "'shapedirs' has \(s.shape[2]) components, the model needs \(shapeDim)")
        }
        let sf = try s.converted(to: .float32).floats
        var kept = [Float]()
        kept.reserveCapacity(vertices * 3 * shapeDim)
        for row in 0..<(vertices * 3) { kept.append(contentsOf: sf[(row * s.shape[2])..<(row * s.shape[2] + shapeDim)]) }
        shapedirs = NumericArray(shape: [vertices, 3, shapeDim], dtype: .float32, values: .float(kept))

        let p = try get("posedirs")
        try expect("posedirs", p, [vertices, 3, nil])
        let features = p.shape[2]
        let pf = try p.converted(to: .float32).floats
        var transposed = [Float](repeating: 0, count: pf.count)
        let columns = vertices * 3
        for row in 0..<columns {
            for f in 0..<features { transposed[f * columns + row] = pf[row * features + f] }
        }
        posedirs = NumericArray(shape: [features, columns], dtype: .float32, values: .float(transposed))

        let w = try get("weights")
        try expect("weights", w, [vertices, nil])
        let joints = w.shape[1]
        lbsWeights = try w.converted(to: .float32)

        let regressor: NumericArray
        if let dense = raw["J_regressor"] ?? raw["J_regressor_dense"] {
            regressor = dense
        } else if let r = raw["J_regressor_rows"]?.integers, let c = raw["J_regressor_cols"]?.integers, let values = raw["J_regressor_vals"] {
            let vals = values.floats
            guard r.count == c.count, r.count == vals.count else {
                throw ModelIOError.malformed(path: path, reason: "J_regressor triplets have different lengths")
            }
            var d = [Float](repeating: 0, count: joints * vertices)
            for k in r.indices {
                guard r[k] >= 0, r[k] < joints, c[k] >= 0, c[k] < vertices else {
                    throw ModelIOError.malformed(path: path, reason: "J_regressor triplet \(k) outside [\(joints), \(vertices)]")
                }
                d[Int(r[k]) * vertices + Int(c[k])] += vals[k]
            }
            regressor = NumericArray(shape: [joints, vertices], dtype: .float32, values: .float(d))
        } else {
            throw ModelIOError.missing(path: path, name: "J_regressor")
        }
        try expect("J_regressor", regressor, [joints, vertices])
        jRegressor = try regressor.converted(to: .float32)

        let tree = try get("kintree_table")
        try expect("kintree_table", tree, [2, joints])
        guard var first = tree.integers.map({ Array($0.prefix(joints)) }) else {
            throw ModelIOError.malformed(path: path, reason: "'kintree_table' is not an integer array")
        }
        first[0] = -1
        for (i, parent) in first.enumerated().dropFirst() where parent < 0 || parent >= i {
            throw ModelIOError.malformed(path: path, reason: "'kintree_table': parent of joint \(i) is \(parent), expected 0..<\(i)")
        }
        parents = NumericArray(shape: [joints], dtype: .int64, values: .integer(first))

        let f = try get("f")
        try expect("f", f, [nil, 3])
        guard let faceIndices = f.integers, faceIndices.allSatisfy({ $0 >= 0 && $0 < vertices }) else {
            throw ModelIOError.malformed(path: path, reason: "'f': face indices must be integers in 0..<\(vertices)")
        }
        faces = NumericArray(shape: f.shape, dtype: .int64, values: .integer(faceIndices))
    }

    /// The arrays under their bundle names (`renderer.smpl_model.*`); posedirs only when `poseBlendShapes`.
    public func bundleArrays(poseBlendShapes: Bool = true) -> [(name: String, array: NumericArray)] {
        var out: [(String, NumericArray)] = [
            ("renderer.smpl_model.v_template", vTemplate),
            ("renderer.smpl_model.shapedirs", shapedirs),
            ("renderer.smpl_model.J_regressor", jRegressor),
            ("renderer.smpl_model.lbs_weights", lbsWeights),
            ("renderer.smpl_model.parents", parents),
            ("renderer.smpl_model.faces_tensor", faces),
        ]
        if poseBlendShapes { out.insert(("renderer.smpl_model.posedirs", posedirs), at: 2) }
        return out
    }
}
