import Foundation
import PortraitTestSupport
import Testing

/// Shared fixtures of the studio tests: the built `portrait` executable, temporary folders and a small model
/// bundle imported from `../shared/reference/ref-tiny` (or `$PORTRAIT_REFERENCE`).
enum StudioFixtures {
    /// The `portrait` executable built beside the test bundle.
    static var executable: String { PortraitProcess.executable.path }

    /// `../shared/reference` beside the package, or `$PORTRAIT_REFERENCE`.
    static var reference: String { PortraitProcess.reference }

    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> String { try PortraitProcess.temporaryDirectory(prefix: "portrait-studio") }

    struct CommandFailed: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs the executable to completion; throws with its stderr when it fails.
    @discardableResult
    static func run(_ arguments: [String]) throws -> String {
        let result = try PortraitProcess.run(arguments)
        guard result.status == 0 else {
            throw CommandFailed(description: "portrait \(arguments.joined(separator: " ")): status \(result.status): " + result.stderr)
        }
        return result.stdout
    }

    /// Imports ref-tiny into `directory/tiny.portrait` and returns its path. A missing reference fails.
    static func tinyBundle(in directory: String) throws -> String {
        let tiny = reference + "/ref-tiny"
        guard FileManager.default.fileExists(atPath: tiny + "/generator.pt") else {
            throw CommandFailed(description: "reference data missing: \(tiny)/generator.pt (set PORTRAIT_REFERENCE)")
        }
        let output = directory + "/tiny.portrait"
        try run(["import", "--checkpoint", tiny + "/generator.pt", "--knn-index", tiny + "/valid_smpl_knn_index.npy",
                 "--smpl", tiny + "/body/SMPL_NEUTRAL.pkl.gz", "--means", tiny, "-o", output])
        return output
    }
}
