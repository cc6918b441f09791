extension Tensor {
    /// One Adam step on this parameter tensor in place (PyTorch `torch.optim.Adam`, no weight decay,
    /// no AMSGrad), for step number `step >= 1`:
    /// `m = β1·m + (1 − β1)·g`, `v = β2·v + (1 − β2)·g²`,
    /// `p −= (lr / (1 − β1^step)) · m / (sqrt(v) / sqrt(1 − β2^step) + ε)`.
    /// `gradient`, `firstMoment` and `secondMoment` have this tensor's shape. Deterministic (sequential).
    public mutating func adamStep(gradient: Tensor, firstMoment: inout Tensor, secondMoment: inout Tensor,
                                  learningRate: Float, beta1: Float, beta2: Float, epsilon: Float, step: Int) throws {
        try gradient.checkShape(shape, "adamStep gradient")
        try firstMoment.checkShape(shape, "adamStep first moment")
        try secondMoment.checkShape(shape, "adamStep second moment")
        guard step >= 1 else {
            throw NumericsError.invalidArgument(operation: "adamStep", reason: "step \(step) must be >= 1")
        }
        let bias1 = 1 - Double(beta1).power(step), bias2 = 1 - Double(beta2).power(step)
        let stepSize = Float(Double(learningRate) / bias1)
        let bias2Root = Float(bias2.squareRoot())
        gradient.withUnsafeBufferPointer { g in
            firstMoment.withUnsafeMutableBufferPointer { m in
                secondMoment.withUnsafeMutableBufferPointer { v in
                    withUnsafeMutableBufferPointer { p in
                        for i in 0..<p.count {
                            let gi = g[i]
                            m[i] = beta1 * m[i] + (1 - beta1) * gi
                            v[i] = beta2 * v[i] + (1 - beta2) * gi * gi
                            let denominator = v[i].squareRoot() / bias2Root + epsilon
                            p[i] -= stepSize * (m[i] / denominator)
                        }
                    }
                }
            }
        }
    }

    /// Moves this average towards `target` in place: `self += (1 − decay) · (target − self)`.
    public mutating func moveAverage(towards target: Tensor, decay: Float) throws {
        try target.checkShape(shape, "moveAverage target")
        let weight = 1 - decay
        target.withUnsafeBufferPointer { t in
            withUnsafeMutableBufferPointer { a in
                for i in 0..<a.count { a[i] += weight * (t[i] - a[i]) }
            }
        }
    }
}

extension Double {
    /// `self` to a non-negative integer power (repeated squaring).
    func power(_ exponent: Int) -> Double {
        var result = 1.0, base = self, e = exponent
        while e > 0 {
            if e & 1 == 1 { result *= base }
            base *= base
            e >>= 1
        }
        return result
    }
}
