/// Pixel shuffle (PyTorch `pixel_shuffle`, SPEC.md §2.6): `[C·r·r, H, W] → [C, H·r, W·r]` with
/// `out[c, r·h + i, r·w + j] = in[c·r·r + r·i + j, h, w]`.
public enum PixelShuffle {
    /// Shuffles one image.
    /// - Parameters:
    ///   - input: `[outChannels · factor², height, width]`.
    ///   - output: `[outChannels, height · factor, width · factor]`.
    public static func run(input: UnsafePointer<Float>, outChannels: Int, height: Int, width: Int, factor r: Int,
                           output: UnsafeMutablePointer<Float>) {
        let ow = width * r, plane = height * width
        for c in 0..<outChannels {
            for i in 0..<r {
                for j in 0..<r {
                    let src = input + (c * r * r + r * i + j) * plane
                    let dst = output + c * plane * r * r + i * ow + j
                    for h in 0..<height {
                        let s = src + h * width
                        let d = dst + h * r * ow
                        for w in 0..<width { d[w * r] = s[w] }
                    }
                }
            }
        }
    }
}

extension Tensor {
    /// Pixel shuffle of `[N, C·r·r, H, W]` into `[N, C, H·r, W·r]` (SPEC.md §2.6).
    public func pixelShuffle(factor r: Int) throws -> Tensor {
        guard rank == 4, r > 0, shape[1] % (r * r) == 0 else {
            throw NumericsError.invalidArgument(operation: "pixelShuffle",
                                                reason: "needs [N, C·\(r)·\(r), H, W] with factor > 0, got \(shape)")
        }
        let (n, c, h, w) = (shape[0], shape[1] / (r * r), shape[2], shape[3])
        var out = Tensor.zeros([n, c, h * r, w * r])
        let perImage = c * r * r * h * w
        withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                guard let xp = x.baseAddress, let yp = y.baseAddress else { return }
                for image in 0..<n {
                    PixelShuffle.run(input: xp + image * perImage, outChannels: c, height: h, width: w, factor: r,
                                     output: yp + image * perImage)
                }
            }
        }
        return out
    }
}
