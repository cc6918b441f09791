/// Errors raised by Numerics operations. Messages name the operation and both sides of a mismatch.
public enum NumericsError: Error, CustomStringConvertible, Equatable {
    /// Two shapes that had to agree did not.
    case shapeMismatch(operation: String, got: [Int], expected: [Int])
    /// A shape or parameter is invalid on its own (negative size, count overflow, bad argument).
    case invalidArgument(operation: String, reason: String)

    public var description: String {
        switch self {
        case let .shapeMismatch(operation, got, expected):
            return "\(operation): shape \(got) does not match \(expected)"
        case let .invalidArgument(operation, reason):
            return "\(operation): \(reason)"
        }
    }
}

/// Element count of a shape, or nil when a dimension is negative or the product overflows.
@inlinable
public func elementCount(of shape: [Int]) -> Int? {
    var n = 1
    for d in shape {
        guard d >= 0 else { return nil }
        let (p, o) = n.multipliedReportingOverflow(by: d)
        if o { return nil }
        n = p
    }
    return n
}

/// Contiguous Float32 storage shared by tensors until one of them writes (copy on write).
///
/// Safety of `@unchecked Sendable`: the buffer is only mutated through `Tensor`'s mutating accessors,
/// which first make the storage uniquely referenced (`isKnownUniquelyReferenced`), so a storage visible
/// to more than one tensor (and therefore possibly more than one thread) is never written.
public final class TensorStorage: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<Float>
    public let count: Int

    init(count: Int) {
        self.count = count
        pointer = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
    }

    deinit { pointer.deallocate() }
}

/// A dense row-major Float32 tensor with value semantics (copy on write).
///
/// `reshaped` and `rows(_:)` share storage with the original (no copy); the first write to a shared
/// tensor copies its elements.
public struct Tensor: Sendable {
    /// Dimensions, outermost first. The last index varies fastest.
    public private(set) var shape: [Int]
    /// Number of elements (product of `shape`).
    public let count: Int
    @usableFromInline var storage: TensorStorage
    /// Offset of element 0 inside `storage` (non-zero for row views).
    @usableFromInline let offset: Int

    /// A tensor of the given shape filled with `value`.
    public init(shape: [Int], repeating value: Float = 0) throws {
        guard let n = elementCount(of: shape) else {
            throw NumericsError.invalidArgument(operation: "Tensor", reason: "invalid shape \(shape)")
        }
        self.shape = shape
        count = n
        storage = TensorStorage(count: n)
        offset = 0
        storage.pointer.initialize(repeating: value, count: max(n, 1))
    }

    /// A tensor holding `scalars` (row-major); their count must match the shape.
    public init(shape: [Int], scalars: [Float]) throws {
        guard let n = elementCount(of: shape) else {
            throw NumericsError.invalidArgument(operation: "Tensor", reason: "invalid shape \(shape)")
        }
        guard n == scalars.count else {
            throw NumericsError.shapeMismatch(operation: "Tensor(shape:scalars:)", got: [scalars.count], expected: shape)
        }
        self.shape = shape
        count = n
        storage = TensorStorage(count: n)
        offset = 0
        scalars.withUnsafeBufferPointer { src in
            if n > 0 { storage.pointer.initialize(from: src.baseAddress!, count: n) }
        }
    }

    /// A zero-filled tensor. Shapes must be valid (non-negative, no overflow); use `init(shape:repeating:)`
    /// for shapes from untrusted input.
    public static func zeros(_ shape: [Int]) -> Tensor {
        guard let n = elementCount(of: shape) else { preconditionFailure("Tensor.zeros: invalid shape \(shape)") }
        let storage = TensorStorage(count: n)
        storage.pointer.initialize(repeating: 0, count: max(n, 1))
        return Tensor(shape: shape, count: n, storage: storage, offset: 0)
    }

    @usableFromInline init(shape: [Int], count: Int, storage: TensorStorage, offset: Int) {
        self.shape = shape
        self.count = count
        self.storage = storage
        self.offset = offset
    }

    /// Number of dimensions.
    public var rank: Int { shape.count }

    /// The elements, row-major.
    public var scalars: [Float] {
        withUnsafeBufferPointer { Array($0) }
    }

    /// Read access to the elements.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.pointer + offset, count: count))
    }

    /// Write access to the elements; copies them first when the storage is shared.
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        makeUnique()
        return try body(UnsafeMutableBufferPointer(start: storage.pointer + offset, count: count))
    }

    @usableFromInline mutating func makeUnique() {
        if isKnownUniquelyReferenced(&storage) && offset == 0 && storage.count == count { return }
        let copy = TensorStorage(count: count)
        copy.pointer.initialize(from: storage.pointer + offset, count: count)
        self = Tensor(shape: shape, count: count, storage: copy, offset: 0)
    }

    /// The same elements under another shape (no copy). The element counts must agree.
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        guard let n = elementCount(of: newShape), n == count else {
            throw NumericsError.shapeMismatch(operation: "reshape", got: shape, expected: newShape)
        }
        return Tensor(shape: newShape, count: count, storage: storage, offset: offset)
    }

    /// Rows `range` of the outermost dimension, sharing storage (no copy).
    public func rows(_ range: Range<Int>) throws -> Tensor {
        guard let first = shape.first, range.lowerBound >= 0, range.upperBound <= first else {
            throw NumericsError.invalidArgument(operation: "rows", reason: "range \(range) outside shape \(shape)")
        }
        let rowSize = first == 0 ? 0 : count / first
        var newShape = shape
        newShape[0] = range.count
        return Tensor(shape: newShape, count: rowSize * range.count, storage: storage,
                      offset: offset + rowSize * range.lowerBound)
    }

    /// Element at a flat (row-major) index.
    @inlinable
    public subscript(flat index: Int) -> Float {
        get {
            precondition(index >= 0 && index < count, "Tensor index \(index) out of range 0..<\(count)")
            return storage.pointer[offset + index]
        }
        set {
            precondition(index >= 0 && index < count, "Tensor index \(index) out of range 0..<\(count)")
            makeUnique()
            storage.pointer[offset + index] = newValue
        }
    }

    /// Throws unless the shape equals `expected`; `operation` names the caller in the message.
    public func checkShape(_ expected: [Int], _ operation: String) throws {
        guard shape == expected else {
            throw NumericsError.shapeMismatch(operation: operation, got: shape, expected: expected)
        }
    }
}

extension Tensor: Equatable {
    /// Shapes and elements equal (elementwise `==`, so NaN is unequal to itself).
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        guard lhs.shape == rhs.shape else { return false }
        return lhs.withUnsafeBufferPointer { a in
            rhs.withUnsafeBufferPointer { b in
                for i in 0..<a.count where a[i] != b[i] { return false }
                return true
            }
        }
    }
}
