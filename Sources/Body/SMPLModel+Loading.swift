import ModelIO
import Numerics

extension SMPLModel {
    /// The model of an SMPL-layout file read by ModelIO (`.pkl`, `.pkl.gz`, `.npz`), without its pose blend
    /// shapes when `poseBlendShapes` is false.
    public init(file: BodyModelFile, poseBlendShapes: Bool = true) throws {
        guard let parents = file.parents.integers else {
            throw BodyError.invalidParents(reason: "\(file.path): not an integer array")
        }
        try self.init(template: file.vTemplate.tensor(), shapeDirections: file.shapedirs.tensor(),
                      poseDirections: poseBlendShapes ? file.posedirs.tensor() : nil,
                      jointRegressor: file.jRegressor.tensor(), skinningWeights: file.lbsWeights.tensor(),
                      parents: parents.map { Int($0) })
    }

    /// The model from the smplx buffers of a state dict or bundle (`<prefix>v_template`, `shapedirs`,
    /// `posedirs` (optional), `J_regressor`, `lbs_weights`, `parents`; prefix e.g. `renderer.smpl_model.`).
    /// `lookup` returns the array of a full key, or nil when absent.
    public init(prefix: String, lookup: (String) throws -> NumericArray?) throws {
        func require(_ name: String) throws -> NumericArray {
            guard let a = try lookup(prefix + name) else {
                throw BodyError.shapeMismatch(name: prefix + name, got: [], expected: "present")
            }
            return a
        }
        guard let parents = try require("parents").integers else {
            throw BodyError.invalidParents(reason: "\(prefix)parents is not an integer array")
        }
        try self.init(template: require("v_template").tensor(), shapeDirections: require("shapedirs").tensor(),
                      poseDirections: lookup(prefix + "posedirs")?.tensor(),
                      jointRegressor: require("J_regressor").tensor(), skinningWeights: require("lbs_weights").tensor(),
                      parents: parents.map { Int($0) })
    }
}
