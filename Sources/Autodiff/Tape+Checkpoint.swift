import Numerics

extension Tape {
    /// Gradient checkpointing (rematerialisation): evaluates `body` on `inputs` without keeping its
    /// intermediate values, and records it as one operation whose backward pass runs `body` again on a
    /// fresh tape and differentiates that.
    ///
    /// Memory held until `backward` is the inputs and the output only, at the price of a second forward
    /// pass of `body`: use it for large per-point networks evaluated in chunks. `body` receives its own tape
    /// and the inputs as variables on it; everything it differentiates (including parameters) must come
    /// through `inputs` (a variable of this tape used inside `body` throws `AutodiffError.foreignVariable`),
    /// and it must compute the same function both times (deterministic).
    public func checkpointed(_ inputs: [Variable], _ body: @escaping (Tape, [Variable]) throws -> Variable) throws -> Variable {
        let values = try inputs.map { try value($0) }
        let forward = Tape()
        let out = try forward.value(body(forward, values.map { forward.constant($0) }))
        let wanted = inputs.map { requiresGradient($0) }
        return try record(out, inputs: inputs) { g, tape in
            let replay = Tape()
            let variables = zip(values, wanted).map { value, want in want ? replay.variable(value) : replay.constant(value) }
            try replay.backward(body(replay, variables), seed: g)
            for (input, variable) in zip(inputs, variables) where tape.requiresGradient(input) {
                if let gradient = try replay.gradient(of: variable) { try tape.accumulate(gradient, into: input) }
            }
        }
    }
}
