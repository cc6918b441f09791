/// Copies and index moves for reshaping-type operations and their gradients. A tensor is read along one
/// `axis` as `[outer, axisSize, inner]` (outer = product of the axes before, inner = after).
extension Tensor {
    /// `(outer, inner)` around `axis`, or a thrown error naming `operation` when the axis is outside the shape.
    public func split(around axis: Int, _ operation: String) throws -> (outer: Int, inner: Int) {
        guard axis >= 0, axis < rank else {
            throw NumericsError.invalidArgument(operation: operation, reason: "axis \(axis) outside shape \(shape)")
        }
        return (shape[..<axis].reduce(1, *), shape[(axis + 1)...].reduce(1, *))
    }

    /// `parts` joined along `axis`; all other axes must agree.
    public static func concatenating(_ parts: [Tensor], axis: Int) throws -> Tensor {
        guard let first = parts.first else {
            throw NumericsError.invalidArgument(operation: "concatenate", reason: "no tensors")
        }
        let (outer, inner) = try first.split(around: axis, "concatenate")
        var outShape = first.shape
        outShape[axis] = 0
        for part in parts {
            var expected = first.shape
            expected[axis] = part.rank == first.rank ? part.shape[axis] : -1
            try part.checkShape(expected, "concatenate along axis \(axis)")
            outShape[axis] += part.shape[axis]
        }
        var out = Tensor.zeros(outShape)
        let outRow = outShape[axis] * inner
        var offset = 0
        for part in parts {
            let block = part.shape[axis] * inner
            part.withUnsafeBufferPointer { src in
                out.withUnsafeMutableBufferPointer { dst in
                    guard let s = src.baseAddress, let d = dst.baseAddress else { return }
                    for o in 0..<outer { (d + o * outRow + offset).update(from: s + o * block, count: block) }
                }
            }
            offset += block
        }
        return out
    }

    /// Entries `range` of `axis` (a copy).
    public func slice(axis: Int, range: Range<Int>) throws -> Tensor {
        let (outer, inner) = try split(around: axis, "slice")
        guard range.lowerBound >= 0, range.upperBound <= shape[axis] else {
            throw NumericsError.invalidArgument(operation: "slice", reason: "range \(range) outside axis \(axis) of \(shape)")
        }
        var outShape = shape
        outShape[axis] = range.count
        var out = Tensor.zeros(outShape)
        let row = shape[axis] * inner, block = range.count * inner
        withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                guard let s = src.baseAddress, let d = dst.baseAddress else { return }
                for o in 0..<outer { (d + o * block).update(from: s + o * row + range.lowerBound * inner, count: block) }
            }
        }
        return out
    }

    /// Adds `piece` into entries `start ..< start + piece.shape[axis]` of `axis`, in place (the gradient of a
    /// slice, and the split of a concatenation's gradient in reverse).
    public mutating func addSlice(_ piece: Tensor, axis: Int, start: Int) throws {
        let (outer, inner) = try split(around: axis, "addSlice")
        var expected = shape
        expected[axis] = piece.rank == rank ? piece.shape[axis] : -1
        try piece.checkShape(expected, "addSlice along axis \(axis)")
        guard start >= 0, start + piece.shape[axis] <= shape[axis] else {
            throw NumericsError.invalidArgument(operation: "addSlice",
                                                reason: "start \(start) + \(piece.shape[axis]) outside axis \(axis) of \(shape)")
        }
        let row = shape[axis] * inner, block = piece.shape[axis] * inner
        piece.withUnsafeBufferPointer { src in
            withUnsafeMutableBufferPointer { dst in
                guard let s = src.baseAddress, let d = dst.baseAddress else { return }
                for o in 0..<outer {
                    let target = d + o * row + start * inner, source = s + o * block
                    for i in 0..<block { target[i] += source[i] }
                }
            }
        }
    }

    /// The axes reordered: result axis `i` is input axis `axes[i]` (a copy; PyTorch `permute`).
    public func permuted(_ axes: [Int]) throws -> Tensor {
        guard axes.count == rank, Set(axes) == Set(0..<rank) else {
            throw NumericsError.invalidArgument(operation: "permute", reason: "axes \(axes) for shape \(shape)")
        }
        if axes == Array(0..<rank) { return self }
        var inputStrides = [Int](repeating: 1, count: rank)
        for i in stride(from: rank - 2, through: 0, by: -1) { inputStrides[i] = inputStrides[i + 1] * shape[i + 1] }
        let outShape = axes.map { shape[$0] }
        let sourceStrides = axes.map { inputStrides[$0] }
        var out = Tensor.zeros(outShape)
        let zero = [Int](repeating: 0, count: rank)
        let inner = outShape.last ?? 1, step = sourceStrides.last ?? 0
        withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                guard let s = src.baseAddress, let d = dst.baseAddress else { return }
                Broadcast.forEachRow(outShape, sourceStrides, zero) { o, source, _ in
                    for i in 0..<inner { d[o + i] = s[source + i * step] }
                }
            }
        }
        return out
    }

    /// Entries of `axis` picked by index: with `indices.count == m` the same `m` entries for every outer
    /// position (PyTorch `index_select`); with `indices.count == outer · m`, row `o` picks
    /// `indices[o·m ..< (o+1)·m]` (`take_along_axis` with the index broadcast over the inner axes).
    /// The result has `m` entries on `axis`.
    public func gathered(axis: Int, indices: [Int], count m: Int) throws -> Tensor {
        let (outer, inner) = try checkGather(axis: axis, indices: indices, count: m, "gather")
        var outShape = shape
        outShape[axis] = m
        var out = Tensor.zeros(outShape)
        let perRow = indices.count == m ? 0 : m
        let size = shape[axis]
        withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                guard let s = src.baseAddress, let d = dst.baseAddress else { return }
                for o in 0..<outer {
                    for j in 0..<m {
                        let k = indices[o * perRow + j]
                        (d + (o * m + j) * inner).update(from: s + (o * size + k) * inner, count: inner)
                    }
                }
            }
        }
        return out
    }

    /// The gradient of `gathered`: adds `gradient` (the gathered shape) back into the picked entries of this
    /// tensor (the source's shape), in place; repeated indices accumulate.
    public mutating func scatterAdd(_ gradient: Tensor, axis: Int, indices: [Int], count m: Int) throws {
        let (outer, inner) = try checkGather(axis: axis, indices: indices, count: m, "scatterAdd")
        var expected = shape
        expected[axis] = m
        try gradient.checkShape(expected, "scatterAdd gradient")
        let perRow = indices.count == m ? 0 : m
        let size = shape[axis]
        gradient.withUnsafeBufferPointer { src in
            withUnsafeMutableBufferPointer { dst in
                guard let s = src.baseAddress, let d = dst.baseAddress else { return }
                for o in 0..<outer {
                    for j in 0..<m {
                        let target = d + (o * size + indices[o * perRow + j]) * inner, source = s + (o * m + j) * inner
                        for i in 0..<inner { target[i] += source[i] }
                    }
                }
            }
        }
    }

    /// Per row of the last axis (`[rows, K]` read from any rank >= 1), the indices `0..<K` ordered by
    /// ascending value, ties in index order (a stable sort, as the inference compositor's depth sort; NaN
    /// never compares less). `rows · K` indices, row-major, ready for `gathered(axis:indices:count:)`.
    public func stableSortIndicesAlongLastAxis() -> [Int] {
        guard let k = shape.last, k > 0 else { return [] }
        let rows = count / k
        var order = [Int](repeating: 0, count: count)
        withUnsafeBufferPointer { v in
            for r in 0..<rows {
                let base = r * k
                for i in 0..<k { order[base + i] = i }
                // Insertion sort: stable, and fast for the short rows it serves (24-ish entries).
                if k > 1 {
                    for i in 1..<k {
                        let item = order[base + i], key = v[base + item]
                        var j = i - 1
                        while j >= 0 && v[base + order[base + j]] > key {
                            order[base + j + 1] = order[base + j]
                            j -= 1
                        }
                        order[base + j + 1] = item
                    }
                }
            }
        }
        return order
    }

    private func checkGather(axis: Int, indices: [Int], count m: Int, _ operation: String) throws -> (Int, Int) {
        let (outer, inner) = try split(around: axis, operation)
        guard m >= 0, indices.count == m || indices.count == outer * m else {
            throw NumericsError.invalidArgument(
                operation: operation, reason: "\(indices.count) indices, expected \(m) or \(outer) x \(m) for axis \(axis) of \(shape)")
        }
        let size = shape[axis]
        if let bad = indices.first(where: { $0 < 0 || $0 >= size }) {
            throw NumericsError.invalidArgument(operation: operation, reason: "index \(bad) outside 0..<\(size) on axis \(axis) of \(shape)")
        }
        return (outer, inner)
    }
}
