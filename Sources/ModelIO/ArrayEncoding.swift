import Foundation
import Numerics

extension NumericArray {
    /// The array whose elements are `tensor`'s (float32, same shape).
    public init(_ tensor: Tensor) {
        self.init(shape: tensor.shape, dtype: .float32, values: .float(tensor.scalars))
    }

    /// The array with values of type `dtype` (floats rounded to nearest, integers checked for range).
    public func converted(to target: DType) throws -> NumericArray {
        if target == dtype { return self }
        switch target {
        case .float32, .float16, .bfloat16:
            // float16 / bfloat16 keep Float storage, rounded to the narrower type.
            let f = floats
            let rounded: [Float]
            switch target {
            case .float16: rounded = f.map { HalfPrecision.float(fromHalf: HalfPrecision.half(from: $0)) }
            case .bfloat16: rounded = f.map { HalfPrecision.float(fromBFloat16: HalfPrecision.bfloat16(from: $0)) }
            default: rounded = f
            }
            return NumericArray(shape: shape, dtype: target, values: .float(rounded))
        case .float64:
            switch values {
            case let .float(v): return NumericArray(shape: shape, dtype: target, values: .double(v.map { Double($0) }))
            case let .double(v): return NumericArray(shape: shape, dtype: target, values: .double(v))
            case let .integer(v): return NumericArray(shape: shape, dtype: target, values: .double(v.map { Double($0) }))
            case let .unsigned(v): return NumericArray(shape: shape, dtype: target, values: .double(v.map { Double($0) }))
            }
        default:
            guard let range = target.integerRange else { preconditionFailure("integer dtype without a range") }
            let wide: [Int64]
            switch values {
            case let .integer(v): wide = v
            case let .unsigned(v):
                guard v.allSatisfy({ $0 <= UInt64(Int64.max) }) || target == .uint64 else {
                    throw ModelIOError.unsupported(path: "<array>", reason: "values do not fit \(target.rawValue)")
                }
                if target == .uint64 { return NumericArray(shape: shape, dtype: target, values: .unsigned(v)) }
                wide = v.map { Int64($0) }
            case .float, .double:
                throw ModelIOError.unsupported(path: "<array>", reason: "converting \(dtype.rawValue) to \(target.rawValue)")
            }
            if target == .bool {
                return NumericArray(shape: shape, dtype: target, values: .unsigned(wide.map { $0 != 0 ? 1 : 0 }))
            }
            guard wide.allSatisfy({ range.contains($0) }) else {
                throw ModelIOError.unsupported(path: "<array>", reason: "values do not fit \(target.rawValue)")
            }
            let isSigned = [DType.int8, .int16, .int32, .int64].contains(target)
            return NumericArray(shape: shape, dtype: target,
                                values: isSigned ? .integer(wide) : .unsigned(wide.map { UInt64($0) }))
        }
    }

    /// The elements as little-endian bytes of `dtype`. Throws when the stored values do not fit it.
    func littleEndianBytes() throws -> Data {
        func pack<T: FixedWidthInteger>(_ v: [T]) -> Data {
            let le = Bytes.hostIsLittleEndian ? v : v.map { $0.littleEndian }
            return le.withUnsafeBytes { Data($0) }
        }
        guard count == valueCount else {
            throw ModelIOError.malformed(path: "<array>", reason: "shape \(shape) holds \(count) elements, the array has \(valueCount)")
        }
        let array = try converted(to: dtype).normalisedStorage()
        switch (array.dtype, array.values) {
        case let (.float32, .float(v)): return pack(v.map(\.bitPattern))
        case let (.float16, .float(v)): return pack(v.map(HalfPrecision.half(from:)))
        case let (.bfloat16, .float(v)): return pack(v.map(HalfPrecision.bfloat16(from:)))
        case let (.float64, .double(v)): return pack(v.map(\.bitPattern))
        case let (.int8, .integer(v)): return pack(v.map { Int8(truncatingIfNeeded: $0) })
        case let (.int16, .integer(v)): return pack(v.map { Int16(truncatingIfNeeded: $0) })
        case let (.int32, .integer(v)): return pack(v.map { Int32(truncatingIfNeeded: $0) })
        case let (.int64, .integer(v)): return pack(v)
        case let (.uint8, .unsigned(v)), let (.bool, .unsigned(v)): return pack(v.map { UInt8(truncatingIfNeeded: $0) })
        case let (.uint16, .unsigned(v)): return pack(v.map { UInt16(truncatingIfNeeded: $0) })
        case let (.uint32, .unsigned(v)): return pack(v.map { UInt32(truncatingIfNeeded: $0) })
        case let (.uint64, .unsigned(v)): return pack(v)
        default:
            throw ModelIOError.unsupported(path: "<array>", reason: "\(array.dtype.rawValue) array with mismatched storage")
        }
    }

    /// Number of stored values.
    var valueCount: Int {
        switch values {
        case let .float(v): return v.count
        case let .double(v): return v.count
        case let .integer(v): return v.count
        case let .unsigned(v): return v.count
        }
    }

    /// The same array with storage matching its dtype (float types in `.float`/`.double`, signed in
    /// `.integer`, unsigned and bool in `.unsigned`); values outside the type's range throw.
    private func normalisedStorage() throws -> NumericArray {
        switch (dtype, values) {
        case (.float32, .float), (.float16, .float), (.bfloat16, .float), (.float64, .double): return self
        case (.float32, _), (.float16, _), (.bfloat16, _):
            return NumericArray(shape: shape, dtype: dtype, values: .float(floats))
        case let (.float64, .float(v)): return NumericArray(shape: shape, dtype: dtype, values: .double(v.map { Double($0) }))
        case let (.float64, .integer(v)): return NumericArray(shape: shape, dtype: dtype, values: .double(v.map { Double($0) }))
        case let (.float64, .unsigned(v)): return NumericArray(shape: shape, dtype: dtype, values: .double(v.map { Double($0) }))
        default:
            let other = NumericArray(shape: shape, dtype: .int64, values: values)
            if case .unsigned = values, dtype == .uint64 { return self }
            if case .float = values { throw ModelIOError.unsupported(path: "<array>", reason: "\(dtype.rawValue) array holding floats") }
            if case .double = values { throw ModelIOError.unsupported(path: "<array>", reason: "\(dtype.rawValue) array holding floats") }
            return try other.converted(to: dtype)
        }
    }
}

extension DType {
    /// The representable range of an integer dtype (bool: 0...1), or nil for floats.
    var integerRange: ClosedRange<Int64>? {
        switch self {
        case .int8: return Int64(Int8.min)...Int64(Int8.max)
        case .int16: return Int64(Int16.min)...Int64(Int16.max)
        case .int32: return Int64(Int32.min)...Int64(Int32.max)
        case .int64: return Int64.min...Int64.max
        case .uint8: return 0...Int64(UInt8.max)
        case .uint16: return 0...Int64(UInt16.max)
        case .uint32: return 0...Int64(UInt32.max)
        case .uint64: return 0...Int64.max
        case .bool: return 0...1
        case .float16, .bfloat16, .float32, .float64: return nil
        }
    }
}
