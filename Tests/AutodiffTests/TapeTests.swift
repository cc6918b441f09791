import Autodiff
import Numerics
import Testing

@Suite struct TapeTests {
    @Test func constantsGetNoGradientAndRecordNoRule() throws {
        let tape = Tape()
        let c = tape.constant(try Tensor(shape: [2], scalars: [1, 2]))
        let x = tape.variable(try Tensor(shape: [2], scalars: [3, 4]))
        let product = try tape.multiply(c, c)
        #expect(!tape.requiresGradient(product))
        let loss = try tape.sum(tape.multiply(product, x))
        try tape.backward(loss)
        #expect(try tape.gradient(of: c) == nil)
        #expect(try tape.gradient(of: x)?.scalars == [1, 4])
    }

    @Test func detachedValuesPassNoGradient() throws {
        // y = x · detach(x): dy/dx = detach(x) only.
        let tape = Tape()
        let x = tape.variable(try Tensor(shape: [2], scalars: [3, -1]))
        try tape.backward(try tape.sum(tape.multiply(x, tape.detached(x))))
        #expect(try tape.gradients(of: [x]) == [try Tensor(shape: [2], scalars: [3, -1])])
    }

    @Test func noDoubleBackward() throws {
        // The tape is differentiated once: gradients are tensors, not recorded values (the R1 penalty uses a
        // finite-difference Hessian-vector product instead, see FiniteDifferenceTests).
        let tape = Tape()
        let x = tape.variable(try Tensor(shape: [], scalars: [2]))
        let loss = try tape.square(x)
        try tape.backward(loss)
        #expect(try tape.gradient(of: x)?.scalars == [4])
        #expect(throws: AutodiffError.backwardAlreadyRun) { try tape.backward(loss) }
    }

    @Test func lossMustBeScalarOrSeeded() throws {
        let tape = Tape()
        let x = tape.variable(Tensor.zeros([3]))
        let y = try tape.exp(x)
        #expect(throws: AutodiffError.lossNotScalar(shape: [3])) { try tape.backward(y) }
        let other = Tape()
        let z = other.variable(Tensor.zeros([3]))
        #expect(throws: AutodiffError.foreignVariable(index: z.index)) { try tape.value(z) }
        #expect(throws: AutodiffError.seedShapeMismatch(loss: [3], seed: [2])) { try tape.backward(y, seed: Tensor.zeros([2])) }
    }
}
