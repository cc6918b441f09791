import Foundation
import Generator
import ModelIO
import Numerics

/// Errors locating or reading the shared reference data (tests fail with these messages; they never skip).
struct ReferenceDataError: Error, CustomStringConvertible {
    let description: String
}

/// The shared parity data (`../shared/reference` beside the package root, or `$PORTRAIT_REFERENCE`):
/// configurations (`ref-tiny`, `ref-steep`, `official-shape`), their weights, means, identities and cases.
enum ReferenceData {
    /// The package root, found from this file's path (Tests/GeneratorTests/Support/ReferenceData.swift).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The reference folder: `$PORTRAIT_REFERENCE` when set, else `<package>/../shared/reference`.
    static var root: URL {
        if let env = ProcessInfo.processInfo.environment["PORTRAIT_REFERENCE"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return packageRoot.appendingPathComponent("../shared/reference").standardizedFileURL
    }

    /// The folder of configuration `name`; throws naming the path when it is absent.
    static func directory(_ name: String) throws -> URL {
        let url = root.appendingPathComponent(name)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ReferenceDataError(description: "reference data not found: \(url.path) (set PORTRAIT_REFERENCE to the reference folder)")
        }
        return url
    }

    /// A `.npy` file below the reference root (`relative` like `ref-tiny/identities/id_a/lr_maps.npy`).
    static func npy(_ url: URL) throws -> NumericArray {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw ReferenceDataError(description: "reference file not found: \(url.path)")
        }
        return try NPY.read(url.path)
    }

    /// A JSON object file.
    static func json(_ url: URL) throws -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ReferenceDataError(description: "reference file not found: \(url.path)")
        }
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ReferenceDataError(description: "\(url.path): not a JSON object")
        }
        return object
    }

    /// Float values of key `key` of a JSON object.
    static func floats(_ object: [String: Any], _ key: String, in url: URL) throws -> [Float] {
        guard let values = object[key] as? [Double] else {
            throw ReferenceDataError(description: "\(url.path): '\(key)' is not a list of numbers")
        }
        return values.map { Float($0) }
    }

    /// A loaded configuration (cached: loaded once per test process).
    final class Configuration: Sendable {
        let name: String
        let directory: URL
        let configuration: GeneratorConfiguration
        /// `generator.safetensors` (absent for official-shape).
        let weights: Weights?
        let means: TruncationMeans

        init(_ name: String) throws {
            self.name = name
            let directory = try ReferenceData.directory(name)
            self.directory = directory
            let config = try ReferenceData.json(directory.appendingPathComponent("config.json"))
            guard let kwargs = config["generator_kwargs"] else {
                throw ReferenceDataError(description: "\(directory.path)/config.json: no generator_kwargs")
            }
            configuration = try JSONDecoder().decode(
                GeneratorConfiguration.self, from: JSONSerialization.data(withJSONObject: kwargs))
            let weightsPath = directory.appendingPathComponent("generator.safetensors").path
            weights = FileManager.default.fileExists(atPath: weightsPath) ? try Weights(safetensorsPath: weightsPath) : nil
            func mean(_ file: String) throws -> [Float] { try ReferenceData.npy(directory.appendingPathComponent(file)).floats }
            means = try TruncationMeans(frequencies: mean("avg_frequencies.npy"), phases: mean("avg_phase_shifts.npy"),
                                        w: mean("sr_avg_w.npy"), style: mean("sr_avg_style.npy"))
        }

        /// The weights, or an error naming the missing file.
        func requireWeights() throws -> Weights {
            guard let weights else {
                throw ReferenceDataError(description: "\(directory.path): no generator.safetensors")
            }
            return weights
        }

        /// Names of `identities/*`, sorted.
        func identities() throws -> [String] {
            let url = directory.appendingPathComponent("identities")
            let names = try FileManager.default.contentsOfDirectory(atPath: url.path).filter { !$0.hasPrefix(".") }.sorted()
            guard !names.isEmpty else { throw ReferenceDataError(description: "\(url.path): no identities") }
            return names
        }

        /// Names of `cases/*`, sorted.
        func cases() throws -> [String] {
            let url = directory.appendingPathComponent("cases")
            let names = try FileManager.default.contentsOfDirectory(atPath: url.path).filter { !$0.hasPrefix(".") }.sorted()
            guard !names.isEmpty else { throw ReferenceDataError(description: "\(url.path): no cases") }
            return names
        }

        /// `identities/<id>/inputs.json`: z_id, z_noise, psi.
        func identityInputs(_ id: String) throws -> (identity: [Float], noise: [Float], psi: Double) {
            let url = directory.appendingPathComponent("identities/\(id)/inputs.json")
            let object = try ReferenceData.json(url)
            guard let psi = object["psi"] as? Double else { throw ReferenceDataError(description: "\(url.path): no psi") }
            return try (ReferenceData.floats(object, "z_id", in: url), ReferenceData.floats(object, "z_noise", in: url), psi)
        }

        /// `identities/<id>/<name>.npy`.
        func identityArray(_ id: String, _ name: String) throws -> NumericArray {
            try ReferenceData.npy(directory.appendingPathComponent("identities/\(id)/\(name).npy"))
        }

        /// `cases/<case>/inputs.json` as a JSON object.
        func caseInputs(_ name: String) throws -> [String: Any] {
            try ReferenceData.json(directory.appendingPathComponent("cases/\(name)/inputs.json"))
        }

        /// `cases/<case>/<name>.npy`.
        func caseArray(_ caseName: String, _ name: String) throws -> NumericArray {
            try ReferenceData.npy(directory.appendingPathComponent("cases/\(caseName)/\(name).npy"))
        }
    }

    private static let tinyResult = Result { try Configuration("ref-tiny") }
    private static let steepResult = Result { try Configuration("ref-steep") }

    /// ref-tiny, loaded once.
    static func tiny() throws -> Configuration { try tinyResult.get() }
    /// ref-steep, loaded once.
    static func steep() throws -> Configuration { try steepResult.get() }
    /// A configuration by name (`ref-tiny`, `ref-steep`).
    static func configuration(_ name: String) throws -> Configuration {
        switch name {
        case "ref-tiny": return try tiny()
        case "ref-steep": return try steep()
        default: return try Configuration(name)
        }
    }
}
