import Foundation
import Generator

/// Resolves a MODEL argument: the reserved name `builtin` (the bundle shipped with the program), an existing
/// path, or a bare name in `$XDG_DATA_HOME/portrait-studio/models/` (with or without the `.portrait` extension).
enum ModelLocator {
    struct NotFound: Error, CustomStringConvertible {
        let model: String
        let searched: [String]
        var description: String {
            "model '\(model)' not found (looked at \(searched.joined(separator: ", ")))"
        }
    }

    static var modelsDirectory: String {
        let environment = ProcessInfo.processInfo.environment
        let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        return data + "/portrait-studio/models"
    }

    static func path(for model: String) throws -> String {
        if model == BuiltinModel.name {
            guard let path = BuiltinModel.resourcePath else {
                throw NotFound(model: model, searched: ["the program's resources (\(BuiltinModel.resourceName))"])
            }
            return path
        }
        var candidates = [model]
        if !model.contains("/") {
            candidates.append(modelsDirectory + "/" + model)
            if !model.hasSuffix(".portrait") { candidates.append(modelsDirectory + "/" + model + ".portrait") }
        }
        for candidate in candidates {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue {
                return candidate
            }
        }
        throw NotFound(model: model, searched: candidates)
    }
}
