import Numerics

extension FrameStage {
    /// Scratch of one worker for compositing rows of `width` pixels over `manifolds` maps.
    struct RowScratch {
        let width: Int, manifolds: Int
        var floatCount: Int { manifolds * width * 4 + 2 * width + manifolds * 4 * width + 6 * manifolds }
    }

    /// Composites one row of `width` pixels (SPEC F11/F12 after the intersections are known, §1.3, §1.4).
    ///
    /// `coords` holds the intersection of manifold `m` for pixel `x` at `(m·width + x)·3`, `validity` its
    /// 0/1 validity at `m·width + x`. Each map `m` (`[4, mapHeight, mapWidth]` inside `maps`) is read with
    /// `GridSample` (bilinear, border, align_corners = false) at `(x / 0.22, (y − c) / 0.22)`; depths are
    /// distances from `origin`. Colours go to `image[ch·plane + x]` (already offset to the row), depths to
    /// `depth[x]`.
    ///
    /// Invalid entries are skipped: in the reference they get depth 10 and effective alpha 0, so wherever
    /// the sort puts them they multiply the transmittance by `(1 − 0) + 1e-10 = 1` exactly and add exact
    /// zeros to every sum (the maps are finite). Compositing only the valid entries gives the same bits.
    /// `coords` of invalid entries are not read.
    static func compositeRow(width: Int, manifolds: Int, coords: UnsafeMutableBufferPointer<Float>,
                             validity: UnsafeMutableBufferPointer<Float>, origin: SIMD3<Float>,
                             maps: UnsafePointer<Float>, mapHeight: Int, mapWidth: Int,
                             scratch: UnsafeMutableBufferPointer<Float>, indices: UnsafeMutableBufferPointer<Int>,
                             image: UnsafeMutablePointer<Float>, plane: Int, depth: UnsafeMutablePointer<Float>?) {
        var offset = 0
        func carve(_ n: Int) -> UnsafeMutableBufferPointer<Float> {
            defer { offset += n }
            return UnsafeMutableBufferPointer(rebasing: scratch[offset..<(offset + n)])
        }
        let grid = carve(2 * width)
        let colours = carve(manifolds * 4 * width)
        let z = carve(manifolds), rgba = carve(4 * manifolds), valid = carve(manifolds)
        let order = UnsafeMutableBufferPointer(rebasing: indices[0..<manifolds])
        let cursor = UnsafeMutableBufferPointer(rebasing: indices[manifolds..<(2 * manifolds)])
        guard let gridBase = grid.baseAddress, let colourBase = colours.baseAddress else { return }
        let mapPlane = 4 * mapHeight * mapWidth
        // Map lookups of the valid entries only, compacted per manifold in pixel order.
        for m in 0..<manifolds {
            var count = 0
            for x in 0..<width where validity[m * width + x] != 0 {
                let b = (m * width + x) * 3
                grid[2 * count] = coords[b] / sampleScale
                grid[2 * count + 1] = (coords[b + 1] - sampleCenter) / sampleScale
                count += 1
            }
            GridSample.run(input: maps + m * mapPlane, channels: 4, height: mapHeight, width: mapWidth,
                           grid: UnsafePointer(gridBase), points: count, padding: .border, alignCorners: false,
                           output: colourBase + m * 4 * width, channelStride: width)
            cursor[m] = 0
        }
        for x in 0..<width {
            var count = 0
            for m in 0..<manifolds where validity[m * width + x] != 0 {
                let b = (m * width + x) * 3
                let dx = coords[b] - origin.x, dy = coords[b + 1] - origin.y, dz = coords[b + 2] - origin.z
                var s = dx * dx
                s += dy * dy
                s += dz * dz
                z[count] = s.squareRoot()
                valid[count] = 1
                let k = cursor[m]
                cursor[m] = k + 1
                for c in 0..<4 { rgba[4 * count + c] = colours[(m * 4 + c) * width + k] }
                count += 1
            }
            let (colour, d) = Compositor.composite(count: count, z: z, rgba: rgba, valid: valid, order: order)
            image[x] = colour.x
            image[plane + x] = colour.y
            image[2 * plane + x] = colour.z
            depth?[x] = d
        }
    }

    /// F11: the LR image `[3, n, n]` from the intersections `[n², M, 3]`, validity `[n², M]` and the LR maps
    /// `[M, 4, h, w]`, each ray one pixel, with the raw validity.
    static func renderLowResolution(intersections: Tensor, valid: Tensor, origin: SIMD3<Float>, maps: Tensor,
                                    rays n: Int) throws -> Tensor {
        let m = maps.shape[0]
        try intersections.checkShape([n * n, m, 3], "LR rendering intersections")
        try valid.checkShape([n * n, m], "LR rendering validity")
        var image = Tensor.zeros([3, n, n])
        let rowScratch = RowScratch(width: n, manifolds: m)
        let workers = Parallel.workerCount
        var scratch = [Float](repeating: 0, count: rowScratch.floatCount * workers)
        var order = [Int](repeating: 0, count: 2 * m * workers)
        intersections.withUnsafeBufferPointer { ican in
        valid.withUnsafeBufferPointer { v in
        maps.withUnsafeBufferPointer { mp in
        image.withUnsafeMutableBufferPointer { out in
        scratch.withUnsafeMutableBufferPointer { all in
        order.withUnsafeMutableBufferPointer { ord in
            guard let mapBase = mp.baseAddress, let outBase = out.baseAddress else { return }
            Parallel.forEachWithWorker(n) { row, worker in
                let mine = UnsafeMutableBufferPointer(rebasing: all[(worker * rowScratch.floatCount)..<((worker + 1) * rowScratch.floatCount)])
                let coords = UnsafeMutableBufferPointer(rebasing: mine[0..<(m * n * 3)])
                let validity = UnsafeMutableBufferPointer(rebasing: mine[(m * n * 3)..<(m * n * 4)])
                let rest = UnsafeMutableBufferPointer(rebasing: mine[(m * n * 4)...])
                for x in 0..<n {
                    let p = row * n + x
                    for k in 0..<m {
                        for c in 0..<3 { coords[(k * n + x) * 3 + c] = ican[(p * m + k) * 3 + c] }
                        validity[k * n + x] = v[p * m + k]
                    }
                }
                compositeRow(width: n, manifolds: m, coords: coords, validity: validity, origin: origin,
                             maps: mapBase, mapHeight: maps.shape[2], mapWidth: maps.shape[3], scratch: rest,
                             indices: UnsafeMutableBufferPointer(rebasing: ord[(2 * worker * m)..<(2 * (worker + 1) * m)]),
                             image: outBase + row * n, plane: n * n, depth: nil)
            }
        } } } } } }
        return image
    }

    /// F12: the image `[3, S, S]` and depth `[S, S]`: the intersections and validity upsampled bilinearly
    /// (align_corners = true) from `n × n` to `S × S`, validity thresholded at `> 0.99`, then composited
    /// from the HR maps `[M, 4, H, W]`.
    static func renderHighResolution(intersections: Tensor, valid: Tensor, origin: SIMD3<Float>, maps: Tensor,
                                     rays n: Int, size: Int) throws -> (image: Tensor, depth: Tensor) {
        let m = maps.shape[0]
        try intersections.checkShape([n * n, m, 3], "HR rendering intersections")
        try valid.checkShape([n * n, m], "HR rendering validity")
        let axis = try LinearResampleAxis(inCount: n, outCount: size, alignCorners: true)
        var image = Tensor.zeros([3, size, size])
        var depth = Tensor.zeros([size, size])
        let rowScratch = RowScratch(width: size, manifolds: m)
        let workers = Parallel.workerCount
        var scratch = [Float](repeating: 0, count: rowScratch.floatCount * workers)
        var order = [Int](repeating: 0, count: 2 * m * workers)
        let threshold = Float(0.99)
        intersections.withUnsafeBufferPointer { ican in
        valid.withUnsafeBufferPointer { v in
        maps.withUnsafeBufferPointer { mp in
        image.withUnsafeMutableBufferPointer { out in
        depth.withUnsafeMutableBufferPointer { dep in
        scratch.withUnsafeMutableBufferPointer { all in
        order.withUnsafeMutableBufferPointer { ord in
        axis.index0.withUnsafeBufferPointer { i0 in axis.index1.withUnsafeBufferPointer { i1 in
        axis.lambda0.withUnsafeBufferPointer { l0 in axis.lambda1.withUnsafeBufferPointer { l1 in
            guard let mapBase = mp.baseAddress, let outBase = out.baseAddress, let depthBase = dep.baseAddress else { return }
            Parallel.forEachWithWorker(size) { row, worker in
                let mine = UnsafeMutableBufferPointer(rebasing: all[(worker * rowScratch.floatCount)..<((worker + 1) * rowScratch.floatCount)])
                let coords = UnsafeMutableBufferPointer(rebasing: mine[0..<(m * size * 3)])
                let validity = UnsafeMutableBufferPointer(rebasing: mine[(m * size * 3)..<(m * size * 4)])
                let rest = UnsafeMutableBufferPointer(rebasing: mine[(m * size * 4)...])
                let h0 = i0[row], h1 = i1[row], lh0 = l0[row], lh1 = l1[row]
                for x in 0..<size {
                    let w0 = i0[x], w1 = i1[x], lw0 = l0[x], lw1 = l1[x]
                    let p00 = h0 * n + w0, p01 = h0 * n + w1, p10 = h1 * n + w0, p11 = h1 * n + w1
                    for k in 0..<m {
                        let top = lw0 * v[p00 * m + k] + lw1 * v[p01 * m + k]
                        let bottom = lw0 * v[p10 * m + k] + lw1 * v[p11 * m + k]
                        let isValid = lh0 * top + lh1 * bottom > threshold
                        validity[k * size + x] = isValid ? 1 : 0
                        guard isValid else { continue }
                        for c in 0..<3 {
                            let top = lw0 * ican[(p00 * m + k) * 3 + c] + lw1 * ican[(p01 * m + k) * 3 + c]
                            let bottom = lw0 * ican[(p10 * m + k) * 3 + c] + lw1 * ican[(p11 * m + k) * 3 + c]
                            coords[(k * size + x) * 3 + c] = lh0 * top + lh1 * bottom
                        }
                    }
                }
                compositeRow(width: size, manifolds: m, coords: coords, validity: validity, origin: origin,
                             maps: mapBase, mapHeight: maps.shape[2], mapWidth: maps.shape[3], scratch: rest,
                             indices: UnsafeMutableBufferPointer(rebasing: ord[(2 * worker * m)..<(2 * (worker + 1) * m)]),
                             image: outBase + row * size, plane: size * size, depth: depthBase + row * size)
            }
        } } } } } } } } } } }
        return (image, depth)
    }
}
