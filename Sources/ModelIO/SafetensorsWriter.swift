import Foundation
import Numerics

/// Writes safetensors files: JSON header (with `__metadata__`) padded with spaces so the data section
/// starts at a multiple of 8 bytes, then the tensors back to back without gaps, ordered by element
/// size (largest first) then name, so every tensor starts aligned to its element size.
public struct SafetensorsWriter: Sendable {
    /// String metadata stored under `__metadata__`.
    public var metadata: [String: String]
    private var arrays: [String: NumericArray] = [:]

    public init(metadata: [String: String] = [:]) {
        self.metadata = metadata
    }

    /// Names added so far.
    public var names: [String] { Array(arrays.keys) }

    /// Adds (or replaces) a tensor stored as `dtype` (default: the array's own).
    public mutating func add(_ name: String, _ array: NumericArray, as dtype: DType? = nil) throws {
        guard name != "__metadata__", !name.isEmpty else {
            throw ModelIOError.malformed(path: "<safetensors>", reason: "invalid tensor name '\(name)'")
        }
        guard elementCount(of: array.shape) == array.valueCount else {
            throw ModelIOError.malformed(path: "<safetensors>", reason: "tensor '\(name)': shape \(array.shape) does not match its \(array.valueCount) values")
        }
        arrays[name] = try array.converted(to: dtype ?? array.dtype)
    }

    /// Removes tensor `name` if present.
    public mutating func remove(_ name: String) {
        arrays[name] = nil
    }

    /// The array added under `name`, or nil.
    public func array(_ name: String) -> NumericArray? { arrays[name] }

    /// Adds (or replaces) a Float32 tensor, stored as `dtype` (float32, float16 or bfloat16).
    public mutating func add(_ name: String, _ tensor: Tensor, as dtype: DType = .float32) throws {
        try add(name, NumericArray(tensor), as: dtype)
    }

    /// The file's bytes.
    public func encoded() throws -> Data {
        let (entries, data) = try dataSection()
        var out = try Self.header(metadata: metadata, entries: entries)
        out.append(data)
        return out
    }

    /// One tensor's place in the data section.
    struct Entry {
        let name: String
        let dtype: DType
        let shape: [Int]
        let range: Range<Int>
    }

    /// The data section (tensors back to back, largest elements first, then by name) and its layout.
    func dataSection() throws -> (entries: [Entry], data: Data) {
        let order = arrays.sorted {
            $0.value.dtype.size != $1.value.dtype.size ? $0.value.dtype.size > $1.value.dtype.size : $0.key < $1.key
        }
        var entries: [Entry] = []
        var data = Data()
        for (name, array) in order {
            let bytes = try array.littleEndianBytes()
            entries.append(Entry(name: name, dtype: array.dtype, shape: array.shape, range: data.count..<(data.count + bytes.count)))
            data.append(bytes)
        }
        return (entries, data)
    }

    /// The 8-byte length and the JSON header, padded with spaces to a multiple of 8 bytes.
    static func header(metadata: [String: String], entries: [Entry]) throws -> Data {
        var parts: [String] = []
        if !metadata.isEmpty {
            parts.append("\"__metadata__\":{" + metadata.sorted { $0.key < $1.key }.map { "\(JSONValue.quoted($0.key)):\(JSONValue.quoted($0.value))" }
                .joined(separator: ",") + "}")
        }
        for e in entries {
            parts.append("\(JSONValue.quoted(e.name)):{\"dtype\":\"\(e.dtype.safetensorsName)\",\"shape\":[\(e.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(e.range.lowerBound),\(e.range.upperBound)]}")
        }
        var headerBytes = Array(("{" + parts.joined(separator: ",") + "}").utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
        guard headerBytes.count <= SafetensorsFile.maximumHeaderSize else {
            throw ModelIOError.unsupported(path: "<safetensors>", reason: "header of \(headerBytes.count) bytes exceeds 100 MB")
        }
        let n = UInt64(headerBytes.count)
        var out = Data((0..<8).map { UInt8((n >> (8 * UInt64($0))) & 0xff) })
        out.append(contentsOf: headerBytes)
        return out
    }

    /// Writes the file to `path` (temporary file beside it, then rename).
    public func write(to path: String) throws {
        try AtomicFile.write(try encoded(), to: path)
    }
}
