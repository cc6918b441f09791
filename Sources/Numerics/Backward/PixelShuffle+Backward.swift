extension Tensor {
    /// Gradient of `pixelShuffle(factor:)` (its inverse permutation, pixel unshuffle): `self` is the output
    /// gradient `[N, C, H·r, W·r]`, the result `[N, C·r·r, H, W]` with
    /// `result[c·r·r + r·i + j, h, w] = self[c, r·h + i, r·w + j]`.
    public func pixelShuffleBackward(factor r: Int) throws -> Tensor {
        guard rank == 4, r > 0, shape[2] % r == 0, shape[3] % r == 0 else {
            throw NumericsError.invalidArgument(operation: "pixelShuffleBackward",
                                                reason: "needs [N, C, H·\(r), W·\(r)] with factor > 0, got \(shape)")
        }
        let (n, c, h, w) = (shape[0], shape[1], shape[2] / r, shape[3] / r)
        var out = Tensor.zeros([n, c * r * r, h, w])
        let ow = w * r, plane = h * w
        withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                guard let s = src.baseAddress, let d = dst.baseAddress else { return }
                for image in 0..<n {
                    let dy = s + image * c * plane * r * r, dx = d + image * c * plane * r * r
                    for channel in 0..<c {
                        for i in 0..<r {
                            for j in 0..<r {
                                let target = dx + (channel * r * r + r * i + j) * plane
                                let source = dy + channel * plane * r * r + i * ow + j
                                for y in 0..<h {
                                    for x in 0..<w { target[y * w + x] = source[y * r * ow + x * r] }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}
