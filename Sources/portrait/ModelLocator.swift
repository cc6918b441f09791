import Foundation
import Generator
import ModelIO
import Synth

/// Resolves a MODEL argument (DESIGN.md §2) for every command that takes one: the reserved names `builtin`
/// (the bundle shipped with the program) and `synthetic` (the parametric renderer), an existing `.portrait`
/// path, or a bare name in `$XDG_DATA_HOME/portrait-studio/models/` (with or without the extension).
/// Omitted: `builtin` when its metadata says it is trained, else `synthetic`.
enum ModelLocator {
    struct NotFound: Error, CustomStringConvertible {
        let model: String
        let searched: [String]
        var description: String {
            "model '\(model)' not found (looked at \(searched.joined(separator: ", "))); the reserved names are builtin and synthetic"
        }
    }

    /// A model that exists but cannot do what was asked (e.g. `--compare` with numbered expressions).
    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    /// What a MODEL argument names, before loading.
    enum Choice {
        /// The parametric renderer.
        case synthetic
        /// A bundle file (the built-in one included).
        case bundle(path: String)
    }

    /// A resolved MODEL argument and, when it was omitted, why this model was taken.
    struct Resolution {
        let choice: Choice
        /// The name to show: `synthetic`, `builtin` or the argument as given.
        let name: String
        /// Set when the argument was omitted: e.g. `the built-in model is untrained`.
        let reason: String?
        /// The bundle, when resolving already read it (the omitted-MODEL rule reads the built-in one).
        let bundle: PortraitBundle?

        /// Loads the model.
        func load() throws -> any PortraitModel {
            switch choice {
            case .synthetic: return try SyntheticPortraitModel()
            case let .bundle(path):
                return try NeuralPortraitModel(bundle: bundle ?? PortraitBundle(path: path))
            }
        }
    }

    static var modelsDirectory: String {
        let environment = ProcessInfo.processInfo.environment
        let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/share"
        return data + "/portrait-studio/models"
    }

    /// Resolves `model` (nil: the omitted-MODEL rule).
    static func resolve(_ model: String?) throws -> Resolution {
        guard let model else { return try resolveDefault() }
        if model == BuiltinModel.syntheticName { return Resolution(choice: .synthetic, name: model, reason: nil, bundle: nil) }
        return Resolution(choice: .bundle(path: try path(for: model)), name: model, reason: nil, bundle: nil)
    }

    /// `builtin` when the shipped bundle's `provenance.source` says it is trained, otherwise `synthetic`.
    static func resolveDefault() throws -> Resolution {
        let path = try path(for: BuiltinModel.name)
        let bundle = try PortraitBundle(path: path)
        let source = bundle.metadata.provenance.source
        if BuiltinModel.isTrained(source: source) {
            return Resolution(choice: .bundle(path: path), name: BuiltinModel.name,
                              reason: "the default: the built-in model is trained (\(source))", bundle: bundle)
        }
        return Resolution(choice: .synthetic, name: BuiltinModel.syntheticName,
                          reason: "the default while the built-in model is untrained", bundle: nil)
    }

    /// Loads `model` (nil: the omitted-MODEL rule).
    static func load(_ model: String?) throws -> any PortraitModel {
        try resolve(model).load()
    }

    /// The file of a bundle MODEL argument (`builtin`, a path or a name in the models folder).
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
