import ModelIO
import Numerics

/// Converting corpus images into training tensors.
public enum ImageTensor {
    /// An 8-bit image as `[3, H, W]` in [−1, 1]: `v/127.5 − 1` (the inverse of the generator's
    /// `trunc(x·127.5 + 128)` up to its half-step offset: 0 ↦ −1, 255 ↦ 1).
    public static func planes(_ image: RGBImage) -> Tensor {
        let h = image.height, w = image.width, plane = h * w
        var t = Tensor.zeros([3, h, w])
        let pixels = image.pixels
        t.withUnsafeMutableBufferPointer { b in
            for i in 0..<plane {
                for c in 0..<3 { b[c * plane + i] = Float(pixels[3 * i + c]) / 127.5 - 1 }
            }
        }
        return t
    }

    /// Resizes `[..., H, W]` to `size`²: halvings by the exact 2x2 mean (the align-corners-false bilinear
    /// resize by one half) while the image is at least twice `size` and even, then one bilinear resize
    /// (align corners false) when the size still differs. Area-like for downscaling by powers of two.
    public static func resized(_ t: Tensor, to size: Int) throws -> Tensor {
        guard t.rank >= 2, size > 0 else {
            throw TrainingError.invalidArgument(operation: "ImageTensor.resized", reason: "shape \(t.shape) to \(size)²")
        }
        var x = t
        var h = t.shape[t.rank - 2], w = t.shape[t.rank - 1]
        while h >= 2 * size, w >= 2 * size, h % 2 == 0, w % 2 == 0 {
            h /= 2; w /= 2
            x = try x.resizedBilinear(height: h, width: w, alignCorners: false)
        }
        if h != size || w != size { x = try x.resizedBilinear(height: size, width: size, alignCorners: false) }
        return x
    }
}
