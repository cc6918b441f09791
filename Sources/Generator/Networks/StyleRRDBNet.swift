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
        /// channel. Segment 0 (`u`, which feeds every convolution) carries the five biases; the others
        /// have zero bias and are added onto the accumulators.
        let segments: [ConvLayer]

        init(convs: [ConvLayer], nf: Int, gc: Int) throws {
            self.convs = convs
            let bias = convs.flatMap { $0.bias.scalars }
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
                                     bias: s == 0 ? Tensor(shape: [rows], scalars: bias) : Tensor.zeros([rows]))
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
        var temp = Tensor.zeros([(accChannels - gc) * plane])  // segment 1 outputs (the widest but u), trunk_conv
        var bufferA = Tensor.zeros([bigFloats])
        var bufferB = Tensor.zeros([bigFloats])
        var scratch = Tensor.zeros([max(scratchCount, 1)])
        var out = Tensor.zeros([maps, 4, high, high])
        let highPlane = high * high

        func checkCancelled() throws { if let isCancelled, isCancelled() { throw CancellationError() } }
        func lrelu(_ p: UnsafeMutablePointer<Float>, _ count: Int) {
            VectorMath.applyParallel(.leakyReLU(slope: 0.2), p, p, count: count)
        }
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
                        // Segment 0 (u) writes every accumulator, biases included.
                        block.segments[0].apply(gSegments[0], input: dP, output: accP, scratch: s)
                        lrelu(accP, gc * plane)
                        for seg in 1..<5 {
                            // Segment x_seg (kept in accumulator slot seg − 1) feeds conv seg+1..5, whose
                            // accumulators are contiguous from slot `seg` on.
                            block.segments[seg].apply(gSegments[seg], input: accP + (seg - 1) * gc * plane,
                                                      output: tmpP, scratch: s)
                            let target = accP + seg * gc * plane
                            parallelChunks(block.segments[seg].outputChannels * plane) { range in
                                for j in range { target[j] = target[j] + tmpP[j] }
                            }
                            if seg < 4 { lrelu(target, gc * plane) }
                        }
                        let x5 = accP + 4 * gc * plane
                        parallelChunks(n) { range in for j in range { dP[j] = x5[j] * 0.2 + dP[j] } }
                    }
                    parallelChunks(n) { range in for j in range { tP[j] = dP[j] * 0.2 + tP[j] } }
                }
                trunkConv.apply(gTrunk, input: tP, output: tmpP, scratch: s)
                parallelChunks(n) { range in for j in range { feaP[j] = feaP[j] + tmpP[j] } }

                var current = UnsafePointer(feaP)
                for (t, layer) in ups.enumerated() {
                    let g = gUp[t]
                    layer.apply(g, input: current, output: aP, scratch: s)
                    let channels = layer.outputChannels / 4
                    let perChannel = 4 * g.height * g.width
                    Parallel.forEach(channels) { ch in
                        PixelShuffle.run(input: aP + ch * perChannel, outChannels: 1, height: g.height, width: g.width,
                                         factor: 2, output: bP + ch * perChannel)
                    }
                    lrelu(bP, layer.outputChannels * g.height * g.width)
                    current = UnsafePointer(bP)
                }
                hr.apply(gHR, input: current, output: aP, scratch: s)
                lrelu(aP, hr.outputChannels * highPlane)
                let mapOut = oB.baseAddress! + m * 4 * highPlane
                toRGB.apply(gRGB, input: aP, output: mapOut, scratch: s)
                VectorMath.applyParallel(.sigmoid, mapOut, mapOut, count: 4 * highPlane)
            }
        }}}}}}}}}}
        return out
    }

    /// Runs `body` over `0..<count` split into chunks spread over the workers (elementwise steps
    /// between convolutions, which are memory-bound and would otherwise leave a core idle).
    private func parallelChunks(_ count: Int, _ body: (Range<Int>) -> Void) {
        let chunk = 1 << 16
        let chunks = (count + chunk - 1) / chunk
        Parallel.forEach(chunks) { c in body((c * chunk)..<min(count, (c + 1) * chunk)) }
    }
}
