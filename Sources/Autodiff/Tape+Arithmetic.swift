import Numerics

extension Tape {
    /// `a + b` with broadcasting (NumPy rules); the gradients are summed back over broadcast axes.
    public func add(_ a: Variable, _ b: Variable) throws -> Variable {
        try binary(.add, a, b)
    }

    /// `a − b` with broadcasting.
    public func subtract(_ a: Variable, _ b: Variable) throws -> Variable {
        try binary(.subtract, a, b)
    }

    /// `a ⊙ b` with broadcasting.
    public func multiply(_ a: Variable, _ b: Variable) throws -> Variable {
        try binary(.multiply, a, b)
    }

    /// `a / b` with broadcasting.
    public func divide(_ a: Variable, _ b: Variable) throws -> Variable {
        try binary(.divide, a, b)
    }

    /// `scale · x + offset` elementwise for constants `scale` and `offset`.
    public func affine(_ x: Variable, scale: Float, offset: Float = 0) throws -> Variable {
        var out = try value(x).scaled(by: scale)
        if offset != 0 { out = try Tensor.broadcasting(.add, out, Tensor(shape: [], repeating: offset)) }
        return try record(out, inputs: [x]) { g, tape in
            try tape.accumulate(g.scaled(by: scale), into: x)
        }
    }

    /// `f(x)` elementwise for a differentiable function (ReLU, LeakyReLU, sigmoid, softplus, exp, log, sin,
    /// cos, sqrt, tanh, square, abs, clamp); forward values as `VectorMath` computes them where it has the function.
    public func apply(_ function: DifferentiableFunction, _ x: Variable) throws -> Variable {
        let input = try value(x)
        let output = input.evaluated(function)
        return try record(output, inputs: [x]) { g, tape in
            try tape.accumulate(Tensor.derivativeProduct(function, input: input, output: output, gradient: g), into: x)
        }
    }

    public func relu(_ x: Variable) throws -> Variable { try apply(.relu, x) }
    public func leakyReLU(_ x: Variable, slope: Float = 0.2) throws -> Variable { try apply(.leakyReLU(slope: slope), x) }
    public func sigmoid(_ x: Variable) throws -> Variable { try apply(.sigmoid, x) }
    public func softplus(_ x: Variable) throws -> Variable { try apply(.softplus, x) }
    public func exp(_ x: Variable) throws -> Variable { try apply(.exp, x) }
    public func log(_ x: Variable) throws -> Variable { try apply(.log, x) }
    public func sin(_ x: Variable) throws -> Variable { try apply(.sin, x) }
    public func sqrt(_ x: Variable) throws -> Variable { try apply(.sqrt, x) }
    public func square(_ x: Variable) throws -> Variable { try apply(.square, x) }
    public func abs(_ x: Variable) throws -> Variable { try apply(.abs, x) }
    public func clamp(_ x: Variable, lower: Float, upper: Float) throws -> Variable { try apply(.clamp(lower: lower, upper: upper), x) }

    private func binary(_ op: BroadcastOperation, _ a: Variable, _ b: Variable) throws -> Variable {
        let x = try value(a), y = try value(b)
        let out = try Tensor.broadcasting(op, x, y)
        return try record(out, inputs: [a, b]) { g, tape in
            switch op {
            case .add:
                if tape.requiresGradient(a) { try tape.accumulate(g.sumReduced(to: a.shape), into: a) }
                if tape.requiresGradient(b) { try tape.accumulate(g.sumReduced(to: b.shape), into: b) }
            case .subtract:
                if tape.requiresGradient(a) { try tape.accumulate(g.sumReduced(to: a.shape), into: a) }
                if tape.requiresGradient(b) { try tape.accumulate(g.sumReduced(to: b.shape).scaled(by: -1), into: b) }
            case .multiply:
                if tape.requiresGradient(a) {
                    try tape.accumulate(Tensor.broadcasting(.multiply, g, y).sumReduced(to: a.shape), into: a)
                }
                if tape.requiresGradient(b) {
                    try tape.accumulate(Tensor.broadcasting(.multiply, g, x).sumReduced(to: b.shape), into: b)
                }
            case .divide:
                let gOverY = try Tensor.broadcasting(.divide, g, y)
                if tape.requiresGradient(a) { try tape.accumulate(gOverY.sumReduced(to: a.shape), into: a) }
                if tape.requiresGradient(b) {
                    // ∂(x / y)/∂y = −(x / y) / y.
                    let product = try Tensor.broadcasting(.multiply, gOverY, out)
                    try tape.accumulate(product.sumReduced(to: b.shape).scaled(by: -1), into: b)
                }
            }
        }
    }
}
