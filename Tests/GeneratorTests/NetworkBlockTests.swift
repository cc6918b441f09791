import Foundation
import Testing
@testable import Generator
import ModelIO
import Numerics

/// Deterministic pseudo-random floats in [-1, 1) for building-block tests.
func testValues(_ count: Int, seed: UInt64) -> [Float] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(Int64(bitPattern: state >> 11) % 2_000_000) / 1_000_000 - 1
    }
}

@Suite struct NetworkBlockTests {
    @Test func linearMatchesNaiveProductAndAppliesActivations() throws {
        let (rows, input, output) = (37, 19, 11)
        let w = testValues(output * input, seed: 1)
        let b = testValues(output, seed: 2)
        let x = testValues(rows * input, seed: 3)
        let layer = try Linear(weight: Tensor(shape: [output, input], scalars: w), bias: Tensor(shape: [output], scalars: b))
        for activation in [Activation.none, .relu, .leakyReLU] {
            var y = [Float](repeating: .nan, count: rows * output)
            x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { layer.apply(xp, rows: rows, into: $0, activation: activation) } }
            var worst: Double = 0
            for r in 0..<rows {
                for o in 0..<output {
                    var s = Double(b[o])
                    for i in 0..<input { s += Double(x[r * input + i]) * Double(w[o * input + i]) }
                    let expected = activation == .none ? s : (s >= 0 ? s : (activation == .relu ? 0 : 0.2 * s))
                    worst = max(worst, abs(Double(y[r * output + o]) - expected))
                }
            }
            #expect(worst < 1e-5, "activation \(activation): max error \(worst)")
        }
    }

    @Test func linearHonoursInputStride() throws {
        let layer = try Linear(weight: Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]), bias: Tensor(shape: [2], scalars: [0.5, -0.5]))
        let x: [Float] = [1, 1, 99, 2, 0, 99]   // two rows of stride 3; the third column is ignored
        var y = [Float](repeating: 0, count: 4)
        x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { layer.apply(xp, rows: 2, inputStride: 3, into: $0) } }
        #expect(y == [3.5, 6.5, 2.5, 5.5])
    }

    @Test func stackedLinearEqualsItsParts() throws {
        let a = try Linear(weight: Tensor(shape: [3, 8], scalars: testValues(24, seed: 4)), bias: Tensor(shape: [3], scalars: testValues(3, seed: 5)))
        let b = try Linear(weight: Tensor(shape: [5, 8], scalars: testValues(40, seed: 6)), bias: Tensor(shape: [5], scalars: testValues(5, seed: 7)))
        let s = try Linear.stacking([a, b])
        let x = testValues(8, seed: 8)
        let parts = a.apply(x) + b.apply(x)
        #expect(zip(s.apply(x), parts).allSatisfy { abs($0 - $1) <= 1e-6 })
        #expect(zip(try s.selectingOutputs(3..<8).apply(x), b.apply(x)).allSatisfy { abs($0 - $1) <= 1e-6 })
    }

    @Test func filmLayerEvaluatesInSpecOrder() throws {
        let layer = try FiLMLayer(linear: Linear(weight: Tensor(shape: [3, 2], scalars: testValues(6, seed: 9)),
                                                 bias: Tensor(shape: [3], scalars: testValues(3, seed: 10))))
        let x = testValues(4 * 2, seed: 11)
        let f = testValues(3, seed: 12).map { $0 * 15 + 30 }
        let phi = testValues(3, seed: 13)
        var y = [Float](repeating: 0, count: 12)
        x.withUnsafeBufferPointer { xp in f.withUnsafeBufferPointer { fp in phi.withUnsafeBufferPointer { pp in
            y.withUnsafeMutableBufferPointer { layer.apply(xp, rows: 4, frequencies: fp, phases: pp, into: $0) }
        } } }
        for r in 0..<4 {
            let lin = layer.linear.apply(Array(x[(r * 2)..<(r * 2 + 2)]))
            for o in 0..<3 {
                let expected = Foundation.sin(lin[o] * f[o] + phi[o])
                #expect(y[r * 3 + o] == expected)
            }
        }
    }

    @Test func mlpChainsLayersWithActivation() throws {
        let l1 = try Linear(weight: Tensor(shape: [4, 3], scalars: testValues(12, seed: 14)), bias: Tensor(shape: [4], scalars: testValues(4, seed: 15)))
        let l2 = try Linear(weight: Tensor(shape: [2, 4], scalars: testValues(8, seed: 16)), bias: Tensor(shape: [2], scalars: testValues(2, seed: 17)))
        let mlp = try MLP(layers: [l1, l2], activation: .relu)
        let x = testValues(3, seed: 18)
        #expect(mlp.apply(x) == l2.apply(l1.apply(x, activation: .relu)))
        #expect(throws: GeneratorError.self) { try MLP(layers: [l2, l1], activation: .relu) }
    }

    @Test func weightsNameTheTensorOnMismatch() throws {
        let w = Weights(tensors: ["a.weight": try Tensor(shape: [2, 3])], source: "test.safetensors")
        do {
            _ = try w.tensor("a.weight", shape: [3, 3])
            Issue.record("expected a shape error")
        } catch let e as GeneratorError {
            #expect(e.description == "test.safetensors: tensor 'a.weight': [2,3], expected [3,3]")
        }
        do {
            _ = try w.linear("b", input: 3, output: 2)
            Issue.record("expected a missing-tensor error")
        } catch let e as GeneratorError {
            #expect(e.description == "test.safetensors: tensor 'b.weight' is missing")
        }
    }
}
