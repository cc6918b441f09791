import Numerics

/// A small deterministic generator so every test run sees the same data.
typealias SeededGenerator = SplitMix64

/// A tensor of uniform values in `range`.
func randomTensor(_ shape: [Int], in range: ClosedRange<Float> = -1...1, using rng: inout SeededGenerator) throws -> Tensor {
    let n = shape.reduce(1, *)
    return try Tensor(shape: shape, scalars: (0..<n).map { _ in Float.random(in: range, using: &rng) })
}

/// Largest `|a − b| / max(1, |b|)` over two equally long arrays (absolute for small values, relative
/// for large ones); infinity when the lengths differ.
func maxScaledError(_ a: [Float], _ b: [Float]) -> Float {
    guard a.count == b.count else { return .infinity }
    var worst: Float = 0
    for i in a.indices {
        let e = abs(a[i] - b[i]) / max(1, abs(b[i]))
        if !(e <= worst) { worst = e.isNaN ? .infinity : e }
    }
    return worst
}

/// Row-major flat index of `index` in `shape`.
func flatIndex(_ index: [Int], _ shape: [Int]) -> Int {
    var f = 0
    for (i, d) in zip(index, shape) { f = f * d + i }
    return f
}
