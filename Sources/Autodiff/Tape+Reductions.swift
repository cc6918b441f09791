import Numerics

extension Tape {
    /// Sum of all elements → shape `[]` (accumulated in Double).
    public func sum(_ x: Variable) throws -> Variable {
        let total = try value(x).sumOfElements()
        return try record(Tensor(shape: [], scalars: [Float(total)]), inputs: [x]) { g, tape in
            try tape.accumulate(Tensor(shape: x.shape, repeating: g[flat: 0]), into: x)
        }
    }

    /// Mean of all elements → shape `[]`.
    public func mean(_ x: Variable) throws -> Variable {
        let n = max(x.count, 1)
        let total = try value(x).sumOfElements()
        return try record(Tensor(shape: [], scalars: [Float(total / Double(n))]), inputs: [x]) { g, tape in
            try tape.accumulate(Tensor(shape: x.shape, repeating: g[flat: 0] / Float(n)), into: x)
        }
    }

    /// Sum over `axis`, which is removed from the shape.
    public func sum(_ x: Variable, axis: Int) throws -> Variable {
        let out = try value(x).sum(axis: axis)
        var kept = x.shape
        kept[axis] = 1
        return try record(out, inputs: [x]) { g, tape in
            try tape.accumulate(g.reshaped(kept).broadcasted(to: x.shape), into: x)
        }
    }

    /// Mean over `axis`, which is removed from the shape.
    public func mean(_ x: Variable, axis: Int) throws -> Variable {
        guard axis >= 0, axis < x.shape.count, x.shape[axis] > 0 else {
            throw AutodiffError.invalidArgument(operation: "mean(axis:)", reason: "axis \(axis) of shape \(x.shape)")
        }
        return try affine(sum(x, axis: axis), scale: 1 / Float(x.shape[axis]))
    }
}
