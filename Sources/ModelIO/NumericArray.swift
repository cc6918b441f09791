import Numerics

/// Element types of the arrays found in model files.
public enum DType: String, Sendable, CaseIterable {
    case float16, bfloat16, float32, float64, int8, int16, int32, int64, uint8, uint16, uint32, uint64, bool

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .int8, .uint8, .bool: return 1
        case .float16, .bfloat16, .int16, .uint16: return 2
        case .float32, .int32, .uint32: return 4
        case .float64, .int64, .uint64: return 8
        }
    }

    /// Whether the type is floating point.
    public var isFloatingPoint: Bool { self == .float16 || self == .bfloat16 || self == .float32 || self == .float64 }
}

/// An array read from a file: shape, element type and its elements kept in the widest matching Swift
/// type (floats as Double would lose nothing, but Float32 data stays bit-exact as `Float`).
public struct NumericArray: Sendable, Equatable {
    /// Element storage.
    public enum Values: Sendable, Equatable {
        case float([Float])
        case double([Double])
        case integer([Int64])
        case unsigned([UInt64])
    }

    public let shape: [Int]
    public let dtype: DType
    public let values: Values

    public init(shape: [Int], dtype: DType, values: Values) {
        self.shape = shape
        self.dtype = dtype
        self.values = values
    }

    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// The elements as Float32 (float64 rounded, integers converted).
    public var floats: [Float] {
        switch values {
        case let .float(v): return v
        case let .double(v): return v.map { Float($0) }
        case let .integer(v): return v.map { Float($0) }
        case let .unsigned(v): return v.map { Float($0) }
        }
    }

    /// The elements as Int64 when the array holds integers, else nil.
    public var integers: [Int64]? {
        switch values {
        case let .integer(v): return v
        case let .unsigned(v): return v.allSatisfy { $0 <= UInt64(Int64.max) } ? v.map { Int64($0) } : nil
        default: return nil
        }
    }

    /// The array as a Float32 tensor of the same shape.
    public func tensor() throws -> Tensor {
        try Tensor(shape: shape, scalars: floats)
    }
}
