import Foundation
import ModelIO
import Numerics
@testable import Body

/// Reference data for the Body tests: `$PORTRAIT_REFERENCE` or `<package>/../shared/reference`. A missing
/// file throws an error naming its path (parity tests never skip).
enum BodyReference {
    struct Missing: Error, CustomStringConvertible {
        let path: String
        var description: String { "reference data not found: \(path) (set PORTRAIT_REFERENCE or provide ../shared/reference)" }
    }

    static var root: String {
        if let env = ProcessInfo.processInfo.environment["PORTRAIT_REFERENCE"], !env.isEmpty { return env }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/reference").path
    }

    static func path(_ relative: String) throws -> String {
        let p = root + "/" + relative
        guard FileManager.default.fileExists(atPath: p) else { throw Missing(path: p) }
        return p
    }

    /// Case directories (relative to the root) of a configuration, sorted.
    static func cases(_ configuration: String) throws -> [String] {
        let dir = try path(configuration + "/cases")
        return try FileManager.default.contentsOfDirectory(atPath: dir).sorted().map { "\(configuration)/cases/\($0)" }
    }

    static func npy(_ relative: String) throws -> NumericArray { try NPY.read(path(relative)) }

    static func json(_ relative: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path(relative)))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw Missing(path: relative) }
        return object
    }

    /// The synthetic SMPL body of ref-tiny (`body/body.npz`) through ModelIO's body-model reader.
    static func smplModel(_ file: String = "body.npz") throws -> SMPLModel {
        try SMPLModel(file: BodyModelFile(path: path("ref-tiny/body/" + file)))
    }

    /// `valid_smpl_knn_index.npy` of a configuration.
    static func validIndices(_ configuration: String) throws -> [Int] {
        guard let ints = try npy(configuration + "/valid_smpl_knn_index.npy").integers else {
            throw Missing(path: configuration + "/valid_smpl_knn_index.npy (integers)")
        }
        return ints.map { Int($0) }
    }
}
