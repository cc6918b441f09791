extension GridSample {
    /// `sourceCoordinate` and its derivative with respect to the grid value (PyTorch
    /// `grid_sampler_compute_source_index_set_grad`: the unnormalisation scale, times 0 where border padding
    /// clamps, including at the clamp bounds themselves).
    @inlinable
    public static func sourceCoordinateWithDerivative(_ g: Float, size: Int, padding: GridSamplePadding,
                                                      alignCorners: Bool) -> (Float, Float) {
        let s = Float(size)
        var i = alignCorners ? ((g + 1) / 2) * (s - 1) : ((g + 1) * s - 1) / 2
        var derivative: Float = alignCorners ? (s - 1) / 2 : s / 2
        if padding == .border {
            if i <= 0 {
                i = 0; derivative = 0
            } else if i >= s - 1 {
                i = s - 1; derivative = 0
            }
        }
        return (i, derivative)
    }

    /// Gradients of `run` for one map, accumulated (`+=`):
    /// - `gradInput` `[channels, height, width]` (or nil): every in-bounds tap receives `weight · g`;
    /// - `gradGrid` `[points, 2]` (or nil): `∂/∂gx = Σ_c g_c·((v_ne − v_nw)·(y1 − iy) + (v_se − v_sw)·(iy − y0))·∂ix/∂gx`
    ///   (out-of-bounds taps read 0), likewise for `gy`.
    /// `gradOutput[c · channelStride + p]` is the gradient of channel `c` at point `p`. Sequential (the input
    /// gradient is scattered).
    public static func backward(input: UnsafePointer<Float>, channels: Int, height: Int, width: Int,
                                grid: UnsafePointer<Float>, points: Int, padding: GridSamplePadding, alignCorners: Bool,
                                gradOutput: UnsafePointer<Float>, channelStride: Int,
                                gradInput: UnsafeMutablePointer<Float>?, gradGrid: UnsafeMutablePointer<Float>?) {
        let plane = height * width
        for p in 0..<points {
            let (ix, dxdg) = sourceCoordinateWithDerivative(grid[2 * p], size: width, padding: padding, alignCorners: alignCorners)
            let (iy, dydg) = sourceCoordinateWithDerivative(grid[2 * p + 1], size: height, padding: padding, alignCorners: alignCorners)
            guard ix > -2, ix < Float(width + 1), iy > -2, iy < Float(height + 1) else { continue }
            let fx0 = ix.rounded(.down), fy0 = iy.rounded(.down)
            let x0 = Int(fx0), y0 = Int(fy0), x1 = x0 + 1, y1 = y0 + 1
            let east = ix - fx0, west = (fx0 + 1) - ix, south = iy - fy0, north = (fy0 + 1) - iy
            let inX0 = x0 >= 0 && x0 < width, inX1 = x1 >= 0 && x1 < width
            let inY0 = y0 >= 0 && y0 < height, inY1 = y1 >= 0 && y1 < height
            var gix: Float = 0, giy: Float = 0
            for c in 0..<channels {
                let gv = gradOutput[c * channelStride + p]
                let v = input + c * plane
                let nw: Float = inY0 && inX0 ? v[y0 * width + x0] : 0
                let ne: Float = inY0 && inX1 ? v[y0 * width + x1] : 0
                let sw: Float = inY1 && inX0 ? v[y1 * width + x0] : 0
                let se: Float = inY1 && inX1 ? v[y1 * width + x1] : 0
                gix += gv * ((ne - nw) * north + (se - sw) * south)
                giy += gv * ((sw - nw) * west + (se - ne) * east)
                if let gradInput {
                    let d = gradInput + c * plane
                    if inY0 && inX0 { d[y0 * width + x0] += west * north * gv }
                    if inY0 && inX1 { d[y0 * width + x1] += east * north * gv }
                    if inY1 && inX0 { d[y1 * width + x0] += west * south * gv }
                    if inY1 && inX1 { d[y1 * width + x1] += east * south * gv }
                }
            }
            if let gradGrid {
                gradGrid[2 * p] += gix * dxdg
                gradGrid[2 * p + 1] += giy * dydg
            }
        }
    }
}

extension Tensor {
    /// Gradients of `gridSample` (same arguments) for the output gradient `gradient` `[N, C, Ho, Wo]`:
    /// input `[N, C, H, W]` and grid `[N, Ho, Wo, 2]` (nil unless requested). Parallel over images.
    public func gridSampleBackward(_ grid: Tensor, padding: GridSamplePadding = .border, alignCorners: Bool = false,
                                   gradient: Tensor, input wantInput: Bool, grid wantGrid: Bool) throws
        -> (input: Tensor?, grid: Tensor?) {
        guard rank == 4, grid.rank == 4, grid.shape[3] == 2, grid.shape[0] == shape[0] else {
            throw NumericsError.invalidArgument(operation: "gridSampleBackward",
                                                reason: "needs input [N, C, H, W] and grid [N, Ho, Wo, 2], got \(shape) and \(grid.shape)")
        }
        let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
        try gradient.checkShape([n, c, grid.shape[1], grid.shape[2]], "gridSampleBackward output gradient")
        let points = grid.shape[1] * grid.shape[2]
        var gx: Tensor? = wantInput ? Tensor.zeros(shape) : nil
        var gg: Tensor? = wantGrid ? Tensor.zeros(grid.shape) : nil
        withUnsafeBufferPointer { x in
            grid.withUnsafeBufferPointer { gp in
                gradient.withUnsafeBufferPointer { dy in
                    gx.withOptionalMutablePointer { gxp in
                        gg.withOptionalMutablePointer { ggp in
                            guard let xp = x.baseAddress, let gb = gp.baseAddress, let dyp = dy.baseAddress else { return }
                            Parallel.forEach(n) { image in
                                GridSample.backward(input: xp + image * c * h * w, channels: c, height: h, width: w,
                                                    grid: gb + image * points * 2, points: points, padding: padding,
                                                    alignCorners: alignCorners, gradOutput: dyp + image * c * points,
                                                    channelStride: points,
                                                    gradInput: gxp.map { $0 + image * c * h * w },
                                                    gradGrid: ggp.map { $0 + image * points * 2 })
                            }
                        }
                    }
                }
            }
        }
        return (gx, gg)
    }
}
