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
        var p = 0
        // Eight points at a time: coordinates and weights as 8-lane float32 arithmetic (the same IEEE
        // operations in the same order as the scalar path), then the taps lane by lane.
        while p + 8 <= points {
            let pair0 = UnsafeRawPointer(grid + 2 * p).loadUnaligned(as: SIMD16<Float>.self)
            let gx = pair0.evenHalf, gy = pair0.oddHalf
            let ix = sourceCoordinates(gx, size: width, padding: padding, alignCorners: alignCorners)
            let iy = sourceCoordinates(gy, size: height, padding: padding, alignCorners: alignCorners)
            let fx0 = ix.rounded(.down), fy0 = iy.rounded(.down)
            let fx1 = fx0 + 1, fy1 = fy0 + 1
            let wnw = (fx1 - ix) * (fy1 - iy)
            let wne = (ix - fx0) * (fy1 - iy)
            let wsw = (fx1 - ix) * (iy - fy0)
            let wse = (ix - fx0) * (iy - fy0)
            let nearX = (ix .> -2) .& (ix .< Float(width + 1))
            let nearY = (iy .> -2) .& (iy .< Float(height + 1))
            let near = nearX .& nearY
            for l in 0..<8 {
                if near[l] {
                    gather(input: input, channels: channels, height: height, width: width, x0: Int(fx0[l]),
                           y0: Int(fy0[l]), weights: (wnw[l], wne[l], wsw[l], wse[l]),
                           output: output + p + l, channelStride: channelStride)
                } else {
                    for c in 0..<channels { output[c * channelStride + p + l] = 0 }
                }
            }
            p += 8
        }
        while p < points {
            let ix = sourceCoordinate(grid[2 * p], size: width, padding: padding, alignCorners: alignCorners)
            let iy = sourceCoordinate(grid[2 * p + 1], size: height, padding: padding, alignCorners: alignCorners)
            // Beyond one pixel outside the map every tap is out of bounds (also catches NaN, infinities).
            guard ix > -2, ix < Float(width + 1), iy > -2, iy < Float(height + 1) else {
                for c in 0..<channels { output[c * channelStride + p] = 0 }
                p += 1
                continue
            }
            let fx0 = ix.rounded(.down), fy0 = iy.rounded(.down)
            let fx1 = fx0 + 1, fy1 = fy0 + 1
            let wnw = (fx1 - ix) * (fy1 - iy)
            let wne = (ix - fx0) * (fy1 - iy)
            let wsw = (fx1 - ix) * (iy - fy0)
            let wse = (ix - fx0) * (iy - fy0)
            gather(input: input, channels: channels, height: height, width: width, x0: Int(fx0), y0: Int(fy0),
                   weights: (wnw, wne, wsw, wse), output: output + p, channelStride: channelStride)
            p += 1
        }
    }

    /// `out = 0; out += V[y0,x0]·wnw; += V[y0,x1]·wne; += V[y1,x0]·wsw; += V[y1,x1]·wse`, each tap only when
    /// inside the map (A.5), for every channel.
    @inline(__always)
    static func gather(input: UnsafePointer<Float>, channels: Int, height: Int, width: Int, x0: Int, y0: Int,
                       weights w: (Float, Float, Float, Float), output: UnsafeMutablePointer<Float>, channelStride: Int) {
        let x1 = x0 + 1, y1 = y0 + 1
        let inX0 = x0 >= 0 && x0 < width, inX1 = x1 >= 0 && x1 < width
        let inY0 = y0 >= 0 && y0 < height, inY1 = y1 >= 0 && y1 < height
        let plane = height * width
        if inX0 && inX1 && inY0 && inY1 {
            var v = input + y0 * width + x0
            for c in 0..<channels {
                var out: Float = 0
                out += v[0] * w.0
                out += v[1] * w.1
                out += v[width] * w.2
                out += v[width + 1] * w.3
                output[c * channelStride] = out
                v += plane
            }
            return
        }
        for c in 0..<channels {
            let v = input + c * plane
            var out: Float = 0
            if inY0 && inX0 { out += v[y0 * width + x0] * w.0 }
            if inY0 && inX1 { out += v[y0 * width + x1] * w.1 }
            if inY1 && inX0 { out += v[y1 * width + x0] * w.2 }
            if inY1 && inX1 { out += v[y1 * width + x1] * w.3 }
            output[c * channelStride] = out
        }
    }

    /// `sourceCoordinate` for eight grid values.
    @inline(__always)
    static func sourceCoordinates(_ g: SIMD8<Float>, size: Int, padding: GridSamplePadding, alignCorners: Bool) -> SIMD8<Float> {
        let s = Float(size)
        let shifted: SIMD8<Float> = g + 1
        var i: SIMD8<Float>
        if alignCorners {
            let half: SIMD8<Float> = shifted / 2
            i = half * (s - 1)
        } else {
            let scaled: SIMD8<Float> = shifted * s - 1
            i = scaled / 2
        }
        if padding == .border {
            i = i.replacing(with: 0, where: i .< 0)
            i = i.replacing(with: s - 1, where: .!(i .< s - 1))
        }
        return i
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
    /// `[−1, 1]`), giving `[N, C, Ho, Wo]`; parallel over images and blocks of points.
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
                    // Parallel over (image, block of points).
                    let block = 4096
                    let blocks = (points + block - 1) / block
                    Parallel.forEach(n * blocks) { index in
                        let image = index / blocks, p0 = (index % blocks) * block
                        GridSample.run(input: xp + image * c * h * w, channels: c, height: h, width: w,
                                       grid: gb + (image * points + p0) * 2, points: min(block, points - p0),
                                       padding: padding, alignCorners: alignCorners,
                                       output: yp + image * c * points + p0, channelStride: points)
                    }
                }
            }
        }
        return out
    }
}
