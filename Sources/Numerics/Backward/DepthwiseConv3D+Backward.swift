extension DepthwiseConv3D {
    /// Gradients of `runVolume` for one channel's volume, accumulated (`+=`):
    /// `gradWeight[tap] += Σ g[o]·padded[o + tap]` and the input gradient (the padded-volume gradient
    /// `Σ g[o − tap]·w[tap]` folded back through the reflection).
    /// - Parameters:
    ///   - input: `[depth, height, width]`; `weight`: `[kd, kh, kw]`; `gradOutput`: the output volume's gradient.
    ///   - gradInput: `[depth, height, width]` or nil; `gradWeight`: `[kd, kh, kw]` or nil.
    ///   - scratch: `2 · geometry.scratchCount` floats.
    public static func backwardVolume(_ g: DepthwiseConv3DGeometry, input: UnsafePointer<Float>,
                                      weight: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
                                      gradInput: UnsafeMutablePointer<Float>?, gradWeight: UnsafeMutablePointer<Float>?,
                                      scratch: UnsafeMutablePointer<Float>) {
        let padded = scratch, gradPadded = scratch + g.scratchCount
        let pw = g.paddedWidth, ph = g.paddedHeight
        let od = g.outDepth, oh = g.outHeight, ow = g.outWidth
        if gradWeight != nil { pad(g, input: input, into: padded) }
        if gradInput != nil { gradPadded.update(repeating: 0, count: g.scratchCount) }
        for a in 0..<g.kernelDepth {
            for b in 0..<g.kernelHeight {
                for c in 0..<g.kernelWidth {
                    let tap = (a * g.kernelHeight + b) * g.kernelWidth + c
                    let w = weight[tap]
                    var total: Float = 0
                    for d in 0..<od {
                        for y in 0..<oh {
                            let dy = gradOutput + (d * oh + y) * ow
                            let offset = ((d + a) * ph + y + b) * pw + c
                            if gradWeight != nil {
                                let src = UnsafePointer(padded) + offset
                                for x in 0..<ow { total += dy[x] * src[x] }
                            }
                            if gradInput != nil {
                                let dst = gradPadded + offset
                                for x in 0..<ow { dst[x] += w * dy[x] }
                            }
                        }
                    }
                    gradWeight?[tap] += total
                }
            }
        }
        guard let gradInput else { return }
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
        let perWorker = 2 * g.scratchCount
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
                                    DepthwiseConv3D.backwardVolume(g, input: xp + volume * g.volumeCount, weight: wp + channel * g.taps,
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
