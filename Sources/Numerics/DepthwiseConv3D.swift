/// Geometry of a depthwise 3-D convolution over N,C,D,H,W volumes: one `kernelDepth x kernelHeight x
/// kernelWidth` kernel per channel (PyTorch `conv3d` with `groups = C`, weight `[C, 1, kd, kh, kw]`,
/// cross-correlation, stride 1, no bias) after reflect padding (SPEC.md A.6: no edge repetition).
///
/// Output size per axis: `n + 2·pad − k + 1`.
public struct DepthwiseConv3DGeometry: Sendable, Equatable {
    public let channels: Int
    public let depth: Int
    public let height: Int
    public let width: Int
    public let kernelDepth: Int
    public let kernelHeight: Int
    public let kernelWidth: Int
    public let padDepth: Int
    public let padHeight: Int
    public let padWidth: Int

    /// - Parameter padding: reflect padding per axis (depth, height, width); `nil` means `(k − 1) / 2` per
    ///   axis. Each pad must be smaller than its axis (reflection needs `pad < n`).
    public init(channels: Int, depth: Int, height: Int, width: Int,
                kernel: (depth: Int, height: Int, width: Int),
                padding: (depth: Int, height: Int, width: Int)? = nil) throws {
        let pad = padding ?? ((kernel.depth - 1) / 2, (kernel.height - 1) / 2, (kernel.width - 1) / 2)
        let fail = { (reason: String) in NumericsError.invalidArgument(operation: "depthwiseConv3d", reason: reason) }
        guard channels > 0, depth > 0, height > 0, width > 0,
              kernel.depth > 0, kernel.height > 0, kernel.width > 0 else {
            throw fail("invalid geometry: \(channels) channels, volume \(depth)x\(height)x\(width), kernel \(kernel.depth)x\(kernel.height)x\(kernel.width)")
        }
        guard pad.depth >= 0, pad.height >= 0, pad.width >= 0,
              pad.depth < depth, pad.height < height, pad.width < width else {
            throw fail("reflect padding \(pad.depth),\(pad.height),\(pad.width) needs 0 <= pad < size for volume \(depth)x\(height)x\(width)")
        }
        guard depth + 2 * pad.depth >= kernel.depth, height + 2 * pad.height >= kernel.height,
              width + 2 * pad.width >= kernel.width else {
            throw fail("kernel \(kernel.depth)x\(kernel.height)x\(kernel.width) larger than padded volume \(depth + 2 * pad.depth)x\(height + 2 * pad.height)x\(width + 2 * pad.width)")
        }
        self.channels = channels
        self.depth = depth
        self.height = height
        self.width = width
        kernelDepth = kernel.depth
        kernelHeight = kernel.height
        kernelWidth = kernel.width
        padDepth = pad.depth
        padHeight = pad.height
        padWidth = pad.width
    }

    public var outDepth: Int { depth + 2 * padDepth - kernelDepth + 1 }
    public var outHeight: Int { height + 2 * padHeight - kernelHeight + 1 }
    public var outWidth: Int { width + 2 * padWidth - kernelWidth + 1 }
    /// `[channels, 1, kd, kh, kw]`.
    public var weightShape: [Int] { [channels, 1, kernelDepth, kernelHeight, kernelWidth] }
    /// Taps per channel (`kd · kh · kw`).
    public var taps: Int { kernelDepth * kernelHeight * kernelWidth }
    /// Floats in one input volume `[depth, height, width]`.
    public var volumeCount: Int { depth * height * width }
    /// Floats in one output volume.
    public var outVolumeCount: Int { outDepth * outHeight * outWidth }
    public var paddedDepth: Int { depth + 2 * padDepth }
    public var paddedHeight: Int { height + 2 * padHeight }
    public var paddedWidth: Int { width + 2 * padWidth }
    /// Floats of scratch one volume needs (its reflect-padded copy).
    public var scratchCount: Int { paddedDepth * paddedHeight * paddedWidth }
}

/// Reflect-index of a padded coordinate `u ∈ [−p, n − 1 + p]` (SPEC.md A.6), for `p < n`.
@inlinable
func reflectIndex(_ u: Int, _ n: Int) -> Int {
    u < 0 ? -u : (u > n - 1 ? 2 * (n - 1) - u : u)
}

/// Depthwise 3-D convolution with reflect padding.
public enum DepthwiseConv3D {
    /// Convolves one channel's volume.
    /// - Parameters:
    ///   - input: `[depth, height, width]`.
    ///   - weight: that channel's kernel `[kd, kh, kw]`.
    ///   - output: `[outDepth, outHeight, outWidth]`.
    ///   - scratch: `geometry.scratchCount` floats (receives the padded volume).
    public static func runVolume(_ g: DepthwiseConv3DGeometry, input: UnsafePointer<Float>,
                                 weight: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                                 scratch: UnsafeMutablePointer<Float>) {
        pad(g, input: input, into: scratch)
        let padded = UnsafePointer(scratch)
        let pw = g.paddedWidth, ph = g.paddedHeight, ow = g.outWidth
        let kd = g.kernelDepth, kh = g.kernelHeight, kw = g.kernelWidth
        for d in 0..<g.outDepth {
            var y = 0
            // Pairs of output rows share every loaded input vector (row y uses kernel row b, row y + 1 kernel
            // row b − 1): 8 accumulators over 32 columns hide the FMA latency and halve the loads.
            while y + 2 <= g.outHeight {
                let row0 = output + (d * g.outHeight + y) * ow, row1 = row0 + ow
                let origin = padded + (d * ph + y) * pw
                var x = 0
                while x + 32 <= ow {
                    var p0 = SIMD8<Float>(), p1 = SIMD8<Float>(), p2 = SIMD8<Float>(), p3 = SIMD8<Float>()
                    var q0 = SIMD8<Float>(), q1 = SIMD8<Float>(), q2 = SIMD8<Float>(), q3 = SIMD8<Float>()
                    for a in 0..<kd {
                        for b in 0...kh {
                            let src = origin + (a * ph + b) * pw + x
                            // Kernel row b serves output row y, kernel row b − 1 output row y + 1.
                            if b == 0 {
                                let taps = weight + a * kh * kw
                                for c in 0..<kw {
                                    let w = SIMD8<Float>(repeating: taps[c]), s = src + c
                                    p0 = p0.addingProduct(load8(s), w); p1 = p1.addingProduct(load8(s + 8), w)
                                    p2 = p2.addingProduct(load8(s + 16), w); p3 = p3.addingProduct(load8(s + 24), w)
                                }
                            } else if b == kh {
                                let tapsBelow = weight + (a * kh + b - 1) * kw
                                for c in 0..<kw {
                                    let w = SIMD8<Float>(repeating: tapsBelow[c]), s = src + c
                                    q0 = q0.addingProduct(load8(s), w); q1 = q1.addingProduct(load8(s + 8), w)
                                    q2 = q2.addingProduct(load8(s + 16), w); q3 = q3.addingProduct(load8(s + 24), w)
                                }
                            } else {
                                let taps = weight + (a * kh + b) * kw, tapsBelow = taps - kw
                                for c in 0..<kw {
                                    let w = SIMD8<Float>(repeating: taps[c]), v = SIMD8<Float>(repeating: tapsBelow[c])
                                    let s = src + c
                                    let s0 = load8(s), s1 = load8(s + 8), s2 = load8(s + 16), s3 = load8(s + 24)
                                    p0 = p0.addingProduct(s0, w); p1 = p1.addingProduct(s1, w)
                                    p2 = p2.addingProduct(s2, w); p3 = p3.addingProduct(s3, w)
                                    q0 = q0.addingProduct(s0, v); q1 = q1.addingProduct(s1, v)
                                    q2 = q2.addingProduct(s2, v); q3 = q3.addingProduct(s3, v)
                                }
                            }
                        }
                    }
                    store8(p0, row0 + x); store8(p1, row0 + x + 8); store8(p2, row0 + x + 16); store8(p3, row0 + x + 24)
                    store8(q0, row1 + x); store8(q1, row1 + x + 8); store8(q2, row1 + x + 16); store8(q3, row1 + x + 24)
                    x += 32
                }
                if x < ow {
                    narrowColumns(g, from: x, origin: origin, weight: weight, row: row0)
                    narrowColumns(g, from: x, origin: origin + pw, weight: weight, row: row1)
                }
                y += 2
            }
            if y < g.outHeight {
                narrowColumns(g, from: 0, origin: padded + (d * ph + y) * pw, weight: weight,
                              row: output + (d * g.outHeight + y) * ow)
            }
        }
    }

    /// Output columns `x0..<outWidth` of one output row whose window starts at `origin` (the padded input at
    /// the row's first depth and height tap), in blocks of 8 and then single columns.
    @inline(__always)
    static func narrowColumns(_ g: DepthwiseConv3DGeometry, from x0: Int, origin: UnsafePointer<Float>,
                              weight: UnsafePointer<Float>, row: UnsafeMutablePointer<Float>) {
        let pw = g.paddedWidth, ph = g.paddedHeight, ow = g.outWidth
        let kd = g.kernelDepth, kh = g.kernelHeight, kw = g.kernelWidth
        var x = x0
        while x + 8 <= ow {
            var acc = SIMD8<Float>()
            for a in 0..<kd {
                for b in 0..<kh {
                    let src = origin + (a * ph + b) * pw + x
                    let taps = weight + (a * kh + b) * kw
                    for c in 0..<kw { acc = acc.addingProduct(load8(src + c), SIMD8<Float>(repeating: taps[c])) }
                }
            }
            store8(acc, row + x)
            x += 8
        }
        while x < ow {
            var acc: Float = 0
            for a in 0..<kd {
                for b in 0..<kh {
                    let src = origin + (a * ph + b) * pw + x
                    let taps = weight + (a * kh + b) * kw
                    for c in 0..<kw { acc = acc.addingProduct(src[c], taps[c]) }
                }
            }
            row[x] = acc
            x += 1
        }
    }

    @inline(__always)
    static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    static func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }

    /// Writes the reflect-padded copy `[paddedDepth, paddedHeight, paddedWidth]` of one volume.
    static func pad(_ g: DepthwiseConv3DGeometry, input: UnsafePointer<Float>, into padded: UnsafeMutablePointer<Float>) {
        let pw = g.paddedWidth, ph = g.paddedHeight, w = g.width, p = g.padWidth
        for u in 0..<g.paddedDepth {
            let z = reflectIndex(u - g.padDepth, g.depth)
            for v in 0..<ph {
                let y = reflectIndex(v - g.padHeight, g.height)
                let src = input + (z * g.height + y) * w
                let dst = padded + (u * ph + v) * pw
                (dst + p).update(from: src, count: w)
                for i in 0..<p {
                    dst[i] = src[p - i]                 // padded index i − p < 0 reads x[p − i]
                    dst[p + w + i] = src[w - 2 - i]     // index w + i reads x[2(w − 1) − (w + i)]
                }
            }
        }
    }

    /// Floats of scratch `forward` needs for its parallel workers.
    public static func batchScratchCount(_ g: DepthwiseConv3DGeometry) -> Int { g.scratchCount * Parallel.workerCount }

    /// Convolves `[batch, channels, depth, height, width]` with weight `[channels, 1, kd, kh, kw]` into
    /// `[batch, channels, outDepth, outHeight, outWidth]`, parallel over volumes.
    /// - Parameter scratch: `batchScratchCount(g)` floats, or nil to allocate them for this call.
    public static func forward(_ g: DepthwiseConv3DGeometry, batch: Int, input: UnsafePointer<Float>,
                               weight: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                               scratch: UnsafeMutablePointer<Float>? = nil) {
        let owned: UnsafeMutablePointer<Float>? = scratch == nil ? .allocate(capacity: batchScratchCount(g)) : nil
        defer { owned?.deallocate() }
        guard let base = scratch ?? owned else { return }
        Parallel.forEachWithWorker(batch * g.channels) { index, worker in
            let channel = index % g.channels
            runVolume(g, input: input + index * g.volumeCount, weight: weight + channel * g.taps,
                      output: output + index * g.outVolumeCount, scratch: base + worker * g.scratchCount)
        }
    }
}

extension Tensor {
    /// Depthwise 3-D convolution of `[N, C, D, H, W]` with weight `[C, 1, kd, kh, kw]` (no bias, stride 1)
    /// after reflect padding `padding` (depth, height, width; default `(k − 1) / 2` per axis).
    public func depthwiseConv3d(weight: Tensor, padding: (depth: Int, height: Int, width: Int)? = nil) throws -> Tensor {
        guard rank == 5, weight.rank == 5 else {
            throw NumericsError.invalidArgument(operation: "depthwiseConv3d",
                                                reason: "needs input [N, C, D, H, W] and weight [C, 1, kd, kh, kw], got \(shape) and \(weight.shape)")
        }
        let g = try DepthwiseConv3DGeometry(channels: shape[1], depth: shape[2], height: shape[3], width: shape[4],
                                            kernel: (weight.shape[2], weight.shape[3], weight.shape[4]),
                                            padding: padding)
        try weight.checkShape(g.weightShape, "depthwiseConv3d weight for input \(shape)")
        var out = Tensor.zeros([shape[0], g.channels, g.outDepth, g.outHeight, g.outWidth])
        withUnsafeBufferPointer { x in
            weight.withUnsafeBufferPointer { w in
                out.withUnsafeMutableBufferPointer { y in
                    guard let xp = x.baseAddress, let wp = w.baseAddress, let yp = y.baseAddress else { return }
                    DepthwiseConv3D.forward(g, batch: shape[0], input: xp, weight: wp, output: yp)
                }
            }
        }
        return out
    }
}
