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
        let pw = g.paddedWidth, ph = g.paddedHeight
        let ow = g.outWidth
        for d in 0..<g.outDepth {
            for y in 0..<g.outHeight {
                let row = output + (d * g.outHeight + y) * ow
                row.update(repeating: 0, count: ow)
                for a in 0..<g.kernelDepth {
                    for b in 0..<g.kernelHeight {
                        let src = UnsafePointer(scratch) + ((d + a) * ph + (y + b)) * pw
                        let taps = weight + (a * g.kernelHeight + b) * g.kernelWidth
                        for c in 0..<g.kernelWidth {
                            let w = taps[c]
                            let s = src + c
                            for x in 0..<ow { row[x] += w * s[x] }
                        }
                    }
                }
            }
        }
    }

    /// Writes the reflect-padded copy `[paddedDepth, paddedHeight, paddedWidth]` of one volume.
    static func pad(_ g: DepthwiseConv3DGeometry, input: UnsafePointer<Float>, into padded: UnsafeMutablePointer<Float>) {
        let pw = g.paddedWidth, ph = g.paddedHeight
        for u in 0..<g.paddedDepth {
            let z = reflectIndex(u - g.padDepth, g.depth)
            for v in 0..<ph {
                let y = reflectIndex(v - g.padHeight, g.height)
                let src = input + (z * g.height + y) * g.width
                let dst = padded + (u * ph + v) * pw
                for i in 0..<pw { dst[i] = src[reflectIndex(i - g.padWidth, g.width)] }
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
