import Foundation
import Numerics

/// The counter-based formula of the reference data (`reference/README.md`, "Weights"): deterministic
/// synthetic weights for every `source: formula` tensor of a `manifest.json`, bit-exact with the reference.
///
/// For tensor number `t` and element `i`: `x = (SEED xor (t·GOLD)) + i`, `u = splitmix64(x) >> 40`,
/// `f = (u + 0.5)/2^24`, `w = Float32(offset + scale·((2f − 1)·√3))`, all in double without fused
/// multiply-add, rounded once to float32.
public enum FormulaWeights {
    /// The reference seed `0x0000A11F0E7A2023`.
    public static let referenceSeed: UInt64 = 0x0000_A11F_0E7A_2023
    static let golden: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// One entry of `manifest.json`'s `tensors` list.
    public struct Entry: Decodable, Sendable, Equatable {
        public let index: Int
        public let name: String
        public let shape: [Int]
        public let dtype: String
        /// `formula`, `alias` (same values as `alias_of`) or `body_model` (not built here).
        public let source: String
        public let scale: Double?
        public let offset: Double?
        public let aliasOf: String?

        enum CodingKeys: String, CodingKey {
            case index, name, shape, dtype, source, scale, offset
            case aliasOf = "alias_of"
        }
    }

    /// A whole `manifest.json`.
    public struct Manifest: Decodable, Sendable {
        public let seed: UInt64
        public let tensors: [Entry]
    }

    /// SplitMix64's output function of `x` (the state already advanced by the caller's counter).
    @inlinable
    public static func splitmix64(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Element `element` of formula tensor `index` with the given standard deviation and mean.
    @inlinable
    public static func value(tensor index: Int, element: Int, scale: Double, offset: Double,
                             seed: UInt64 = referenceSeed) -> Float {
        let key = seed ^ (UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        let u = splitmix64(key &+ UInt64(element)) >> 40
        let f = (Double(u) + 0.5) / 16_777_216.0
        let centred = 2.0 * f - 1.0
        let unit = centred * 3.0.squareRoot()
        let scaled = scale * unit
        return Float(offset + scaled)
    }

    /// The whole formula tensor `index` of `shape`.
    public static func tensor(index: Int, shape: [Int], scale: Double, offset: Double,
                              seed: UInt64 = referenceSeed) throws -> Tensor {
        guard let count = elementCount(of: shape) else {
            throw GeneratorError.invalidInput(field: "formula tensor \(index)", reason: "invalid shape \(shape)")
        }
        let values = (0..<count).map { value(tensor: index, element: $0, scale: scale, offset: offset, seed: seed) }
        return try Tensor(shape: shape, scalars: values)
    }

    /// Reads a `manifest.json`.
    public static func manifest(path: String) throws -> Manifest {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GeneratorError.invalidInput(field: path, reason: "cannot read the manifest")
        }
        do {
            return try JSONDecoder().decode(Manifest.self, from: data)
        } catch {
            throw GeneratorError.invalidInput(field: path, reason: "not a weight manifest: \(error)")
        }
    }

    /// Every `formula` tensor of `manifest` and every `alias` of one, as Weights (`body_model` entries,
    /// which come from the body model files, are left out). `source` names the manifest in errors.
    public static func build(_ manifest: Manifest, source: String) throws -> Weights {
        let formula = manifest.tensors.filter { $0.source == "formula" }
        var specs: [(count: Int, scale: Double, offset: Double)] = []
        for e in formula {
            guard e.dtype == "float32", let scale = e.scale, let offset = e.offset,
                  let count = elementCount(of: e.shape) else {
                throw GeneratorError.invalidInput(
                    field: "\(source): tensor '\(e.name)'",
                    reason: "a formula entry needs dtype float32, a valid shape, scale and offset")
            }
            specs.append((count, scale, offset))
        }
        // Tensors are independent: build them in parallel, each index filling its own slot.
        var values = [[Float]](repeating: [], count: formula.count)
        values.withUnsafeMutableBufferPointer { slots in
            Parallel.forEach(formula.count) { i in
                let (count, scale, offset) = specs[i]
                let index = formula[i].index
                slots[i] = (0..<count).map {
                    value(tensor: index, element: $0, scale: scale, offset: offset, seed: manifest.seed)
                }
            }
        }
        var tensors: [String: Tensor] = [:]
        for (i, e) in formula.enumerated() {
            tensors[e.name] = try Tensor(shape: e.shape, scalars: values[i])
        }
        for e in manifest.tensors where e.source == "alias" {
            guard let target = e.aliasOf, let t = tensors[target] else {
                throw GeneratorError.missingTensor(name: e.aliasOf ?? "(alias_of of \(e.name))", source: source)
            }
            tensors[e.name] = t
        }
        return Weights(tensors: tensors, source: source)
    }

    /// `build` for the manifest at `path`.
    public static func build(manifestPath path: String) throws -> Weights {
        try build(manifest(path: path), source: path)
    }
}
