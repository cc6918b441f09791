import Autodiff
import Numerics
import Testing

@Suite struct ShapeGradientTests {
    @Test func reshapeConcatenateSlicePermute() throws {
        var rng = SeededGenerator(seed: 41)
        let a = try randomTensor([2, 3, 4], using: &rng), b = try randomTensor([2, 1, 4], using: &rng)
        try expectGradients([a]) { t, v in try t.reshape(v[0], [6, 4]) }
        try expectGradients([a, b]) { t, v in try t.concatenate([v[0], v[1], v[0]], axis: 1) }
        try expectGradients([a]) { t, v in try t.slice(v[0], axis: 2, range: 1..<3) }
        try expectGradients([a]) { t, v in try t.permute(v[0], [2, 0, 1]) }
    }

    @Test func shapeValues() throws {
        let x = try Tensor(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5])
        #expect(try x.permuted([1, 0]).scalars == [0, 3, 1, 4, 2, 5])
        #expect(try x.slice(axis: 1, range: 1..<3).scalars == [1, 2, 4, 5])
        #expect(try Tensor.concatenating([x, x.slice(axis: 1, range: 0..<1)], axis: 1).scalars == [0, 1, 2, 0, 3, 4, 5, 3])
        #expect(try x.gathered(axis: 1, indices: [2, 0], count: 2).scalars == [2, 0, 5, 3])
        #expect(try x.gathered(axis: 1, indices: [2, 2, 0, 1], count: 2).scalars == [2, 2, 3, 4])
        #expect(throws: NumericsError.self) { try x.gathered(axis: 1, indices: [3], count: 1) }
        #expect(throws: NumericsError.self) { try x.gathered(axis: 1, indices: [0, 1, 2], count: 2) }
    }

    @Test func stableSortIndices() throws {
        let depths = try Tensor(shape: [2, 4], scalars: [3, 1, 2, 1, 10, 10, -1, 10])
        let order = depths.stableSortIndicesAlongLastAxis()
        #expect(order == [1, 3, 2, 0, 2, 0, 1, 3])
        #expect(try depths.gathered(axis: 1, indices: order, count: 4).scalars == [1, 1, 2, 3, -1, 10, 10, 10])
    }

    @Test func gatherWithRepeatsAndPerRowIndices() throws {
        var rng = SeededGenerator(seed: 42)
        let x = try randomTensor([3, 5, 2], using: &rng)
        try expectGradients([x]) { t, v in try t.gather(v[0], axis: 1, indices: [4, 0, 4], count: 3) }
        try expectGradients([x]) { t, v in
            try t.gather(v[0], axis: 1, indices: [1, 1, 3, 0, 2, 4], count: 2)
        }
    }
}
