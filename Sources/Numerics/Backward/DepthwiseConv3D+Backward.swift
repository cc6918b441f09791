extension DepthwiseConv3D {
    /// The geometry of the input-gradient pass: the output gradient zero-padded by `k − 1` per side and
    /// correlated (no further padding) with the flipped kernel gives the padded-volume gradient.
    public static func transposedGeometry(_ g: DepthwiseConv3DGeometry) throws -> DepthwiseConv3DGeometry {
        try DepthwiseConv3DGeometry(channels: 1, depth: g.outDepth + 2 * (g.kernelDepth - 1),
                                    height: g.outHeight + 2 * (g.kernelHeight - 1), width: g.outWidth + 2 * (g.kernelWidth - 1),
                                    kernel: (g.kernelDepth, g.kernelHeight, g.kernelWidth), padding: (0, 0, 0))
    }

    /// Floats of scratch `backwardVolume` needs (`t` = `transposedGeometry(g)`).
    public static func backwardScratchCount(_ g: DepthwiseConv3DGeometry, transposed t: DepthwiseConv3DGeometry) -> Int {
        2 * g.scratchCount + 2 * t.volumeCount + g.taps
    }

    /// Gradients of `runVolume` for one channel's volume, accumulated (`+=`):
    /// - `gradWeight[tap] += Σ_o g[o]·padded[o + tap]` (8-lane dot products, three taps per loaded gradient
    ///   vector);
    /// - the input gradient: the padded-volume gradient `Σ_tap g[u − tap]·w[tap]` (the forward kernel on the
    ///   zero-padded output gradient with the flipped kernel), folded back through the reflection.
    /// - Parameters:
    ///   - input: `[depth, height, width]`; `weight`: `[kd, kh, kw]`; `gradOutput`: the output volume's gradient.
    ///   - gradInput: `[depth, height, width]` or nil; `gradWeight`: `[kd, kh, kw]` or nil.
    ///   - transposed: `transposedGeometry(g)`.
    ///   - scratch: `backwardScratchCount(g, transposed:)` floats.
    public static func backwardVolume(_ g: DepthwiseConv3DGeometry, transposed t: DepthwiseConv3DGeometry,
                                      input: UnsafePointer<Float>,
                                      weight: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                      gradInput: UnsafeMutablePointer<Float>?, gradWeight: UnsafeMutablePointer<Float>?,
                                      scratch: UnsafeMutablePointer<Float>) {
        let pw = g.paddedWidth, ph = g.paddedHeight
        let od = g.outDepth, oh = g.outHeight, ow = g.outWidth
        let kd = g.kernelDepth, kh = g.kernelHeight, kw = g.kernelWidth
        if let gradWeight {
            let padded = scratch
            pad(g, input: input, into: padded)
            for a in 0..<kd {
                for b in 0..<kh {
                    var c = 0
                    while c < kw {
                        let taps = min(3, kw - c)
                        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>(), acc2 = SIMD8<Float>()
                        var tail0: Float = 0, tail1: Float = 0, tail2: Float = 0
                        for d in 0..<od {
                            for y in 0..<oh {
                                let dy = gradOutput + (d * oh + y) * ow
                                let src = UnsafePointer(padded) + ((d + a) * ph + y + b) * pw + c
                                var x = 0
                                while x + 8 <= ow {
                                    let v = load8(dy + x)
                                    acc0 = acc0.addingProduct(v, load8(src + x))
                                    if taps > 1 { acc1 = acc1.addingProduct(v, load8(src + x + 1)) }
                                    if taps > 2 { acc2 = acc2.addingProduct(v, load8(src + x + 2)) }
                                    x += 8
                                }
                                while x < ow {
                                    tail0 += dy[x] * src[x]
                                    if taps > 1 { tail1 += dy[x] * src[x + 1] }
                                    if taps > 2 { tail2 += dy[x] * src[x + 2] }
                                    x += 1
                                }
                            }
                        }
                        let tap = (a * kh + b) * kw + c
                        gradWeight[tap] += acc0.sum() + tail0
                        if taps > 1 { gradWeight[tap + 1] += acc1.sum() + tail1 }
                        if taps > 2 { gradWeight[tap + 2] += acc2.sum() + tail2 }
                        c += taps
                    }
                }
            }
        }
        guard let gradInput else { return }
        let gradPadded = scratch + g.scratchCount
        let zeroPadded = gradPadded + g.scratchCount, forwardScratch = zeroPadded + t.volumeCount
        let flipped = forwardScratch + t.volumeCount
        for i in 0..<g.taps { flipped[i] = weight[g.taps - 1 - i] }
        zeroPadded.update(repeating: 0, count: t.volumeCount)
        for d in 0..<od {
            for y in 0..<oh {
                (zeroPadded + ((d + kd - 1) * t.height + y + kh - 1) * t.width + kw - 1)
                    .update(from: gradOutput + (d * oh + y) * ow, count: ow)
            }
        }
        runVolume(t, input: zeroPadded, weight: flipped, output: gradPadded, scratch: forwardScratch)
        // Fold the padded gradient back: padded index u reads input reflectIndex(u − pad).
        for u in 0..<g.paddedDepth {
            let z = reflectIndex(u - g.padDepth, g.depth)
            for v in 0..<ph {
                let y = reflectIndex(v - g.padHeight, g.height)
                let dst = gradInput + (z * g.height + y) * g.width
                let src = gradPadded + (u * ph + v) * pw
                for i in 0..<pw { dst[reflectIndex(i - g.padWidth, g.width)] += src[i] }
            }
        }
    }
}

extension Tensor {
    /// Gradients of `depthwiseConv3d` (same arguments) for the output gradient `gradient`: input
    /// `[N, C, D, H, W]` and weight `[C, 1, kd, kh, kw]` (nil unless requested). Parallel over channels.
    public func depthwiseConv3dBackward(weight: Tensor, padding: (depth: Int, height: Int, width: Int)? = nil,
                                        gradient: Tensor, input wantInput: Bool, weight wantWeight: Bool) throws
        -> (input: Tensor?, weight: Tensor?) {
        guard rank == 5, weight.rank == 5 else {
            throw NumericsError.invalidArgument(operation: "depthwiseConv3dBackward",
                                                reason: "needs input [N, C, D, H, W] and weight [C, 1, kd, kh, kw], got \(shape) and \(weight.shape)")
        }
        let g = try DepthwiseConv3DGeometry(channels: shape[1], depth: shape[2], height: shape[3], width: shape[4],
                                            kernel: (weight.shape[2], weight.shape[3], weight.shape[4]), padding: padding)
        try weight.checkShape(g.weightShape, "depthwiseConv3dBackward weight for input \(shape)")
        try gradient.checkShape([shape[0], g.channels, g.outDepth, g.outHeight, g.outWidth], "depthwiseConv3dBackward output gradient")
        var gx: Tensor? = wantInput ? Tensor.zeros(shape) : nil
        var gw: Tensor? = wantWeight ? Tensor.zeros(weight.shape) : nil
        let batch = shape[0]
        let transposed = try DepthwiseConv3D.transposedGeometry(g)
        let perWorker = DepthwiseConv3D.backwardScratchCount(g, transposed: transposed)
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: perWorker * min(Parallel.workerCount, g.channels))
        defer { scratch.deallocate() }
        withUnsafeBufferPointer { x in
            weight.withUnsafeBufferPointer { w in
                gradient.withUnsafeBufferPointer { dy in
                    gx.withOptionalMutablePointer { gxp in
                        gw.withOptionalMutablePointer { gwp in
                            guard let xp = x.baseAddress, let wp = w.baseAddress, let dyp = dy.baseAddress else { return }
                            // One task per channel: it owns that channel's weight gradient over the whole batch.
                            Parallel.forEachWithWorker(g.channels) { channel, worker in
                                for image in 0..<batch {
                                    let volume = image * g.channels + channel
                                    DepthwiseConv3D.backwardVolume(
                                        g, transposed: transposed, input: xp + volume * g.volumeCount, weight: wp + channel * g.taps,
                                        gradOutput: dyp + volume * g.outVolumeCount,
                                        gradInput: gxp.map { $0 + volume * g.volumeCount },
                                        gradWeight: gwp.map { $0 + channel * g.taps },
                                        scratch: scratch + worker * perWorker)
                                }
                            }
                        }
                    }
                }
            }
        }
        return (gx, gw)
    }
}
