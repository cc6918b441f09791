/// How `GridSample` treats sample positions outside the map.
public enum GridSamplePadding: Sendable, Equatable {
    /// Taps outside the map contribute zero (PyTorch `padding_mode="zeros"`).
    case zeros
    /// Coordinates are clamped into the map (PyTorch `padding_mode="border"`).
    case border
}

/// Bilinear grid sampling (PyTorch `grid_sample`, `mode="bilinear"`), SPEC.md A.5.
///
/// Grid values are normalised coordinates `(gx, gy)` in `[−1, 1]`: `gx` indexes columns (width), `gy` rows.
/// Unnormalisation: `align_corners=false`: `ix = ((gx + 1)·W − 1) / 2`; `align_corners=true`:
/// `ix = ((gx + 1) / 2)·(W − 1)`. All arithmetic float32 in the order of A.5.
public enum GridSample {
    /// Samples one map at `points` grid positions.
    /// - Parameters:
    ///   - input: the map `[channels, height, width]`.
    ///   - grid: `[points, 2]` as `(gx, gy)` pairs.
    ///   - output: `output[c · channelStride + p]` receives channel `c` at point `p`
    ///     (`channelStride >= points`; pass `points` for a dense `[channels, points]` result).
    public static func run(input: UnsafePointer<Float>, channels: Int, height: Int, width: Int,
                           grid: UnsafePointer<Float>, points: Int,
                           padding: GridSamplePadding, alignCorners: Bool,
                           output: UnsafeMutablePointer<Float>, channelStride: Int) {
        let plane = height * width
        for p in 0..<points {
            let ix = sourceCoordinate(grid[2 * p], size: width, padding: padding, alignCorners: alignCorners)
            let iy = sourceCoordinate(grid[2 * p + 1], size: height, padding: padding, alignCorners: alignCorners)
            // Beyond one pixel outside the map every tap is out of bounds (also catches NaN, infinities).
            guard ix > -2, ix < Float(width + 1), iy > -2, iy < Float(height + 1) else {
                for c in 0..<channels { output[c * channelStride + p] = 0 }
                continue
            }
            let fx0 = ix.rounded(.down), fy0 = iy.rounded(.down)
            let fx1 = fx0 + 1, fy1 = fy0 + 1
            let wnw = (fx1 - ix) * (fy1 - iy)
            let wne = (ix - fx0) * (fy1 - iy)
            let wsw = (fx1 - ix) * (iy - fy0)
            let wse = (ix - fx0) * (iy - fy0)
            let x0 = Int(fx0), y0 = Int(fy0), x1 = x0 + 1, y1 = y0 + 1
            let inX0 = x0 >= 0 && x0 < width, inX1 = x1 >= 0 && x1 < width
            let inY0 = y0 >= 0 && y0 < height, inY1 = y1 >= 0 && y1 < height
            for c in 0..<channels {
                let v = input + c * plane
                var out: Float = 0
                if inY0 && inX0 { out += v[y0 * width + x0] * wnw }
                if inY0 && inX1 { out += v[y0 * width + x1] * wne }
                if inY1 && inX0 { out += v[y1 * width + x0] * wsw }
                if inY1 && inX1 { out += v[y1 * width + x1] * wse }
                output[c * channelStride + p] = out
            }
        }
    }

    /// Pixel coordinate of a normalised grid value along an axis of `size` pixels (after border clamping).
    @inlinable
    public static func sourceCoordinate(_ g: Float, size: Int, padding: GridSamplePadding, alignCorners: Bool) -> Float {
        let s = Float(size)
        var i = alignCorners ? ((g + 1) / 2) * (s - 1) : ((g + 1) * s - 1) / 2
        if padding == .border {
            // std::min(size − 1, std::max(i, 0)) as PyTorch writes it (NaN ends up at size − 1).
            i = i < 0 ? 0 : i
            i = i < s - 1 ? i : s - 1
        }
        return i
    }
}

extension Tensor {
    /// Bilinear grid sample (SPEC.md A.5) of `[N, C, H, W]` at `grid` `[N, Ho, Wo, 2]` (`(x, y)` pairs in
    /// `[−1, 1]`), giving `[N, C, Ho, Wo]`.
    public func gridSample(_ grid: Tensor, padding: GridSamplePadding = .border, alignCorners: Bool = false) throws -> Tensor {
        guard rank == 4, grid.rank == 4, grid.shape[3] == 2, grid.shape[0] == shape[0] else {
            throw NumericsError.invalidArgument(operation: "gridSample",
                                                reason: "needs input [N, C, H, W] and grid [N, Ho, Wo, 2], got \(shape) and \(grid.shape)")
        }
        let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
        let points = grid.shape[1] * grid.shape[2]
        var out = Tensor.zeros([n, c, grid.shape[1], grid.shape[2]])
        withUnsafeBufferPointer { x in
            grid.withUnsafeBufferPointer { gp in
                out.withUnsafeMutableBufferPointer { y in
                    guard let xp = x.baseAddress, let gb = gp.baseAddress, let yp = y.baseAddress else { return }
                    for image in 0..<n {
                        GridSample.run(input: xp + image * c * h * w, channels: c, height: h, width: w,
                                       grid: gb + image * points * 2, points: points,
                                       padding: padding, alignCorners: alignCorners,
                                       output: yp + image * c * points, channelStride: points)
                    }
                }
            }
        }
        return out
    }
}
