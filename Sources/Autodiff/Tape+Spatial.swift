import Numerics

extension Tape {
    /// 2-D convolution (PyTorch `conv2d`, stride 1, zero padding, `groups`): `x` `[N, C, H, W]`, `weight`
    /// `[O, C / groups, k, k]`, `bias` `[O]` or nil → `[N, O, H + 2·padding − k + 1, W + 2·padding − k + 1]`
    /// (padding default `(k − 1) / 2`). Gradients for input, weight and bias through im2col GEMMs.
    public func conv2d(_ x: Variable, weight: Variable, bias: Variable?, padding: Int? = nil, groups: Int = 1) throws -> Variable {
        let input = try value(x), w = try value(weight)
        let b = try bias.map { try value($0) }
        let out = try input.conv2d(weight: w, bias: b, padding: padding, groups: groups)
        let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
        return try record(out, inputs: inputs) { g, tape in
            let grads = try input.conv2dBackward(weight: w, padding: padding, groups: groups, gradient: g,
                                                 input: tape.requiresGradient(x), weight: tape.requiresGradient(weight),
                                                 bias: bias.map { tape.requiresGradient($0) } ?? false)
            if let gx = grads.input { try tape.accumulate(gx, into: x) }
            if let gw = grads.weight { try tape.accumulate(gw, into: weight) }
            if let bias, let gb = grads.bias { try tape.accumulate(gb, into: bias) }
        }
    }

    /// Depthwise 3-D convolution after reflect padding (SPEC.md F5): `x` `[N, C, D, H, W]`, `weight`
    /// `[C, 1, kd, kh, kw]` (no bias, stride 1; padding default `(k − 1) / 2` per axis).
    public func depthwiseConv3d(_ x: Variable, weight: Variable,
                                padding: (depth: Int, height: Int, width: Int)? = nil) throws -> Variable {
        let input = try value(x), w = try value(weight)
        let out = try input.depthwiseConv3d(weight: w, padding: padding)
        return try record(out, inputs: [x, weight]) { g, tape in
            let grads = try input.depthwiseConv3dBackward(weight: w, padding: padding, gradient: g,
                                                          input: tape.requiresGradient(x), weight: tape.requiresGradient(weight))
            if let gx = grads.input { try tape.accumulate(gx, into: x) }
            if let gw = grads.weight { try tape.accumulate(gw, into: weight) }
        }
    }

    /// Linear resize of the last `sizes.count` axes (1: linear, 2: bilinear, 3: trilinear; PyTorch
    /// `interpolate`, SPEC.md A.3, A.4, A.7) to `sizes`.
    public func resize(_ x: Variable, to sizes: [Int], alignCorners: Bool) throws -> Variable {
        let input = try value(x)
        let out: Tensor
        switch sizes.count {
        case 1: out = try input.resizedLinear(size: sizes[0], alignCorners: alignCorners)
        case 2: out = try input.resizedBilinear(height: sizes[0], width: sizes[1], alignCorners: alignCorners)
        case 3: out = try input.resizedTrilinear(depth: sizes[0], height: sizes[1], width: sizes[2], alignCorners: alignCorners)
        default:
            throw AutodiffError.invalidArgument(operation: "resize", reason: "needs 1 to 3 sizes, got \(sizes)")
        }
        return try record(out, inputs: [x]) { g, tape in
            try tape.accumulate(g.resizeBackward(inputShape: x.shape, lastAxes: sizes.count, alignCorners: alignCorners), into: x)
        }
    }

    /// Pixel shuffle `[N, C·r·r, H, W]` → `[N, C, H·r, W·r]` (SPEC.md §2.6).
    public func pixelShuffle(_ x: Variable, factor: Int) throws -> Variable {
        let out = try value(x).pixelShuffle(factor: factor)
        return try record(out, inputs: [x]) { g, tape in
            try tape.accumulate(g.pixelShuffleBackward(factor: factor), into: x)
        }
    }

    /// Bilinear grid sample (SPEC.md A.5) of `x` `[N, C, H, W]` at `grid` `[N, Ho, Wo, 2]` (`(x, y)` in
    /// `[−1, 1]`) → `[N, C, Ho, Wo]`; differentiable in the map and in the grid (zero grid gradient where
    /// border padding clamps).
    public func gridSample(_ x: Variable, grid: Variable, padding: GridSamplePadding = .border,
                           alignCorners: Bool = false) throws -> Variable {
        let input = try value(x), positions = try value(grid)
        let out = try input.gridSample(positions, padding: padding, alignCorners: alignCorners)
        return try record(out, inputs: [x, grid]) { g, tape in
            let grads = try input.gridSampleBackward(positions, padding: padding, alignCorners: alignCorners, gradient: g,
                                                     input: tape.requiresGradient(x), grid: tape.requiresGradient(grid))
            if let gx = grads.input { try tape.accumulate(gx, into: x) }
            if let gg = grads.grid { try tape.accumulate(gg, into: grid) }
        }
    }
}
