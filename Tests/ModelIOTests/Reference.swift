import Foundation
import Testing

/// Locates the shared reference data: `$PORTRAIT_REFERENCE`, else `../shared/reference` beside the
/// package root. A missing reference fails the calling test with the path it looked for.
enum Reference {
    static var root: String {
        if let override = ProcessInfo.processInfo.environment["PORTRAIT_REFERENCE"], !override.isEmpty {
            return override
        }
        // #filePath = <root>/Tests/ModelIOTests/Reference.swift
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/reference").standardizedFileURL.path
    }

    /// The path of `relative` inside the reference; records a test failure when it does not exist.
    static func path(_ relative: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let path = (root as NSString).appendingPathComponent(relative)
        guard FileManager.default.fileExists(atPath: path) else {
            Issue.record("reference file missing: \(path) (set PORTRAIT_REFERENCE to the reference folder)",
                         sourceLocation: sourceLocation)
            throw ReferenceMissing(path: path)
        }
        return path
    }

    struct ReferenceMissing: Error { let path: String }
}

/// A per-test scratch folder under the system temporary directory, removed by `cleanup()`.
struct ScratchFolder {
    let path: String

    init() throws {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("modelio-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}
