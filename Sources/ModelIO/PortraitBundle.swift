import Foundation
import Numerics

/// A `.portrait` bundle (DESIGN.md section 3): one safetensors file whose `__metadata__["portrait"]` is
/// the `BundleMetadata` JSON. Opening validates it completely; the first failure names the file and
/// the field or tensor. Tensors are decoded on demand from the memory-mapped file.
public struct PortraitBundle: Sendable {
    /// Where the bundle came from.
    public let path: String
    /// The parsed, validated metadata.
    public let metadata: BundleMetadata
    /// The underlying safetensors file.
    public let file: SafetensorsFile
    /// Tensors the configuration does not name (kept, listed by `portrait info`).
    public let unknownTensors: [String]

    /// Opens and validates the bundle at `path`.
    public init(path: String) throws {
        try self.init(file: try SafetensorsFile(path: path))
    }

    /// Parses and validates bundle bytes; `path` names the source in errors.
    public init(data: Data, path: String = "<memory>") throws {
        try self.init(file: try SafetensorsFile(data: data, path: path))
    }

    /// Validates an opened safetensors file as a bundle.
    public init(file: SafetensorsFile) throws {
        let path = file.path
        guard let text = file.metadata["portrait"] else {
            throw ModelIOError.malformed(path: path, reason: "no 'portrait' metadata: not a .portrait bundle")
        }
        let metadata = try BundleMetadata.decode(text, path: path)
        if let problem = metadata.problem() { throw ModelIOError.malformed(path: path, reason: problem) }
        self.path = path
        self.metadata = metadata
        self.file = file
        unknownTensors = try Self.validate(file: file, metadata: metadata)
    }

    /// Tensor `name` as Float32 (F16/BF16 widened, integers converted).
    public func tensor(_ name: String) throws -> Tensor { try file.tensor(name) }

    /// Tensor `name` with its stored element type.
    public func array(_ name: String) throws -> NumericArray { try file.array(name) }

    /// Whether the bundle holds `name`.
    public func contains(_ name: String) -> Bool { file.contains(name) }

    /// Number of generator parameters (the state dict without body buffers and without the smoother alias).
    public var parameterCount: Int {
        metadata.generator.generatorTensors().filter { !$0.name.hasPrefix("renderer.smooth_layer.") }
            .reduce(0) { $0 + (file.info($1.name)?.count ?? 0) }
    }

    /// Checks `provenance.data_sha256` against the data section and that every float tensor is finite.
    public func verify() throws {
        let digest = SHA256.hex(file.dataSection)
        guard digest == metadata.provenance.dataSha256 else {
            throw ModelIOError.malformed(path: path, reason: "provenance.data_sha256 is \(metadata.provenance.dataSha256.isEmpty ? "empty" : metadata.provenance.dataSha256), the data section hashes to \(digest)")
        }
        for info in file.tensors where info.dtype.isFloatingPoint {
            let values = try file.array(info.name).floats
            if let i = values.firstIndex(where: { !$0.isFinite }) {
                throw ModelIOError.malformed(path: path, reason: "tensor '\(info.name)': element \(i) is \(values[i])")
            }
        }
    }

    /// Checks every expected tensor's presence, dtype and shape, the body's tree and index ranges;
    /// returns the names of unknown tensors.
    static func validate(file: SafetensorsFile, metadata: BundleMetadata) throws -> [String] {
        let path = file.path
        let configuration = metadata.generator
        let expected = configuration.expectedTensors(poseBlendShapes: metadata.rendering.body.poseBlendShapes)
        var rows: [String: Int] = [:]
        for (name, count) in metadata.samplers.byTensorName { rows[String(name.dropFirst("samplers.".count))] = count }
        var bound: [String: Int] = [:]
        func key(_ d: ExpectedTensor.Dimension) -> String? {
            switch d {
            case .vertices: return "V"
            case .faces: return "F"
            case .knnEntries: return "K"
            default: return nil
            }
        }
        func size(_ d: ExpectedTensor.Dimension) -> Int? {
            switch d {
            case let .exactly(n): return n
            case .threeVertices: return bound["V"].map { 3 * $0 }
            case let .rows(name): return rows[name]
            case .any: return nil
            default: return key(d).flatMap { bound[$0] }
            }
        }
        func text(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ",") + "]" }
        func expectedText(_ e: ExpectedTensor) -> String {
            "[" + e.shape.map { size($0).map(String.init) ?? $0.description }.joined(separator: ",") + "]"
        }
        // Bind V from the template first, so every message shows numbers.
        if let template = file.info("renderer.smpl_model.v_template"), let v = template.shape.first { bound["V"] = v }

        for e in expected {
            guard let info = file.info(e.name) else {
                if case let .rows(name)? = e.shape.first, let n = rows[name], n > 0 {
                    throw ModelIOError.malformed(path: path, reason: "tensor '\(e.name)' is missing (metadata samplers.\(name) = \(n))")
                }
                if e.isRequired { throw ModelIOError.malformed(path: path, reason: "tensor '\(e.name)' is missing") }
                continue
            }
            if case let .rows(name)? = e.shape.first, rows[name] == 0 {
                throw ModelIOError.malformed(path: path, reason: "tensor '\(e.name)': \(text(info.shape)), but metadata samplers.\(name) = 0")
            }
            guard e.kind.accepts(info.dtype) else {
                throw ModelIOError.malformed(path: path, reason: "tensor '\(e.name)': dtype \(info.dtype.safetensorsName), expected \(e.kind == .float ? "F32 (or F16/BF16)" : "I64")")
            }
            guard info.shape.count == e.shape.count else {
                throw ModelIOError.malformed(path: path, reason: "tensor '\(e.name)': \(text(info.shape)), expected \(expectedText(e))")
            }
            for (actual, dimension) in zip(info.shape, e.shape) {
                if let wanted = size(dimension) {
                    if actual != wanted {
                        throw ModelIOError.malformed(path: path, reason: "tensor '\(e.name)': \(text(info.shape)), expected \(expectedText(e))")
                    }
                } else if let k = key(dimension) {
                    bound[k] = actual
                }
            }
        }
        let vertices = bound["V"] ?? 0
        guard vertices > 0 else { throw ModelIOError.malformed(path: path, reason: "tensor 'renderer.smpl_model.v_template' has no vertices") }
        guard let parents = try file.array("renderer.smpl_model.parents").integers else {
            throw ModelIOError.malformed(path: path, reason: "tensor 'renderer.smpl_model.parents' is not an integer array")
        }
        if parents.first != -1 {
            throw ModelIOError.malformed(path: path, reason: "tensor 'renderer.smpl_model.parents': parents[0] = \(parents.first ?? 0), expected -1")
        }
        for (i, p) in parents.enumerated().dropFirst() where p < 0 || p >= i {
            throw ModelIOError.malformed(path: path, reason: "tensor 'renderer.smpl_model.parents': parents[\(i)] = \(p), expected 0..<\(i)")
        }
        let knn = try file.array("body.knn_index").integers ?? []
        if let bad = knn.firstIndex(where: { $0 < 0 || $0 >= vertices }) {
            throw ModelIOError.malformed(path: path, reason: "tensor 'body.knn_index': element \(bad) = \(knn[bad]), expected 0..<\(vertices)")
        }
        if file.contains("renderer.smpl_model.faces_tensor"), let faces = try file.array("renderer.smpl_model.faces_tensor").integers,
           let bad = faces.firstIndex(where: { $0 < 0 || $0 >= vertices }) {
            throw ModelIOError.malformed(path: path, reason: "tensor 'renderer.smpl_model.faces_tensor': element \(bad) = \(faces[bad]), expected 0..<\(vertices)")
        }
        let known = Set(expected.map(\.name))
        return file.names.filter { !known.contains($0) }
    }
}

/// Writes `.portrait` bundles: tensors plus metadata, `provenance.data_sha256` filled in, written to a
/// temporary file and renamed into place.
public struct BundleWriter: Sendable {
    /// The metadata to store (`data_sha256` is replaced when writing).
    public var metadata: BundleMetadata
    private var tensors = SafetensorsWriter()

    public init(metadata: BundleMetadata) {
        self.metadata = metadata
    }

    /// Names added so far.
    public var names: [String] { tensors.names }

    /// Adds (or replaces) a tensor, stored as `dtype` (default: its own).
    public mutating func add(_ name: String, _ array: NumericArray, as dtype: DType? = nil) throws {
        try tensors.add(name, array, as: dtype)
    }

    /// Adds (or replaces) a Float32 tensor.
    public mutating func add(_ name: String, _ tensor: Tensor, as dtype: DType = .float32) throws {
        try tensors.add(name, tensor, as: dtype)
    }

    /// Removes tensor `name` if present.
    public mutating func remove(_ name: String) { tensors.remove(name) }

    /// The array added under `name`, or nil.
    public func array(_ name: String) -> NumericArray? { tensors.array(name) }

    /// The bundle's bytes and the metadata stored in them (with `data_sha256`).
    public func encoded() throws -> (data: Data, metadata: BundleMetadata) {
        let (entries, data) = try tensors.dataSection()
        var stored = metadata
        stored.format = BundleMetadata.currentFormat
        stored.provenance.dataSha256 = SHA256.hex(data)
        var out = try SafetensorsWriter.header(metadata: ["portrait": try stored.jsonText()], entries: entries)
        out.append(data)
        return (out, stored)
    }

    /// Validates the bundle as a reader would, then writes it to `path` atomically; returns the stored metadata.
    @discardableResult
    public func write(to path: String) throws -> BundleMetadata {
        let (data, stored) = try encoded()
        _ = try PortraitBundle(data: data, path: path)
        try AtomicFile.write(data, to: path)
        return stored
    }
}
