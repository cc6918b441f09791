import ModelIO

/// Bilinear resizing of 8-bit RGB images (pixel centres aligned, as `align_corners=False`).
public enum ImageScaling {
    /// `image` resized to `width x height` (both >= 1).
    public static func bilinear(_ image: RGBImage, width: Int, height: Int) -> RGBImage {
        let width = max(1, width), height = max(1, height)
        guard image.width > 0, image.height > 0 else { return RGBImage(width: width, height: height, fill: (0, 0, 0)) }
        if image.width == width, image.height == height { return image }
        let xs = axis(input: image.width, output: width)
        let ys = axis(input: image.height, output: height)
        let source = image.pixels
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        let rowStride = image.width * 3
        for y in 0..<height {
            let (y0, y1, fy) = ys[y]
            let top = y0 * rowStride, bottom = y1 * rowStride
            for x in 0..<width {
                let (x0, x1, fx) = xs[x]
                for c in 0..<3 {
                    let a = Float(source[top + 3 * x0 + c]), b = Float(source[top + 3 * x1 + c])
                    let d = Float(source[bottom + 3 * x0 + c]), e = Float(source[bottom + 3 * x1 + c])
                    let upper = a + (b - a) * fx, lower = d + (e - d) * fx
                    let v = upper + (lower - upper) * fy
                    pixels[(y * width + x) * 3 + c] = UInt8(min(max(v + 0.5, 0), 255))
                }
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels) ?? RGBImage(width: width, height: height)
    }

    /// Source indices and weight of each output position.
    private static func axis(input: Int, output: Int) -> [(Int, Int, Float)] {
        let scale = Float(input) / Float(output)
        return (0..<output).map { i in
            let position = max(0, (Float(i) + 0.5) * scale - 0.5)
            let i0 = min(Int(position), input - 1)
            let i1 = min(i0 + 1, input - 1)
            return (i0, i1, position - Float(i0))
        }
    }
}
