import Numerics

/// A 2-D convolution with bias (PyTorch `Conv2d`, stride 1, zero padding `(k − 1)/2`, cross-correlation):
/// weight `[out, in, k, k]`, bias `[out]`.
public struct ConvLayer: Sendable {
    /// `[out, in, k, k]`.
    public let weight: Tensor
    /// `[out]`.
    public let bias: Tensor

    public init(weight: Tensor, bias: Tensor) throws {
        guard weight.rank == 4, weight.shape[2] == weight.shape[3], weight.shape[2] % 2 == 1,
              bias.shape == [weight.shape[0]] else {
            throw GeneratorError.invalidInput(
                field: "ConvLayer", reason: "weight \(weight.shape) / bias \(bias.shape): expected [O, I, k, k] (odd k) and [O]")
        }
        self.weight = weight
        self.bias = bias
    }

    /// Loads `prefix.weight` `[output, input, kernel, kernel]` and `prefix.bias` `[output]`.
    public init(weights: Weights, prefix: String, input: Int, output: Int, kernel: Int) throws {
        try self.init(weight: weights.tensor(prefix + ".weight", shape: [output, input, kernel, kernel]),
                      bias: weights.tensor(prefix + ".bias", shape: [output]))
    }

    public var inputChannels: Int { weight.shape[1] }
    public var outputChannels: Int { weight.shape[0] }
    public var kernel: Int { weight.shape[2] }

    /// The geometry of this convolution on a `height × width` image.
    public func geometry(height: Int, width: Int) throws -> Conv2DGeometry {
        try Conv2DGeometry(inChannels: inputChannels, outChannels: outputChannels, height: height, width: width,
                           kernel: kernel)
    }

    /// The same convolution with its weight modulated and demodulated by `style` (`ModConv2D`, SPEC §2.6):
    /// `W' = W·s[i]`, `d[o] = 1/sqrt(Σ_{i,y,x} W'² + 1e-8)`, `W'' = W'·d[o]`; the bias is unchanged.
    public func modulated(by style: [Float]) throws -> ConvLayer {
        let (o, i, k) = (outputChannels, inputChannels, kernel)
        guard style.count == i else {
            throw GeneratorError.invalidInput(field: "style", reason: "\(style.count) values for a convolution of \(i) input channels")
        }
        let per = i * k * k
        var w = weight.scalars
        for oc in 0..<o {
            var sum: Float = 0
            for ic in 0..<i {
                for t in 0..<(k * k) {
                    let index = oc * per + ic * k * k + t
                    let v = w[index] * style[ic]
                    w[index] = v
                    sum += v * v
                }
            }
            let d = 1 / (sum + 1e-8).squareRoot()
            for index in (oc * per)..<((oc + 1) * per) { w[index] = w[index] * d }
        }
        return try ConvLayer(weight: Tensor(shape: weight.shape, scalars: w), bias: bias)
    }

    /// Convolves one image `[in, H, W]` at `input` into `[out, H, W]` at `output` (parallel over row
    /// tiles), with `scratch` of at least `Conv2D.batchScratchCount(geometry)` floats.
    func apply(_ g: Conv2DGeometry, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
               scratch: UnsafeMutablePointer<Float>) {
        weight.withUnsafeBufferPointer { w in
            bias.withUnsafeBufferPointer { b in
                Conv2D.forward(g, batch: 1, input: input, weight: w.baseAddress!, bias: b.baseAddress,
                               output: output, scratch: scratch)
            }
        }
    }
}
