import Numerics

extension Tape {
    /// The same elements under `shape` (no copy); the gradient is reshaped back.
    public func reshape(_ x: Variable, _ shape: [Int]) throws -> Variable {
        let out = try value(x).reshaped(shape)
        return try record(out, inputs: [x]) { g, tape in try tape.accumulate(g.reshaped(x.shape), into: x) }
    }

    /// `parts` joined along `axis` (other axes equal).
    public func concatenate(_ parts: [Variable], axis: Int) throws -> Variable {
        let out = try Tensor.concatenating(parts.map { try value($0) }, axis: axis)
        return try record(out, inputs: parts) { g, tape in
            var start = 0
            for part in parts {
                let size = part.shape[axis]
                if tape.requiresGradient(part) { try tape.accumulate(g.slice(axis: axis, range: start..<(start + size)), into: part) }
                start += size
            }
        }
    }

    /// Entries `range` of `axis`.
    public func slice(_ x: Variable, axis: Int, range: Range<Int>) throws -> Variable {
        let out = try value(x).slice(axis: axis, range: range)
        return try record(out, inputs: [x]) { g, tape in
            try tape.accumulate(into: x) { try $0.addSlice(g, axis: axis, start: range.lowerBound) }
        }
    }

    /// Axes reordered (result axis `i` is input axis `axes[i]`, PyTorch `permute`).
    public func permute(_ x: Variable, _ axes: [Int]) throws -> Variable {
        let out = try value(x).permuted(axes)
        var inverse = [Int](repeating: 0, count: axes.count)
        for (i, a) in axes.enumerated() { inverse[a] = i }
        return try record(out, inputs: [x]) { g, tape in try tape.accumulate(g.permuted(inverse), into: x) }
    }

    /// Entries of `axis` picked by (non-differentiable) integer indices; gradients scatter-add back.
    /// `indices.count == count`: the same entries for every outer position (`index_select`);
    /// `indices.count == outer · count` (outer = product of the axes before `axis`): row `o` picks
    /// `indices[o·count ..< (o+1)·count]` (per-ray reordering such as the depth sort, or the crossing
    /// search's interval ends). The result has `count` entries on `axis`.
    public func gather(_ x: Variable, axis: Int, indices: [Int], count: Int) throws -> Variable {
        let out = try value(x).gathered(axis: axis, indices: indices, count: count)
        return try record(out, inputs: [x]) { g, tape in
            try tape.accumulate(into: x) { try $0.scatterAdd(g, axis: axis, indices: indices, count: count) }
        }
    }
}
