import ModelIO
import Numerics

/// The style-modulated RRDB super-resolution network (`sr_net`, `StyleRRDBNet`, SPEC §2.6) without its
/// mapping network: `conv_first`, `nb` RRDBs of three 5-convolution residual dense blocks, `trunk_conv`,
/// one modulated up-convolution + pixel shuffle ×2 + LReLU per factor 2, a modulated `HRconv` + LReLU and
/// a modulated `conv_last`. `hrMaps` applies the sigmoid of `manifold_sr`.
///
/// Maps are processed one at a time through buffers allocated once per call, so memory stays bounded
/// (about 3 × `4·up_channels[-1]·(HS/2)²` floats at the official size).
public struct StyleRRDBNet: Sendable {
    /// One residual dense block: conv1..conv5 on the growing concatenation `[u, x1, x2, x3, x4]`.
    ///
    /// Evaluated by input segment rather than by convolution: segment `s` (`u`, then `x1`..`x4`) feeds
    /// conv `s+1`..conv5 at once through one convolution whose weight stacks those convolutions' slices for
    /// the segment's channels. The sums are the same (in another order), each segment is unfolded once
    /// instead of once per convolution, and the GEMMs get 64..192 output rows instead of 32.
    public struct DenseBlock: Sendable {
        /// conv1..conv5 as in the checkpoint.
        public let convs: [ConvLayer]
        /// Per segment `s`: conv `s+1`..conv5 restricted to the segment's channels, stacked by output
        /// channel, zero bias.
        let segments: [ConvLayer]
        /// Biases of conv1..conv5 concatenated, `[4·gc + nf]`.
        let bias: [Float]

        init(convs: [ConvLayer], nf: Int, gc: Int) throws {
            self.convs = convs
            bias = convs.flatMap { $0.bias.scalars }
            let k = convs[0].kernel
            segments = try (0..<5).map { s in
                let channels = s == 0 ? 0..<nf : (nf + (s - 1) * gc)..<(nf + s * gc)
                var w: [Float] = []
                var rows = 0
                for conv in convs[s...] {
                    let full = conv.weight.scalars
                    let inputs = conv.inputChannels
                    for o in 0..<conv.outputChannels {
                        let base = (o * inputs + channels.lowerBound) * k * k
                        w += full[base..<(base + channels.count * k * k)]
                    }
                    rows += conv.outputChannels
                }
                return try ConvLayer(weight: Tensor(shape: [rows, channels.count, k, k], scalars: w),
                                     bias: Tensor.zeros([rows]))
            }
        }
    }

    public let configuration: GeneratorConfiguration
    public let convFirst: ConvLayer
    /// `RRDB_trunk.{r}.RDB{1,2,3}`, `[nb][3]`.
    public let trunk: [[DenseBlock]]
    public let trunkConv: ConvLayer
    /// `upconvs.{t}` (unmodulated weights).
    public let upconvs: [ConvLayer]
    public let hrConv: ConvLayer
    public let convLast: ConvLayer

    /// Loads `sr_net.*` (without `mapping_network`) for `configuration`.
    public init(weights: Weights, configuration c: GeneratorConfiguration) throws {
        configuration = c
        let kw = c.srNetKwargs
        let (nf, gc) = (kw.nf, kw.gc)
        let inChannels = 4 + c.featureDim
        convFirst = try ConvLayer(weights: weights, prefix: "sr_net.conv_first", input: inChannels, output: nf, kernel: 3)
        trunk = try (0..<kw.nb).map { r in
            try (1...3).map { b in
                let p = "sr_net.RRDB_trunk.\(r).RDB\(b)."
                return try DenseBlock(convs: (0..<5).map { i in
                    try ConvLayer(weights: weights, prefix: p + "conv\(i + 1)", input: nf + i * gc,
                                  output: i == 4 ? nf : gc, kernel: 3)
                }, nf: nf, gc: gc)
            }
        }
        trunkConv = try ConvLayer(weights: weights, prefix: "sr_net.trunk_conv", input: nf, output: nf, kernel: 3)
        let up = kw.upChannels
        upconvs = try up.indices.map { t in
            try ConvLayer(weights: weights, prefix: "sr_net.upconvs.\(t)", input: t == 0 ? nf : up[t - 1],
                          output: 4 * up[t], kernel: kw.upSampleKernelSize)
        }
        let last = up[up.count - 1]
        hrConv = try ConvLayer(weights: weights, prefix: "sr_net.HRconv", input: last, output: last,
                               kernel: kw.upSampleKernelSize)
        convLast = try ConvLayer(weights: weights, prefix: "sr_net.conv_last", input: last, output: 4,
                                 kernel: kw.toRGBKernelSize)
    }

    /// The modulated layers (`upconvs...`, `HRconv`, `conv_last`) for one style vector `[style_dim]`,
    /// whose slices are consumed in that order (each as long as the layer's input channels).
    public func modulatedLayers(style: [Float]) throws -> [ConvLayer] {
        let layers = upconvs + [hrConv, convLast]
        let needed = layers.reduce(0) { $0 + $1.inputChannels }
        guard style.count == needed else {
            throw GeneratorError.invalidInput(field: "style", reason: "\(style.count) values, the SR net needs \(needed)")
        }
        var offset = 0
        return try layers.map { layer in
            defer { offset += layer.inputChannels }
            return try layer.modulated(by: Array(style[offset..<(offset + layer.inputChannels)]))
        }
    }

    /// `HRmap = sigmoid(SRNet(LRfeat, style))`: `lrFeatures` `[M, 4 + F, HL, HL]`, `style` `[style_dim]`
    /// (the same for every map) → `[M, 4, HS, HS]`. `isCancelled` is polled before every map and every
    /// RRDB; a cancelled call throws `CancellationError`.
    public func hrMaps(lrFeatures: Tensor, style: [Float], isCancelled: (@Sendable () -> Bool)? = nil) throws -> Tensor {
        let c = configuration
        let kw = c.srNetKwargs
        let (nf, gc) = (kw.nf, kw.gc)
        let inChannels = 4 + c.featureDim
        guard lrFeatures.rank == 4, lrFeatures.shape[1] == inChannels, lrFeatures.shape[2] == lrFeatures.shape[3] else {
            throw GeneratorError.invalidInput(field: "lr_features",
                                              reason: "shape \(lrFeatures.shape), expected [M, \(inChannels), H, H]")
        }
        let maps = lrFeatures.shape[0]
        let low = lrFeatures.shape[2]
        let modulated = try modulatedLayers(style: style)
        let ups = Array(modulated[0..<upconvs.count])
        let hr = modulated[upconvs.count]
        let toRGB = modulated[upconvs.count + 1]

        // Geometries at each resolution.
        let gFirst = try convFirst.geometry(height: low, width: low)
        let gSegments = try trunk[0][0].segments.map { try $0.geometry(height: low, width: low) }
        let gTrunk = try trunkConv.geometry(height: low, width: low)
        var gUp: [Conv2DGeometry] = []
        var size = low
        for layer in ups {
            gUp.append(try layer.geometry(height: size, width: size))
            size *= 2
        }
        let high = size
        let gHR = try hr.geometry(height: high, width: high)
        let gRGB = try toRGB.geometry(height: high, width: high)
        let all = [gFirst, gTrunk, gHR, gRGB] + gSegments + gUp
        let scratchCount = all.map { Conv2D.batchScratchCount($0) }.max() ?? 0

        let plane = low * low
        let upFloats = zip(ups, gUp).map { $0.outputChannels * $1.height * $1.width }.max() ?? 0
        let bigFloats = max(upFloats, hr.outputChannels * high * high)
        var fea = Tensor.zeros([nf * plane])
        var trunkState = Tensor.zeros([nf * plane])
        let accChannels = 4 * gc + nf
        var dense = Tensor.zeros([nf * plane])            // u
        var acc = Tensor.zeros([accChannels * plane])     // conv1..conv5 outputs (x1..x4 after LReLU, x5)
        var temp = Tensor.zeros([accChannels * plane])
        var bufferA = Tensor.zeros([bigFloats])
        var bufferB = Tensor.zeros([bigFloats])
        var scratch = Tensor.zeros([max(scratchCount, 1)])
        var out = Tensor.zeros([maps, 4, high, high])
        let highPlane = high * high

        func checkCancelled() throws { if let isCancelled, isCancelled() { throw CancellationError() } }
        try lrFeatures.withUnsafeBufferPointer { input in
        try fea.withUnsafeMutableBufferPointer { feaB in
        try trunkState.withUnsafeMutableBufferPointer { tB in
        try dense.withUnsafeMutableBufferPointer { dB in
        try temp.withUnsafeMutableBufferPointer { tmpB in
        try acc.withUnsafeMutableBufferPointer { accB in
        try bufferA.withUnsafeMutableBufferPointer { aB in
        try bufferB.withUnsafeMutableBufferPointer { bB in
        try scratch.withUnsafeMutableBufferPointer { sB in
        try out.withUnsafeMutableBufferPointer { oB in
            let s = sB.baseAddress!
            let feaP = feaB.baseAddress!, tP = tB.baseAddress!, dP = dB.baseAddress!, tmpP = tmpB.baseAddress!
            let aP = aB.baseAddress!, bP = bB.baseAddress!, accP = accB.baseAddress!
            let n = nf * plane
            for m in 0..<maps {
                try checkCancelled()
                convFirst.apply(gFirst, input: input.baseAddress! + m * inChannels * plane, output: feaP, scratch: s)
                tP.update(from: feaP, count: n)
                for rrdb in trunk {
                    try checkCancelled()
                    dP.update(from: tP, count: n)
                    for block in rrdb {
                        for (c, b) in block.bias.enumerated() {
                            (accP + c * plane).update(repeating: b, count: plane)
                        }
                        for seg in 0..<5 {
                            // Segment `seg` (u, or x_seg kept in accumulator slot seg − 1) feeds conv seg+1..5,
                            // whose accumulators are contiguous from slot `seg` on.
                            let input = seg == 0 ? UnsafePointer(dP) : UnsafePointer(accP + (seg - 1) * gc * plane)
                            block.segments[seg].apply(gSegments[seg], input: input, output: tmpP, scratch: s)
                            let target = accP + seg * gc * plane
                            let count = block.segments[seg].outputChannels * plane
                            for j in 0..<count { target[j] = target[j] + tmpP[j] }
                            if seg < 4 {
                                Activation.leakyReLU.apply(UnsafeMutableBufferPointer(start: target, count: gc * plane))
                            }
                        }
                        let x5 = accP + 4 * gc * plane
                        for j in 0..<n { dP[j] = x5[j] * 0.2 + dP[j] }
                    }
                    for j in 0..<n { tP[j] = dP[j] * 0.2 + tP[j] }
                }
                trunkConv.apply(gTrunk, input: tP, output: tmpP, scratch: s)
                for j in 0..<n { feaP[j] = feaP[j] + tmpP[j] }

                var current = UnsafePointer(feaP)
                for (t, layer) in ups.enumerated() {
                    let g = gUp[t]
                    layer.apply(g, input: current, output: aP, scratch: s)
                    let channels = layer.outputChannels / 4
                    PixelShuffle.run(input: aP, outChannels: channels, height: g.height, width: g.width, factor: 2, output: bP)
                    Activation.leakyReLU.apply(UnsafeMutableBufferPointer(start: bP, count: layer.outputChannels * g.height * g.width))
                    current = UnsafePointer(bP)
                }
                hr.apply(gHR, input: current, output: aP, scratch: s)
                Activation.leakyReLU.apply(UnsafeMutableBufferPointer(start: aP, count: hr.outputChannels * highPlane))
                let mapOut = oB.baseAddress! + m * 4 * highPlane
                toRGB.apply(gRGB, input: aP, output: mapOut, scratch: s)
                VectorMath.sigmoid(mapOut, mapOut, count: 4 * highPlane)
            }
        }}}}}}}}}}
        return out
    }
}
