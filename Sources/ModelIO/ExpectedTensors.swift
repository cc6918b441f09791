/// A tensor a bundle must (or may) hold: its name, shape and element type.
public struct ExpectedTensor: Sendable, Equatable {
    /// One dimension: a number fixed by the configuration, or a size the file fixes (the same symbol
    /// must have the same size everywhere in one file).
    public enum Dimension: Sendable, Equatable, CustomStringConvertible {
        case exactly(Int)
        /// Body vertices V.
        case vertices
        /// Three times the body vertices (posedirs columns).
        case threeVertices
        /// Body triangles F.
        case faces
        /// Entries of the KNN vertex subset K.
        case knnEntries
        /// Rows of one sampler (bound to the metadata's row count).
        case rows(String)
        /// Any size.
        case any

        public var description: String {
            switch self {
            case let .exactly(n): return "\(n)"
            case .vertices: return "V"
            case .threeVertices: return "3V"
            case .faces: return "F"
            case .knnEntries: return "K"
            case let .rows(name): return "N_\(name)"
            case .any: return "*"
            }
        }
    }

    /// Element type class: floating point (F32, or F16/BF16 widened on load) or 64-bit integers.
    public enum Kind: Sendable, Equatable {
        case float
        case int64

        /// Whether a stored dtype is acceptable.
        public func accepts(_ dtype: DType) -> Bool {
            switch self {
            case .float: return dtype == .float32 || dtype == .float16 || dtype == .bfloat16
            case .int64: return dtype == .int64
            }
        }
    }

    public let name: String
    public let shape: [Dimension]
    public let kind: Kind
    public let isRequired: Bool

    public init(_ name: String, _ shape: [Dimension], kind: Kind = .float, required: Bool = true) {
        self.name = name; self.shape = shape; self.kind = kind; self.isRequired = required
    }

    /// `[64,36,3,3]` style text.
    public var shapeText: String { "[" + shape.map(\.description).joined(separator: ",") + "]" }
}

extension GeneratorConfiguration {
    /// The generator's state-dict tensors (SPEC.md section 3.2, generalised over this configuration),
    /// in state-dict order, including both smoother aliases (`smoother.*` and `renderer.smooth_layer.*`).
    public func generatorTensors() -> [ExpectedTensor] {
        var out: [ExpectedTensor] = []
        func linear(_ prefix: String, _ output: Int, _ input: Int) {
            out.append(ExpectedTensor(prefix + ".weight", [.exactly(output), .exactly(input)]))
            out.append(ExpectedTensor(prefix + ".bias", [.exactly(output)]))
        }
        func conv(_ prefix: String, _ output: Int, _ input: Int, _ k: Int) {
            out.append(ExpectedTensor(prefix + ".weight", [.exactly(output), .exactly(input), .exactly(k), .exactly(k)]))
            out.append(ExpectedTensor(prefix + ".bias", [.exactly(output)]))
        }
        let h = hiddenDim, latent = identityDim + noiseDim
        // radiance_net: 8 FiLM layers, 7 heads each for sigma, colour and features, its mapping network.
        linear("radiance_net.network.0.layer", h, 3)
        for k in 1...7 { linear("radiance_net.network.\(k).layer", h, h) }
        for k in 0...6 { linear("radiance_net.output_sigma.\(k)", 1, h) }
        linear("radiance_net.color_layer_sine.0.layer", h, h + 3)
        for k in 0...6 { linear("radiance_net.output_color.\(k)", 3, h) }
        for k in 0...6 { linear("radiance_net.output_feature.\(k)", featureDim, h) }
        linear("radiance_net.mapping_network.network.0", mappingHiddenDim, latent)
        linear("radiance_net.mapping_network.network.2", mappingHiddenDim, mappingHiddenDim)
        linear("radiance_net.mapping_network.network.4", mappingHiddenDim, mappingHiddenDim)
        linear("radiance_net.mapping_network.network.6", 9 * h * 2, mappingHiddenDim)
        // sample_net (level field).
        linear("sample_net.network.0", hiddenDimSample, 3)
        linear("sample_net.network.2", hiddenDimSample, hiddenDimSample)
        linear("sample_net.network.4", hiddenDimSample, hiddenDimSample)
        linear("sample_net.output_layer", 1, hiddenDimSample)
        // deform_net: 3 FiLM layers on 7-D input, mapping from (identity, expression).
        let dh = deformHiddenDim, dm = deformMappingHiddenDim
        linear("deform_net.network.0.layer", dh, 7)
        linear("deform_net.network.1.layer", dh, dh)
        linear("deform_net.network.2.layer", dh, dh)
        linear("deform_net.final_layer", 7, dh)
        linear("deform_net.mapping_network.network.0", dm, identityDim + expressionDim)
        linear("deform_net.mapping_network.network.2", dm, dm)
        linear("deform_net.mapping_network.network.4", dm, dm)
        linear("deform_net.mapping_network.network.6", 3 * dh * 2, dm)
        // sr_net: style RRDB network.
        let sr = srNetKwargs, nf = sr.nf, gc = sr.gc, ks = sr.upSampleKernelSize
        conv("sr_net.conv_first", nf, 4 + featureDim, 3)
        for b in 0..<max(sr.nb, 0) {
            for r in 1...3 {
                let prefix = "sr_net.RRDB_trunk.\(b).RDB\(r)"
                for c in 1...4 { conv("\(prefix).conv\(c)", gc, nf + (c - 1) * gc, 3) }
                conv("\(prefix).conv5", nf, nf + 4 * gc, 3)
            }
        }
        conv("sr_net.trunk_conv", nf, nf, 3)
        var previous = nf
        for (t, channels) in sr.upChannels.enumerated() {
            conv("sr_net.upconvs.\(t)", channels * 4, previous, ks)
            previous = channels
        }
        conv("sr_net.HRconv", previous, previous, ks)
        conv("sr_net.conv_last", 4, previous, sr.toRGBKernelSize)
        linear("sr_net.mapping_network.network.0", srMappingHiddenDim, sr.wDim)
        linear("sr_net.mapping_network.network.2", srMappingHiddenDim, srMappingHiddenDim)
        linear("sr_net.mapping_network.network.4", srMappingHiddenDim, srMappingHiddenDim)
        linear("sr_net.mapping_network.network.6", styleDim, srMappingHiddenDim)
        // The LBS smoother, registered twice.
        let side = 2 * smootherKD - 1
        let kernel: [ExpectedTensor.Dimension] = [.exactly(16), .exactly(1), .exactly(smootherKD), .exactly(side), .exactly(side)]
        for prefix in ["smoother", "renderer.smooth_layer"] {
            out.append(ExpectedTensor("\(prefix).conv_block1.weight", kernel))
            out.append(ExpectedTensor("\(prefix).conv_block2.weight", kernel))
        }
        return out
    }

    /// The body-model buffers (`renderer.smpl_model.*`, 24 joints) and the KNN vertex subset.
    public func bodyTensors(poseBlendShapes: Bool = true) -> [ExpectedTensor] {
        var out: [ExpectedTensor] = [
            ExpectedTensor("renderer.smpl_model.v_template", [.vertices, .exactly(3)]),
            ExpectedTensor("renderer.smpl_model.shapedirs", [.vertices, .exactly(3), .exactly(shapeDim)]),
            ExpectedTensor("renderer.smpl_model.J_regressor", [.exactly(24), .vertices]),
            ExpectedTensor("renderer.smpl_model.lbs_weights", [.vertices, .exactly(24)]),
            ExpectedTensor("renderer.smpl_model.parents", [.exactly(24)], kind: .int64),
            ExpectedTensor("renderer.smpl_model.faces_tensor", [.faces, .exactly(3)], kind: .int64, required: false),
            ExpectedTensor("renderer.smpl_model.vertex_joint_selector.extra_joints_idxs", [.any], kind: .int64, required: false),
            ExpectedTensor("body.knn_index", [.knnEntries], kind: .int64),
        ]
        if poseBlendShapes {
            out.insert(ExpectedTensor("renderer.smpl_model.posedirs", [.exactly(207), .threeVertices]), at: 2)
        }
        return out
    }

    /// Sampler tensors (rows bound to the metadata's counts; present exactly when the count is positive).
    public func samplerTensors() -> [ExpectedTensor] {
        [
            ExpectedTensor("samplers.id_shape", [.rows("id_shape"), .exactly(identityDim + shapeDim)], required: false),
            ExpectedTensor("samplers.expression", [.rows("expression"), .exactly(expressionDim)], required: false),
            ExpectedTensor("samplers.camera_pose_joint", [.rows("camera_pose_joint"), .exactly(20)], required: false),
            ExpectedTensor("samplers.id_face", [.rows("id_face"), .any], required: false),
            ExpectedTensor("samplers.expression_face", [.rows("expression_face"), .any], required: false),
        ]
    }

    /// The truncation means `[1, n]`.
    public func truncationTensors() -> [ExpectedTensor] {
        [
            ExpectedTensor("truncation.avg_frequencies", [.exactly(1), .exactly(9 * hiddenDim)]),
            ExpectedTensor("truncation.avg_phase_shifts", [.exactly(1), .exactly(9 * hiddenDim)]),
            ExpectedTensor("truncation.avg_w", [.exactly(1), .exactly(srMappingHiddenDim)]),
            ExpectedTensor("truncation.avg_style", [.exactly(1), .exactly(styleDim)]),
        ]
    }

    /// Every tensor of a bundle for this configuration (DESIGN.md section 3): the generator state dict,
    /// the body buffers and KNN index, the samplers and the truncation means.
    public func expectedTensors(poseBlendShapes: Bool = true) -> [ExpectedTensor] {
        generatorTensors() + bodyTensors(poseBlendShapes: poseBlendShapes) + samplerTensors() + truncationTensors()
    }
}
