/// A binary elementwise operation for `Tensor.broadcasting(_:_:_:)`.
public enum BroadcastOperation: Sendable, Equatable {
    case add, subtract, multiply, divide
}

/// NumPy/PyTorch broadcasting: shapes are right-aligned; an axis of size 1 (or a missing leading axis)
/// stretches to the other operand's size.
public enum Broadcast {
    /// The broadcast shape of `a` and `b`, or nil when an axis pair is neither equal nor contains a 1.
    public static func shape(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            if da == db || db == 1 { out[i] = da } else if da == 1 { out[i] = db } else { return nil }
        }
        return out
    }

    /// Element strides of `shape` read as a tensor of `outShape` (right-aligned; 0 on broadcast axes).
    static func strides(of shape: [Int], in outShape: [Int]) -> [Int] {
        let rank = outShape.count, lead = rank - shape.count
        var strides = [Int](repeating: 0, count: rank)
        var step = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[lead + i] = shape[i] == 1 && outShape[lead + i] != 1 ? 0 : step
            step *= shape[i]
        }
        return strides
    }

    /// Calls `body(outOffset, aOffset, bOffset)` for every row of the innermost axis of `outShape`
    /// (the row has `outShape.last` elements; the operands advance by their last stride per element).
    @inline(__always)
    static func forEachRow(_ outShape: [Int], _ sa: [Int], _ sb: [Int],
                           _ body: (_ out: Int, _ a: Int, _ b: Int) -> Void) {
        let rank = outShape.count
        guard rank > 0 else { body(0, 0, 0); return }
        let inner = outShape[rank - 1]
        let rows = inner == 0 ? 0 : outShape.reduce(1, *) / inner
        var index = [Int](repeating: 0, count: rank)
        var oa = 0, ob = 0
        for row in 0..<rows {
            body(row * inner, oa, ob)
            // Odometer over axes rank-2 ... 0.
            var axis = rank - 2
            while axis >= 0 {
                index[axis] += 1
                oa += sa[axis]; ob += sb[axis]
                if index[axis] < outShape[axis] { break }
                oa -= sa[axis] * outShape[axis]; ob -= sb[axis] * outShape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }
}

extension Tensor {
    /// `a op b` elementwise with broadcasting; the result has the broadcast shape.
    public static func broadcasting(_ op: BroadcastOperation, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        guard let outShape = Broadcast.shape(a.shape, b.shape) else {
            throw NumericsError.shapeMismatch(operation: "broadcast \(op)", got: a.shape, expected: b.shape)
        }
        var out = Tensor.zeros(outShape)
        let sa = Broadcast.strides(of: a.shape, in: outShape), sb = Broadcast.strides(of: b.shape, in: outShape)
        a.withUnsafeBufferPointer { ab in
            b.withUnsafeBufferPointer { bb in
                out.withUnsafeMutableBufferPointer { ob in
                    guard let x = ab.baseAddress, let y = bb.baseAddress, let z = ob.baseAddress else { return }
                    if a.shape == b.shape {
                        binary(op, x, 1, y, 1, z, count: ob.count)
                        return
                    }
                    let inner = outShape.last ?? 1
                    let ia = sa.last ?? 0, ib = sb.last ?? 0
                    Broadcast.forEachRow(outShape, sa, sb) { o, oa, obb in
                        binary(op, x + oa, ia, y + obb, ib, z + o, count: inner)
                    }
                }
            }
        }
        return out
    }

    @inline(__always)
    static func binary(_ op: BroadcastOperation, _ a: UnsafePointer<Float>, _ sa: Int, _ b: UnsafePointer<Float>,
                       _ sb: Int, _ out: UnsafeMutablePointer<Float>, count: Int) {
        switch op {
        case .add: for i in 0..<count { out[i] = a[i * sa] + b[i * sb] }
        case .subtract: for i in 0..<count { out[i] = a[i * sa] - b[i * sb] }
        case .multiply: for i in 0..<count { out[i] = a[i * sa] * b[i * sb] }
        case .divide: for i in 0..<count { out[i] = a[i * sa] / b[i * sb] }
        }
    }

    /// This tensor stretched to `shape` (which `self.shape` must broadcast to).
    public func broadcasted(to shape: [Int]) throws -> Tensor {
        guard Broadcast.shape(self.shape, shape) == shape else {
            throw NumericsError.shapeMismatch(operation: "broadcast to", got: self.shape, expected: shape)
        }
        if self.shape == shape { return self }
        return try Tensor.broadcasting(.add, Tensor.zeros(shape), self)
    }

    /// The sum of this tensor over the axes where `shape` was broadcast to `self.shape` (the gradient of a
    /// broadcast): the result has `shape`. Sums are accumulated in Double.
    public func sumReduced(to shape: [Int]) throws -> Tensor {
        guard Broadcast.shape(shape, self.shape) == self.shape else {
            throw NumericsError.shapeMismatch(operation: "sumReduced", got: self.shape, expected: shape)
        }
        if shape == self.shape { return self }
        let targetStrides = Broadcast.strides(of: shape, in: self.shape)
        let targetCount = shape.reduce(1, *)
        var accumulator = [Double](repeating: 0, count: targetCount)
        let inner = self.shape.last ?? 1, step = targetStrides.last ?? 0
        let zero = [Int](repeating: 0, count: self.shape.count)
        withUnsafeBufferPointer { src in
            accumulator.withUnsafeMutableBufferPointer { acc in
                guard let s = src.baseAddress, let t = acc.baseAddress else { return }
                Broadcast.forEachRow(self.shape, targetStrides, zero) { o, target, _ in
                    let row = s + o
                    if step == 0 {
                        var total = 0.0
                        for i in 0..<inner { total += Double(row[i]) }
                        t[target] += total
                    } else {
                        for i in 0..<inner { t[target + i * step] += Double(row[i]) }
                    }
                }
            }
        }
        return try Tensor(shape: shape, scalars: accumulator.map { Float($0) })
    }

    /// Sum over one axis (accumulated in Double); the axis is removed from the shape.
    public func sum(axis: Int) throws -> Tensor {
        guard axis >= 0, axis < rank else {
            throw NumericsError.invalidArgument(operation: "sum(axis:)", reason: "axis \(axis) outside shape \(shape)")
        }
        var kept = shape
        kept[axis] = 1
        var removed = shape
        removed.remove(at: axis)
        return try sumReduced(to: kept).reshaped(removed)
    }

    /// Sum of every element, accumulated in Double.
    public func sumOfElements() -> Double {
        withUnsafeBufferPointer { b in
            var total = 0.0
            for v in b { total += Double(v) }
            return total
        }
    }

    /// `self += scale · other` (same shapes), in place.
    public mutating func add(_ other: Tensor, scaledBy scale: Float = 1) throws {
        try other.checkShape(shape, "add(_:scaledBy:)")
        other.withUnsafeBufferPointer { src in
            withUnsafeMutableBufferPointer { dst in
                if scale == 1 {
                    for i in 0..<dst.count { dst[i] += src[i] }
                } else {
                    for i in 0..<dst.count { dst[i] += scale * src[i] }
                }
            }
        }
    }

    /// Every element multiplied by `scale`.
    public func scaled(by scale: Float) -> Tensor {
        var out = self
        out.withUnsafeMutableBufferPointer { b in
            for i in 0..<b.count { b[i] *= scale }
        }
        return out
    }

    /// `self += alpha · op(a) · op(b)` for rank-2 operands, through one GEMM with `beta = 1` (no temporary).
    public mutating func addMatrixProduct(_ a: Tensor, _ transposeA: Transpose, _ b: Tensor, _ transposeB: Transpose,
                                          alpha: Float = 1) throws {
        guard a.rank == 2, b.rank == 2, rank == 2 else {
            throw NumericsError.invalidArgument(operation: "addMatrixProduct",
                                                reason: "needs rank-2 operands, got \(a.shape), \(b.shape) into \(shape)")
        }
        let (m, k) = transposeA == .none ? (a.shape[0], a.shape[1]) : (a.shape[1], a.shape[0])
        let (k2, n) = transposeB == .none ? (b.shape[0], b.shape[1]) : (b.shape[1], b.shape[0])
        guard k == k2, shape == [m, n] else {
            throw NumericsError.shapeMismatch(operation: "addMatrixProduct", got: [m, k, k2, n], expected: shape)
        }
        guard k > 0 else { return }
        let lda = a.shape[1], ldb = b.shape[1]
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                withUnsafeMutableBufferPointer { cp in
                    guard let x = ap.baseAddress, let y = bp.baseAddress, let z = cp.baseAddress else { return }
                    GEMM.sgemm(transposeA, transposeB, m: m, n: n, k: k, alpha: alpha, a: x, lda: lda,
                               b: y, ldb: ldb, beta: 1, c: z, ldc: n)
                }
            }
        }
    }
}
