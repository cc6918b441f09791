import Foundation
import Numerics

/// NumPy `.npy` files (format versions 1.0, 2.0 and 3.0): numeric and bool arrays, either byte order,
/// C or Fortran order. Arrays always come back in C (row-major) order.
public enum NPY {
    static let magic: [UInt8] = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]  // "\x93NUMPY"

    /// Reads the `.npy` file at `path`.
    public static func read(_ path: String) throws -> NumericArray {
        try decode(try Bytes.readFile(path), path: path)
    }

    /// Parses `.npy` bytes; `path` names the source in errors.
    public static func decode(_ data: Data, path: String = "<memory>") throws -> NumericArray {
        func bad(_ reason: String) -> ModelIOError { .malformed(path: path, reason: reason) }
        guard data.count >= 10, (0..<6).allSatisfy({ Bytes.byte(data, $0) == magic[$0] }) else {
            throw bad("not a .npy file (no \\x93NUMPY magic)")
        }
        let major = Bytes.byte(data, 6) ?? 0
        let headerLength: Int
        let headerStart: Int
        switch major {
        case 1:
            headerLength = Int(Bytes.littleEndian(data, at: 8, width: 2) ?? 0)
            headerStart = 10
        case 2, 3:
            guard let n = Bytes.littleEndian(data, at: 8, width: 4) else { throw bad("truncated header length") }
            headerLength = Int(n)
            headerStart = 12
        default:
            throw ModelIOError.unsupported(path: path, reason: ".npy format version \(major) (1, 2 and 3 are supported)")
        }
        guard headerLength <= data.count - headerStart else {
            throw bad("header of \(headerLength) bytes runs past the end of the file (\(data.count) bytes)")
        }
        let headerBytes = data.subdata(in: (data.startIndex + headerStart)..<(data.startIndex + headerStart + headerLength))
        guard let headerText = major == 3 ? String(data: headerBytes, encoding: .utf8)
                                          : String(data: headerBytes, encoding: .isoLatin1),
              let header = PythonLiteral.parse(headerText), case .dict = header else {
            throw bad("header is not a Python dict literal")
        }
        guard case let .string(descr)? = header["descr"] else {
            throw ModelIOError.unsupported(path: path, reason: "header 'descr' is not a simple type string (structured arrays are not supported)")
        }
        guard case let .boolean(fortranOrder)? = header["fortran_order"] else { throw bad("header lacks 'fortran_order'") }
        guard case let .sequence(dimensions)? = header["shape"] else { throw bad("header lacks 'shape'") }
        var shape: [Int] = []
        for d in dimensions {
            guard case let .integer(n) = d, n >= 0 else { throw bad("shape \(dimensions) has a non-integer or negative dimension") }
            shape.append(n)
        }
        let (dtype, littleEndian) = try parseDescr(descr, path: path)
        guard let count = elementCount(of: shape) else { throw bad("shape \(shape) overflows") }
        let dataStart = headerStart + headerLength
        let available = data.count - dataStart
        let (needed, overflow) = count.multipliedReportingOverflow(by: dtype.size)
        guard !overflow, needed == available else {
            throw bad("shape \(shape) of \(descr) needs \(overflow ? "more than \(Int.max)" : "\(needed)") bytes of data, the file has \(available)")
        }
        guard let values = Bytes.values(dtype, count: count, from: data, at: dataStart, littleEndian: littleEndian) else {
            throw bad("cannot read \(count) elements")
        }
        let array = NumericArray(shape: shape, dtype: dtype, values: values)
        return fortranOrder && shape.count > 1 ? array.fromFortranOrder() : array
    }

    /// The dtype and byte order of a descr string such as `<f4`, `>i8`, `|b1`.
    static func parseDescr(_ descr: String, path: String) throws -> (DType, littleEndian: Bool) {
        var scalars = Array(descr.unicodeScalars)
        var littleEndian = Bytes.hostIsLittleEndian
        if let first = scalars.first, "<>|=".unicodeScalars.contains(first) {
            if first == "<" { littleEndian = true }
            if first == ">" { littleEndian = false }
            scalars.removeFirst()
        }
        let code = String(String.UnicodeScalarView(scalars))
        let table: [String: DType] = [
            "f2": .float16, "f4": .float32, "f8": .float64, "e": .float16, "f": .float32, "d": .float64,
            "i1": .int8, "i2": .int16, "i4": .int32, "i8": .int64, "b": .int8,
            "u1": .uint8, "u2": .uint16, "u4": .uint32, "u8": .uint64, "B": .uint8,
            "b1": .bool, "?": .bool,
        ]
        guard let dtype = table[code] else {
            throw ModelIOError.unsupported(path: path, reason: "dtype '\(descr)' (numeric and bool types only)")
        }
        return (dtype, littleEndian)
    }

    /// The descr string numpy writes for `dtype` in little-endian order.
    static func descr(_ dtype: DType) -> String {
        switch dtype {
        case .float16: return "<f2"
        case .bfloat16: return "<f4"  // numpy has no bfloat16: written widened
        case .float32: return "<f4"
        case .float64: return "<f8"
        case .int8: return "|i1"
        case .int16: return "<i2"
        case .int32: return "<i4"
        case .int64: return "<i8"
        case .uint8: return "|u1"
        case .uint16: return "<u2"
        case .uint32: return "<u4"
        case .uint64: return "<u8"
        case .bool: return "|b1"
        }
    }
}

extension NumericArray {
    /// The same array with its elements reordered from column-major (Fortran) to row-major order.
    func fromFortranOrder() -> NumericArray {
        func permute<T>(_ v: [T]) -> [T] {
            // Column-major strides.
            var strides = [Int](repeating: 1, count: shape.count)
            for k in 1..<shape.count { strides[k] = strides[k - 1] * shape[k - 1] }
            var out: [T] = []
            out.reserveCapacity(v.count)
            var index = [Int](repeating: 0, count: shape.count)
            for _ in 0..<v.count {
                var source = 0
                for k in 0..<shape.count { source += index[k] * strides[k] }
                out.append(v[source])
                var k = shape.count - 1
                while k >= 0 {
                    index[k] += 1
                    if index[k] < shape[k] { break }
                    index[k] = 0
                    k -= 1
                }
            }
            return out
        }
        switch values {
        case let .float(v): return NumericArray(shape: shape, dtype: dtype, values: .float(permute(v)))
        case let .double(v): return NumericArray(shape: shape, dtype: dtype, values: .double(permute(v)))
        case let .integer(v): return NumericArray(shape: shape, dtype: dtype, values: .integer(permute(v)))
        case let .unsigned(v): return NumericArray(shape: shape, dtype: dtype, values: .unsigned(permute(v)))
        }
    }
}

extension NPY {
    /// The `.npy` bytes of `array`: little-endian, C order, format 1.0 (2.0 when the header needs it).
    /// bfloat16 arrays are written as float32 (numpy has no bfloat16).
    public static func encode(_ array: NumericArray) throws -> Data {
        let stored = array.dtype == .bfloat16 ? try array.converted(to: .float32) : array
        let shapeText = stored.shape.isEmpty ? "()"
            : stored.shape.count == 1 ? "(\(stored.shape[0]),)"
            : "(" + stored.shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr(stored.dtype))', 'fortran_order': False, 'shape': \(shapeText), }"
        let version: UInt8 = header.utf8.count + 12 > 65535 ? 2 : 1
        let prefix = version == 1 ? 10 : 12
        while (prefix + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        let n = header.utf8.count
        var out = Data(magic + [version, 0])
        out.append(contentsOf: version == 1 ? [UInt8(n & 0xff), UInt8(n >> 8)]
                                           : (0..<4).map { UInt8((n >> (8 * $0)) & 0xff) })
        out.append(contentsOf: Array(header.utf8))
        out.append(try stored.littleEndianBytes())
        return out
    }

    /// Writes `array` to `path` as `.npy` (temporary file, then rename).
    public static func write(_ array: NumericArray, to path: String) throws {
        try AtomicFile.write(try encode(array), to: path)
    }
}
