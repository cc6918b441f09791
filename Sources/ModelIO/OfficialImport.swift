import Foundation
import Numerics

/// Builds a `.portrait` bundle from the official release's files (or the reference's): a `torch.save`
/// checkpoint, the KNN vertex subset, a body model when the checkpoint has no body buffers, truncation
/// means and, when present, code samplers.
public struct OfficialImport {
    /// Input files.
    public struct Sources: Sendable, Equatable {
        /// The generator checkpoint (`.pt`).
        public var checkpoint: String
        /// `valid_smpl_knn_index.npy`.
        public var knnIndex: String
        /// A body model (`.pkl`, `.pkl.gz`, `.npz`); required when the checkpoint has no `renderer.smpl_model.*`.
        public var body: String?
        /// Folder with `avg_frequencies.npy`, `avg_phase_shifts.npy`, `sr_avg_w.npy`/`avg_w.npy`, `sr_avg_style.npy`/`avg_style.npy`.
        public var means: String?
        /// Folder with the sampler `.npy` files (`id_shape_sampler_body.npy`, ...).
        public var samplers: String?
        /// A configuration file (reference-style `config.json` or a bare generator kwargs object).
        public var config: String?
        /// The model's name (default: the checkpoint's file name without extension).
        public var name: String?

        public init(checkpoint: String, knnIndex: String, body: String? = nil, means: String? = nil, samplers: String? = nil,
                    config: String? = nil, name: String? = nil) {
            self.checkpoint = checkpoint; self.knnIndex = knnIndex; self.body = body; self.means = means
            self.samplers = samplers; self.config = config; self.name = name
        }
    }

    /// Truncation means, each a vector (`[9·hidden]`, `[9·hidden]`, `[sr_mapping_hidden]`, `[style_dim]`).
    public struct TruncationMeans: Sendable {
        public var frequencies: [Float]
        public var phaseShifts: [Float]
        public var w: [Float]
        public var style: [Float]
        public init(frequencies: [Float], phaseShifts: [Float], w: [Float], style: [Float]) {
            self.frequencies = frequencies; self.phaseShifts = phaseShifts; self.w = w; self.style = style
        }
    }

    /// Computes truncation means from the generator's weights (the mapping networks) when no files are
    /// given: configuration, the checkpoint's float tensors by name, the `id_shape` sampler if any, and
    /// the number of samples. Supplied by the generator module.
    public typealias MeansComputer = (_ configuration: GeneratorConfiguration, _ weights: [String: Tensor],
                                      _ idShapeSampler: Tensor?, _ samples: Int) throws -> TruncationMeans

    /// The official sampler files and the bundle tensors they become.
    public static let samplerFiles: [(file: String, tensor: String)] = [
        ("id_shape_sampler_body.npy", "samplers.id_shape"), ("expression_body.npy", "samplers.expression"),
        ("camera_pose_joint_sample.npy", "samplers.camera_pose_joint"), ("id_face_sampler.npy", "samplers.id_face"),
        ("expression_face.npy", "samplers.expression_face"),
    ]

    /// Number of code samples averaged when the means are computed.
    public static let meanSamples = 10_000

    /// The input files of an official release folder: `ckpts/*.pt` (exactly one),
    /// `smpl_models/valid_smpl_knn_index.npy`, `sampler_npy/` when present, and the SMPL model under
    /// `smpl_models/smpl/` when one is there.
    public static func releaseFolder(_ folder: String) throws -> Sources {
        let fm = FileManager.default
        func join(_ parts: String...) -> String { parts.reduce(folder) { ($0 as NSString).appendingPathComponent($1) } }
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ModelIOError.io(path: folder, reason: "no such folder")
        }
        let ckpts = join("ckpts")
        let checkpoints = ((try? fm.contentsOfDirectory(atPath: ckpts)) ?? []).filter { $0.hasSuffix(".pt") }.sorted()
        guard let first = checkpoints.first else { throw ModelIOError.missing(path: ckpts, name: "*.pt checkpoint") }
        guard checkpoints.count == 1 else {
            throw ModelIOError.unsupported(path: ckpts, reason: "several checkpoints (\(checkpoints.joined(separator: ", "))): pass one with --checkpoint")
        }
        let knn = join("smpl_models", "valid_smpl_knn_index.npy")
        guard fm.fileExists(atPath: knn) else { throw ModelIOError.io(path: knn, reason: "no such file") }
        var sources = Sources(checkpoint: (ckpts as NSString).appendingPathComponent(first), knnIndex: knn)
        let samplers = join("sampler_npy")
        if fm.fileExists(atPath: samplers) { sources.samplers = samplers }
        for candidate in ["SMPL_NEUTRAL.pkl", "SMPL_NEUTRAL.pkl.gz", "SMPL_NEUTRAL.npz"] {
            let p = join("smpl_models", "smpl", candidate)
            if fm.fileExists(atPath: p) { sources.body = p; break }
        }
        return sources
    }

    /// The configuration: `config` if given, else a `config.json` beside the checkpoint or in the means
    /// folder, else the official `SSHQ512_inf`. Returns it with the rendering constants found and the
    /// file it came from (nil for the defaults).
    public static func configuration(for sources: Sources) throws -> (GeneratorConfiguration, BundleMetadata.Rendering, String?) {
        var candidates: [String] = []
        if let config = sources.config {
            candidates = [config]
        } else {
            candidates.append(((sources.checkpoint as NSString).deletingLastPathComponent as NSString).appendingPathComponent("config.json"))
            if let means = sources.means { candidates.append((means as NSString).appendingPathComponent("config.json")) }
        }
        for path in candidates {
            guard FileManager.default.fileExists(atPath: path) else {
                if sources.config != nil { throw ModelIOError.io(path: path, reason: "no such file") }
                continue
            }
            let (configuration, rendering) = try parseConfig(try Bytes.readFile(path), path: path)
            return (configuration, rendering, path)
        }
        return (.sshq512, BundleMetadata.Rendering(), nil)
    }

    /// A reference-style `config.json` (numbers decoded by `JSONDecoder`, which reads doubles exactly;
    /// `JSONSerialization` turns long decimals into `NSDecimalNumber` and loses the last bits).
    private struct ReferenceConfig: Decodable {
        struct RenderingOptions: Decodable {
            let fov, radius, rayStart, rayEnd: Double?
            let originOffset: [Double]?
            enum CodingKeys: String, CodingKey {
                case fov, radius, rayStart = "ray_start", rayEnd = "ray_end", originOffset = "origin_offset"
            }
        }
        struct VideoDefaults: Decodable {
            let faceRadius, faceTy, faceTz: Double?
            enum CodingKeys: String, CodingKey { case faceRadius = "face_radius", faceTy = "face_ty", faceTz = "face_tz" }
        }
        let generatorClass: String?
        let generatorKwargs: GeneratorConfiguration?
        let renderingOptions: RenderingOptions?
        let genVideoDefaults: VideoDefaults?
        enum CodingKeys: String, CodingKey {
            case generatorClass = "generator_class", generatorKwargs = "generator_kwargs"
            case renderingOptions = "rendering_options", genVideoDefaults = "gen_video_defaults"
        }
    }

    /// Parses a reference-style `config.json` (`generator_kwargs`, `rendering_options`,
    /// `gen_video_defaults`) or a bare generator kwargs object.
    public static func parseConfig(_ data: Data, path: String) throws -> (GeneratorConfiguration, BundleMetadata.Rendering) {
        guard (try? JSONSerialization.jsonObject(with: data)) is [String: Any] else {
            throw ModelIOError.malformed(path: path, reason: "not a JSON object")
        }
        let reference: ReferenceConfig
        var configuration: GeneratorConfiguration
        do {
            reference = try JSONDecoder().decode(ReferenceConfig.self, from: data)
            configuration = try reference.generatorKwargs ?? JSONDecoder().decode(GeneratorConfiguration.self, from: data)
        } catch let error as DecodingError {
            throw ModelIOError.malformed(path: path, reason: "generator kwargs: \(BundleMetadata.describe(error))")
        }
        if let generatorClass = reference.generatorClass { configuration.generatorClass = generatorClass }
        var rendering = BundleMetadata.Rendering()
        if let options = reference.renderingOptions {
            if let v = options.fov { rendering.portrait.fov = v }
            if let v = options.radius { rendering.portrait.radius = v }
            if let v = options.rayStart { rendering.portrait.rayStart = v }
            if let v = options.rayEnd { rendering.portrait.rayEnd = v }
            if let v = options.originOffset {
                guard v.count == 3 else { throw ModelIOError.malformed(path: path, reason: "rendering_options.origin_offset needs 3 numbers") }
                rendering.portrait.originOffset = v
            }
            if options.rayStart != nil || options.rayEnd != nil {
                rendering.portrait.depthRange = [rendering.portrait.rayStart + 0.08, rendering.portrait.rayEnd]
            }
        }
        if let defaults = reference.genVideoDefaults {
            if let v = defaults.faceRadius { rendering.body.faceRadius = v }
            if let v = defaults.faceTy { rendering.body.faceTy = v }
            if let v = defaults.faceTz { rendering.body.faceTz = v }
        }
        if let problem = configuration.problem() { throw ModelIOError.malformed(path: path, reason: "generator kwargs: \(problem)") }
        return (configuration, rendering)
    }

    /// Reads every input, checks it against the configuration and returns the writer holding the bundle.
    /// `computeMeans` is used when `sources.means` is nil; without it, missing means are an error.
    public static func assemble(_ sources: Sources, computeMeans: MeansComputer? = nil) throws -> BundleWriter {
        let (configuration, rendering, configPath) = try configuration(for: sources)
        let checkpoint = try TorchCheckpoint(path: sources.checkpoint)

        // The configuration must fit the checkpoint, tensor by tensor.
        let origin = configPath.map { "configuration \($0)" } ?? "the default SSHQ512_inf configuration (no config.json found; pass --config)"
        for e in configuration.generatorTensors() {
            guard let info = checkpoint.info(e.name) else {
                throw ModelIOError.malformed(path: sources.checkpoint, reason: "tensor '\(e.name)' is missing (expected by \(origin))")
            }
            let wanted = e.shape.compactMap { d -> Int? in if case let .exactly(n) = d { return n }; return nil }
            guard info.shape == wanted else {
                throw ModelIOError.malformed(path: sources.checkpoint, reason: "tensor '\(e.name)': \(text(info.shape)), expected \(text(wanted)) by \(origin)")
            }
            guard info.dtype.isFloatingPoint else {
                throw ModelIOError.malformed(path: sources.checkpoint, reason: "tensor '\(e.name)': dtype \(info.dtype.rawValue), expected float")
            }
        }

        var metadata = BundleMetadata(name: sources.name ?? ((sources.checkpoint as NSString).lastPathComponent as NSString).deletingPathExtension,
                                      generator: configuration, rendering: rendering)
        var files: [BundleMetadata.Provenance.File] = []
        func record(_ path: String) throws {
            files.append(.init(name: (path as NSString).lastPathComponent, sha256: try SHA256.hex(ofFile: path)))
        }
        try record(sources.checkpoint)
        if let configPath { try record(configPath) }
        var writer = BundleWriter(metadata: metadata)

        // Generator tensors, and anything else the checkpoint carries (kept as is).
        var floatWeights: [String: Tensor] = [:]
        for info in checkpoint.tensors {
            let array = try checkpoint.array(info.name)
            if info.dtype.isFloatingPoint {
                let f32 = try array.converted(to: .float32)
                try writer.add(info.name, f32)
                floatWeights[info.name] = try f32.tensor()
            } else {
                try writer.add(info.name, array.integers != nil ? try array.converted(to: .int64) : array)
            }
        }

        // Body: the checkpoint's buffers when present, else the body-model file.
        let bodyInCheckpoint = checkpoint.info("renderer.smpl_model.v_template") != nil
        if !bodyInCheckpoint {
            guard let body = sources.body else {
                throw ModelIOError.malformed(path: sources.checkpoint, reason: "the checkpoint has no body model (renderer.smpl_model.*): pass --smpl FILE")
            }
            let model = try BodyModelFile(path: body, shapeDim: configuration.shapeDim)
            for (name, array) in model.bundleArrays(poseBlendShapes: true) { try writer.add(name, array) }
            try record(body)
        }
        metadata.rendering.body.poseBlendShapes = bodyInCheckpoint ? checkpoint.info("renderer.smpl_model.posedirs") != nil : true

        // KNN vertex subset.
        let knn = try NPY.read(sources.knnIndex)
        guard knn.shape.count == 1, knn.integers != nil else {
            throw ModelIOError.malformed(path: sources.knnIndex, reason: "expected a 1-D integer array, found \(knn.dtype.rawValue) \(text(knn.shape))")
        }
        try writer.add("body.knn_index", try knn.converted(to: .int64))
        try record(sources.knnIndex)

        // Samplers.
        var idShape: Tensor?
        if let folder = sources.samplers {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ModelIOError.io(path: folder, reason: "no such folder")
            }
            for (file, tensor) in samplerFiles {
                let path = (folder as NSString).appendingPathComponent(file)
                guard FileManager.default.fileExists(atPath: path) else { continue }
                let array = try NPY.read(path)
                guard array.shape.count == 2, array.shape[0] > 0 else {
                    throw ModelIOError.malformed(path: path, reason: "expected a [N, columns] array, found \(text(array.shape))")
                }
                let f32 = try array.converted(to: .float32)
                try writer.add(tensor, f32)
                try record(path)
                let rows = array.shape[0]
                switch tensor {
                case "samplers.id_shape": metadata.samplers.idShape = rows; idShape = try f32.tensor()
                case "samplers.expression": metadata.samplers.expression = rows
                case "samplers.camera_pose_joint": metadata.samplers.cameraPoseJoint = rows
                case "samplers.id_face": metadata.samplers.idFace = rows
                default: metadata.samplers.expressionFace = rows
                }
            }
        }

        // Truncation means.
        let means: TruncationMeans
        if let folder = sources.means {
            means = try readMeans(folder: folder, configuration: configuration, record: record)
            metadata.truncation = .init(source: "files", samples: meanSamples)
        } else if let computeMeans {
            means = try computeMeans(configuration, floatWeights, idShape, meanSamples)
            metadata.truncation = .init(source: "computed", samples: meanSamples)
        } else {
            throw ModelIOError.unsupported(path: sources.checkpoint, reason: "no truncation means: pass --means DIR (avg_frequencies.npy, avg_phase_shifts.npy, sr_avg_w.npy, sr_avg_style.npy); computing them needs the generator's mapping networks, which this caller did not provide")
        }
        try writer.add("truncation.avg_frequencies", NumericArray(shape: [1, means.frequencies.count], dtype: .float32, values: .float(means.frequencies)))
        try writer.add("truncation.avg_phase_shifts", NumericArray(shape: [1, means.phaseShifts.count], dtype: .float32, values: .float(means.phaseShifts)))
        try writer.add("truncation.avg_w", NumericArray(shape: [1, means.w.count], dtype: .float32, values: .float(means.w)))
        try writer.add("truncation.avg_style", NumericArray(shape: [1, means.style.count], dtype: .float32, values: .float(means.style)))

        metadata.provenance = .init(source: "official-checkpoint", files: files)
        writer.metadata = metadata
        return writer
    }

    /// Reads the four truncation means from `folder` (1-D or `[1, n]` float arrays).
    static func readMeans(folder: String, configuration: GeneratorConfiguration, record: (String) throws -> Void) throws -> TruncationMeans {
        func read(_ names: [String], _ size: Int) throws -> [Float] {
            let paths = names.map { (folder as NSString).appendingPathComponent($0) }
            guard let path = paths.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
                throw ModelIOError.io(path: paths[0], reason: "no such file (truncation mean\(names.count > 1 ? "; also tried \(names.dropFirst().joined(separator: ", "))" : ""))")
            }
            let array = try NPY.read(path)
            guard array.dtype.isFloatingPoint, array.shape == [size] || array.shape == [1, size] else {
                throw ModelIOError.malformed(path: path, reason: "\(array.dtype.rawValue) \(text(array.shape)), expected float [\(size)] or [1, \(size)]")
            }
            try record(path)
            return array.floats
        }
        return TruncationMeans(frequencies: try read(["avg_frequencies.npy"], 9 * configuration.hiddenDim),
                               phaseShifts: try read(["avg_phase_shifts.npy"], 9 * configuration.hiddenDim),
                               w: try read(["sr_avg_w.npy", "avg_w.npy"], configuration.srMappingHiddenDim),
                               style: try read(["sr_avg_style.npy", "avg_style.npy"], configuration.styleDim))
    }

    private static func text(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ",") + "]" }
}
