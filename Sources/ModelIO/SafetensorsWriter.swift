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

    /// Adds (or replaces) a Float32 tensor, stored as `dtype` (float32, float16 or bfloat16).
    public mutating func add(_ name: String, _ tensor: Tensor, as dtype: DType = .float32) throws {
        try add(name, NumericArray(tensor), as: dtype)
    }

    /// The file's bytes.
    public func encoded() throws -> Data {
        let order = arrays.sorted {
            $0.value.dtype.size != $1.value.dtype.size ? $0.value.dtype.size > $1.value.dtype.size : $0.key < $1.key
        }
        var header = "{"
        var parts: [String] = []
        if !metadata.isEmpty {
            parts.append("\"__metadata__\":{" + metadata.sorted { $0.key < $1.key }.map { "\(JSONText.quote($0.key)):\(JSONText.quote($0.value))" }
                .joined(separator: ",") + "}")
        }
        var blobs: [Data] = []
        var offset = 0
        for (name, array) in order {
            let bytes = try array.littleEndianBytes()
            parts.append("\(JSONText.quote(name)):{\"dtype\":\"\(array.dtype.safetensorsName)\",\"shape\":[\(array.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + bytes.count)]}")
            offset += bytes.count
            blobs.append(bytes)
        }
        header += parts.joined(separator: ",") + "}"
        var headerBytes = Array(header.utf8)
        while (8 + headerBytes.count) % 8 != 0 { headerBytes.append(0x20) }
        guard headerBytes.count <= SafetensorsFile.maximumHeaderSize else {
            throw ModelIOError.unsupported(path: "<safetensors>", reason: "header of \(headerBytes.count) bytes exceeds 100 MB")
        }
        var out = Data(capacity: 8 + headerBytes.count + offset)
        let n = UInt64(headerBytes.count)
        out.append(contentsOf: (0..<8).map { UInt8((n >> (8 * UInt64($0))) & 0xff) })
        out.append(contentsOf: headerBytes)
        for b in blobs { out.append(b) }
        return out
    }

    /// Writes the file to `path` (temporary file beside it, then rename).
    public func write(to path: String) throws {
        try Bytes.writeFileAtomically(try encoded(), to: path)
    }
}

/// JSON text helpers for hand-written JSON.
enum JSONText {
    /// `s` as a JSON string literal.
    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    out += "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
