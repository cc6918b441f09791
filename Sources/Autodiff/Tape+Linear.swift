import Numerics

extension Tape {
    /// Matrix product `a · b`: `a` `[m, k]`, `b` `[k, n]` → `[m, n]` (one GEMM; the backward pass adds
    /// `g · bᵀ` and `aᵀ · g` into the gradients with GEMMs, `beta = 1`).
    public func matmul(_ a: Variable, _ b: Variable) throws -> Variable {
        let x = try value(a), y = try value(b)
        let out = try x.matmul(y)
        return try record(out, inputs: [a, b]) { g, tape in
            try tape.accumulate(into: a) { try $0.addMatrixProduct(g, .none, y, .transposed) }
            try tape.accumulate(into: b) { try $0.addMatrixProduct(x, .transposed, g, .none) }
        }
    }

    /// A dense layer `y = x Wᵀ + b` (PyTorch `Linear`): `x` `[..., input]` (leading axes are rows),
    /// `weight` `[output, input]`, `bias` `[output]` or nil → `[..., output]`. Forward: bias written first,
    /// the product accumulated onto it with one GEMM (as the inference `Linear`).
    public func linear(_ x: Variable, weight: Variable, bias: Variable?) throws -> Variable {
        let input = try value(x), w = try value(weight)
        guard w.rank == 2, let inputWidth = x.shape.last, inputWidth == w.shape[1] else {
            throw NumericsError.shapeMismatch(operation: "linear: input [..., in] against weight [out, in]",
                                              got: x.shape, expected: w.shape)
        }
        let rows = x.count / max(inputWidth, 1), outputs = w.shape[0]
        var outShape = x.shape
        outShape[outShape.count - 1] = outputs
        let input2D = try input.reshaped([rows, inputWidth])
        var out2D: Tensor
        if let bias {
            let b = try value(bias)
            try b.checkShape([outputs], "linear bias for weight \(w.shape)")
            out2D = try b.broadcasted(to: [rows, outputs])
        } else {
            out2D = Tensor.zeros([rows, outputs])
        }
        try out2D.addMatrixProduct(input2D, .none, w, .transposed)
        let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
        return try record(out2D.reshaped(outShape), inputs: inputs) { g, tape in
            let g2D = try g.reshaped([rows, outputs])
            if tape.requiresGradient(x) {
                var gx = Tensor.zeros([rows, inputWidth])
                try gx.addMatrixProduct(g2D, .none, w, .none)
                try tape.accumulate(gx.reshaped(x.shape), into: x)
            }
            try tape.accumulate(into: weight) { try $0.addMatrixProduct(g2D, .transposed, input2D, .none) }
            if let bias, tape.requiresGradient(bias) {
                try tape.accumulate(g2D.sum(axis: 0), into: bias)
            }
        }
    }

    /// The FiLM-SIREN activation `sin(f ⊙ x + φ)` (SPEC.md §2.0) on pre-activations `x`
    /// `[items, rows, width]` (any shape with that element count and last axis `width`) with per-item
    /// `frequencies` and `phases` `[items, width]`; differentiable in all three.
    public func filmSine(_ x: Variable, frequencies: Variable, phases: Variable) throws -> Variable {
        let input = try value(x), f = try value(frequencies), p = try value(phases)
        let out = try input.filmSine(frequencies: f, phases: p)
        return try record(out, inputs: [x, frequencies, phases]) { g, tape in
            let grads = try input.filmSineBackward(frequencies: f, phases: p, gradient: g)
            try tape.accumulate(grads.input, into: x)
            try tape.accumulate(grads.frequencies, into: frequencies)
            try tape.accumulate(grads.phases, into: phases)
        }
    }
}
