import Foundation
import Numerics

/// A safetensors file: an 8-byte little-endian header length, a JSON header naming each tensor's dtype,
/// shape and byte range, then the data section. The file is memory-mapped; tensors are decoded on demand.
///
/// Validation on open: header at most 100 MB and valid JSON; every entry has a known dtype, a shape
/// whose element count does not overflow, offsets inside the data section, a byte size equal to
/// shape x dtype size; no two tensors overlap. `__metadata__` must map strings to strings.
public struct SafetensorsFile: Sendable {
    /// Largest accepted header (the format's own limit).
    public static let maximumHeaderSize = 100_000_000

    /// One tensor's entry in the header.
    public struct TensorInfo: Sendable, Equatable {
        public let name: String
        public let dtype: DType
        public let shape: [Int]
        /// Byte range inside the data section.
        public let byteRange: Range<Int>

        /// Number of elements.
        public var count: Int { shape.reduce(1, *) }
    }

    /// Where the file came from (used in error messages).
    public let path: String
    /// The `__metadata__` map (empty when absent).
    public let metadata: [String: String]
    /// The tensors in data-section order.
    public let tensors: [TensorInfo]
    /// The bytes after the header.
    public let dataSection: Data
    private let index: [String: Int]

    /// Opens and validates the file at `path` (memory-mapped).
    public init(path: String) throws {
        try self.init(data: try Bytes.readFile(path), path: path)
    }

    /// Parses and validates safetensors bytes; `path` names the source in errors.
    public init(data: Data, path: String = "<memory>") throws {
        func bad(_ reason: String) -> ModelIOError { .malformed(path: path, reason: reason) }
        self.path = path
        guard let length = Bytes.littleEndian(data, at: 0, width: 8) else {
            throw bad("too short for a safetensors file (\(data.count) bytes)")
        }
        guard length <= UInt64(Self.maximumHeaderSize) else {
            throw bad("header length \(length) exceeds the 100 MB limit")
        }
        let headerLength = Int(length)
        guard headerLength <= data.count - 8 else {
            throw bad("header length \(headerLength) runs past the end of the file (\(data.count) bytes)")
        }
        let headerBytes = data.subdata(in: (data.startIndex + 8)..<(data.startIndex + 8 + headerLength))
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: headerBytes, options: [])
        } catch {
            throw bad("header is not valid JSON")
        }
        guard let object = json as? [String: Any] else { throw bad("header is not a JSON object") }
        let dataStart = 8 + headerLength
        let dataCount = data.count - dataStart
        // A slice: shares the (memory-mapped) file's bytes.
        dataSection = data[(data.startIndex + dataStart)..<data.endIndex]

        var metadata: [String: String] = [:]
        var tensors: [TensorInfo] = []
        for (name, value) in object {
            if name == "__metadata__" {
                guard let map = value as? [String: Any] else { throw bad("__metadata__ is not an object") }
                for (key, item) in map {
                    guard let text = item as? String else { throw bad("__metadata__ value '\(key)' is not a string") }
                    metadata[key] = text
                }
                continue
            }
            guard let entry = value as? [String: Any] else { throw bad("tensor '\(name)': entry is not an object") }
            guard let dtypeName = entry["dtype"] as? String else { throw bad("tensor '\(name)': no dtype") }
            guard let dtype = DType(safetensorsName: dtypeName) else {
                throw ModelIOError.unsupported(path: path, reason: "tensor '\(name)': dtype \(dtypeName)")
            }
            guard let shapeValues = entry["shape"] as? [Any] else { throw bad("tensor '\(name)': no shape") }
            var shape: [Int] = []
            for d in shapeValues {
                guard let n = JSONNumbers.integer(d), n >= 0 else {
                    throw bad("tensor '\(name)': shape \(shapeValues) has a non-integer or negative dimension")
                }
                shape.append(n)
            }
            guard let offsets = entry["data_offsets"] as? [Any], offsets.count == 2,
                  let begin = JSONNumbers.integer(offsets[0]), let end = JSONNumbers.integer(offsets[1]) else {
                throw bad("tensor '\(name)': data_offsets is not two integers")
            }
            guard begin >= 0, begin <= end, end <= dataCount else {
                throw bad("tensor '\(name)': data_offsets [\(begin), \(end)] outside the data section of \(dataCount) bytes")
            }
            guard let count = elementCount(of: shape) else { throw bad("tensor '\(name)': shape \(shape) overflows") }
            let (size, overflow) = count.multipliedReportingOverflow(by: dtype.size)
            guard !overflow, size == end - begin else {
                throw bad("tensor '\(name)': \(end - begin) bytes, shape \(shape) of \(dtypeName) needs \(overflow ? "more than \(Int.max)" : "\(size)")")
            }
            tensors.append(TensorInfo(name: name, dtype: dtype, shape: shape, byteRange: begin..<end))
        }
        tensors.sort { ($0.byteRange.lowerBound, $0.byteRange.upperBound, $0.name) < ($1.byteRange.lowerBound, $1.byteRange.upperBound, $1.name) }
        for k in tensors.indices.dropFirst() {
            let previous = tensors[k - 1], current = tensors[k]
            if current.byteRange.lowerBound < previous.byteRange.upperBound {
                throw bad("tensors '\(previous.name)' \(previous.byteRange) and '\(current.name)' \(current.byteRange) overlap")
            }
        }
        self.metadata = metadata
        self.tensors = tensors
        var index: [String: Int] = [:]
        for (k, t) in tensors.enumerated() { index[t.name] = k }
        self.index = index
    }

    /// Tensor names in data-section order.
    public var names: [String] { tensors.map(\.name) }

    /// The entry for `name`, or nil.
    public func info(_ name: String) -> TensorInfo? { index[name].map { tensors[$0] } }

    /// Whether the file has a tensor called `name`.
    public func contains(_ name: String) -> Bool { index[name] != nil }

    /// The raw little-endian bytes of tensor `name`.
    public func rawBytes(_ name: String) throws -> Data {
        guard let info = info(name) else { throw ModelIOError.missing(path: path, name: name) }
        let start = dataSection.startIndex + info.byteRange.lowerBound
        return dataSection[start..<(start + info.byteRange.count)]
    }

    /// Tensor `name` with its own dtype (F16 and BF16 widened to Float, integers as Int64/UInt64).
    public func array(_ name: String) throws -> NumericArray {
        guard let info = info(name) else { throw ModelIOError.missing(path: path, name: name) }
        guard let values = Bytes.values(info.dtype, count: info.count, from: dataSection,
                                        at: info.byteRange.lowerBound, littleEndian: true) else {
            throw ModelIOError.malformed(path: path, reason: "tensor '\(name)': cannot read its data")
        }
        return NumericArray(shape: info.shape, dtype: info.dtype, values: values)
    }

    /// Tensor `name` as a Float32 tensor.
    public func tensor(_ name: String) throws -> Tensor {
        try array(name).tensor()
    }
}

/// Integers out of `JSONSerialization` results (which may be NSNumber, Int or Double).
enum JSONNumbers {
    static func integer(_ value: Any) -> Int? {
        if type(of: value) == Bool.self { return nil }
        if let n = value as? NSNumber {
            // Booleans decode as NSNumber too; only accept integral numbers that are not booleans.
            if String(cString: n.objCType) == "c" { return nil }
            let d = n.doubleValue
            guard d.rounded() == d, abs(d) < 9.0e15 else { return nil }
            return n.intValue
        }
        if let n = value as? Int { return n }
        if let d = value as? Double, d.rounded() == d, abs(d) < 9.0e15 { return Int(d) }
        return nil
    }
}

extension DType {
    /// The safetensors dtype name (`F32`, `BF16`, `I64`, ...).
    public var safetensorsName: String {
        switch self {
        case .float16: return "F16"
        case .bfloat16: return "BF16"
        case .float32: return "F32"
        case .float64: return "F64"
        case .int8: return "I8"
        case .int16: return "I16"
        case .int32: return "I32"
        case .int64: return "I64"
        case .uint8: return "U8"
        case .uint16: return "U16"
        case .uint32: return "U32"
        case .uint64: return "U64"
        case .bool: return "BOOL"
        }
    }

    /// The dtype named `name` in a safetensors header, or nil for names we do not read.
    public init?(safetensorsName name: String) {
        guard let match = DType.allCases.first(where: { $0.safetensorsName == name }) else { return nil }
        self = match
    }
}
