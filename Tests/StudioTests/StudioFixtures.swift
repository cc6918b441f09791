import Foundation
import Testing

/// Shared fixtures of the studio tests: the built `portrait` executable, temporary folders and a small model
/// bundle imported from `../shared/reference/ref-tiny` (or `$PORTRAIT_REFERENCE`).
enum StudioFixtures {
    /// The `portrait` executable built beside the test bundle.
    static var executable: String {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("portrait")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return candidate.path
            }
            directory.deleteLastPathComponent()
        }
        return "portrait"
    }

    /// `../shared/reference` beside the package, or `$PORTRAIT_REFERENCE`.
    static var reference: String {
        if let env = ProcessInfo.processInfo.environment["PORTRAIT_REFERENCE"], !env.isEmpty { return env }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/reference").path
    }

    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("portrait-studio-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    struct CommandFailed: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs the executable to completion; throws with its stderr when it fails.
    @discardableResult
    static func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CommandFailed(description: "portrait \(arguments.joined(separator: " ")): status \(process.terminationStatus): "
                                + String(decoding: errData, as: UTF8.self))
        }
        return String(decoding: outData, as: UTF8.self)
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
