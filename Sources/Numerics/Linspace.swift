/// `count` evenly spaced float32 values from `start` to `end` inclusive, exactly as PyTorch's CPU
/// `linspace` (SPEC.md A.1): `step = (end − start) / (count − 1)` in float32; element `i` is
/// `fma(step, i, start)` for `i < count / 2`, else `fma(−step, count − 1 − i, end)` (one rounding each).
/// `count == 1` gives `[start]`; `count <= 0` gives `[]`.
public func linspace(_ start: Float, _ end: Float, _ count: Int) -> [Float] {
    guard count > 0 else { return [] }
    return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
        if let base = buffer.baseAddress { linspace(start, end, count, into: base) }
        initialized = count
    }
}

/// Writes `linspace(start, end, count)` to `output[0..<count]`.
public func linspace(_ start: Float, _ end: Float, _ count: Int, into output: UnsafeMutablePointer<Float>) {
    guard count > 0 else { return }
    if count == 1 {
        output[0] = start
        return
    }
    let step = (end - start) / Float(count - 1)
    let half = count / 2
    for i in 0..<count {
        output[i] = i < half
            ? start.addingProduct(step, Float(i))
            : end.addingProduct(-step, Float(count - 1 - i))
    }
}
