import Foundation

/// Reading whole files and fixed-width values out of byte buffers, with every access bounds-checked.
///
/// All offsets are relative to the start of the `Data` value (slices keep their parent's indices, so
/// every access adds `startIndex`). Bulk element copies go through `Data.copyBytes`, which checks the
/// range; nothing here touches memory outside the buffer.
enum Bytes {
    /// The file's bytes, memory-mapped when the system allows it.
    static func readFile(_ path: String) throws -> Data {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ModelIOError.io(path: path, reason: "no such file")
        }
        if isDirectory.boolValue { throw ModelIOError.io(path: path, reason: "is a directory, expected a file") }
        do {
            return try Data(contentsOf: url, options: [.alwaysMapped])
        } catch {
            throw ModelIOError.io(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
    }

    /// Whether this machine stores integers little-endian.
    static let hostIsLittleEndian = 1.littleEndian == 1

    /// The byte at `offset`, or nil when out of range.
    @inline(__always)
    static func byte(_ data: Data, _ offset: Int) -> UInt8? {
        guard offset >= 0, offset < data.count else { return nil }
        return data[data.startIndex + offset]
    }

    /// An unsigned little-endian integer of `width` bytes (1...8) at `offset`, or nil when out of range.
    static func littleEndian(_ data: Data, at offset: Int, width: Int) -> UInt64? {
        guard offset >= 0, width >= 1, width <= 8, offset <= data.count - width else { return nil }
        var value: UInt64 = 0
        let base = data.startIndex + offset
        for k in 0..<width { value |= UInt64(data[base + k]) << (8 * UInt64(k)) }
        return value
    }

    /// `count` elements of type `T` stored at `offset`, byte-swapped when the file's order differs
    /// from the host's. The range must lie inside `data` (checked before anything is allocated).
    static func elements<T: FixedWidthInteger>(_ type: T.Type, count: Int, from data: Data, at offset: Int,
                                               littleEndian: Bool) -> [T]? {
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<T>.size)
        guard !overflow, count >= 0, offset >= 0, offset <= data.count, byteCount <= data.count - offset else { return nil }
        var out = [T](repeating: 0, count: count)
        if byteCount > 0 {
            let start = data.startIndex + offset
            out.withUnsafeMutableBytes { destination in
                _ = data.copyBytes(to: destination, from: start..<(start + byteCount))
            }
        }
        if littleEndian != hostIsLittleEndian && MemoryLayout<T>.size > 1 {
            for i in out.indices { out[i] = out[i].byteSwapped }
        }
        return out
    }

    /// Decodes `count` elements of `dtype` at `offset` into `NumericArray` storage.
    static func values(_ dtype: DType, count: Int, from data: Data, at offset: Int,
                       littleEndian: Bool) -> NumericArray.Values? {
        switch dtype {
        case .float32:
            return elements(UInt32.self, count: count, from: data, at: offset, littleEndian: littleEndian)
                .map { .float($0.map { Float(bitPattern: $0) }) }
        case .float16:
            return elements(UInt16.self, count: count, from: data, at: offset, littleEndian: littleEndian)
                .map { .float($0.map(HalfPrecision.float(fromHalf:))) }
        case .bfloat16:
            return elements(UInt16.self, count: count, from: data, at: offset, littleEndian: littleEndian)
                .map { .float($0.map(HalfPrecision.float(fromBFloat16:))) }
        case .float64:
            return elements(UInt64.self, count: count, from: data, at: offset, littleEndian: littleEndian)
                .map { .double($0.map { Double(bitPattern: $0) }) }
        case .int8:
            return elements(Int8.self, count: count, from: data, at: offset, littleEndian: littleEndian)
                .map { .integer($0.map { Int64($0) }) }
        case .int16:
            return elements(Int16.self, count: count, from: data, at: offset, littleEndian: littleEndian)
                .map { .integer($0.map { Int64($0) }) }
        case .int32:
            return elements(Int32.self, count: count, from: data, at: offset, littleEndian: littleEndian)
                .map { .integer($0.map { Int64($0) }) }
        case .int64:
            return elements(Int64.self, count: count, from: data, at: offset, littleEndian: littleEndian)
                .map { .integer($0) }
        case .uint8:
            return elements(UInt8.self, count: count, from: data, at: offset, littleEndian: littleEndian)
                .map { .unsigned($0.map { UInt64($0) }) }
        case .bool:
            return elements(UInt8.self, count: count, from: data, at: offset, littleEndian: littleEndian)
                .map { .unsigned($0.map { $0 == 0 ? 0 : 1 }) }
        case .uint16:
            return elements(UInt16.self, count: count, from: data, at: offset, littleEndian: littleEndian)
                .map { .unsigned($0.map { UInt64($0) }) }
        case .uint32:
            return elements(UInt32.self, count: count, from: data, at: offset, littleEndian: littleEndian)
                .map { .unsigned($0.map { UInt64($0) }) }
        case .uint64:
            return elements(UInt64.self, count: count, from: data, at: offset, littleEndian: littleEndian)
                .map { .unsigned($0) }
        }
    }
}
