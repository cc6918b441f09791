import Foundation

/// The JSON document stored under `__metadata__["portrait"]` of a `.portrait` bundle (DESIGN.md section 3).
/// Readers accept major version 1, ignore unknown keys and default missing optional ones.
public struct BundleMetadata: Codable, Sendable, Equatable {
    /// The format tag written by this version.
    public static let currentFormat = "portrait-bundle/1"

    /// Camera and body constants used to render.
    public struct Rendering: Codable, Sendable, Equatable {
        /// The portrait (body) camera.
        public struct PortraitCamera: Codable, Sendable, Equatable {
            /// Vertical field of view, degrees.
            public var fov: Double
            /// Camera distance from the origin (world units).
            public var radius: Double
            public var rayStart: Double
            public var rayEnd: Double
            /// Added to sample points (world units, 3 values).
            public var originOffset: [Double]
            /// Depth colour-map range [near, far] (world units).
            public var depthRange: [Double]

            enum CodingKeys: String, CodingKey {
                case fov, radius, rayStart = "ray_start", rayEnd = "ray_end", originOffset = "origin_offset", depthRange = "depth_range"
            }

            public init(fov: Double = 12, radius: Double = 1.895087979372887, rayStart: Double = 1.675087979372887,
                        rayEnd: Double = 2.115087979372887,
                        originOffset: [Double] = [0, -0.018307705578718726, -0.09590692521323398],
                        depthRange: [Double] = [1.7550879793728869, 2.115087979372887]) {
                self.fov = fov; self.radius = radius; self.rayStart = rayStart; self.rayEnd = rayEnd
                self.originOffset = originOffset; self.depthRange = depthRange
            }

            public init(from decoder: Decoder) throws {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                let d = PortraitCamera()
                fov = try c.decodeIfPresent(Double.self, forKey: .fov) ?? d.fov
                radius = try c.decodeIfPresent(Double.self, forKey: .radius) ?? d.radius
                rayStart = try c.decodeIfPresent(Double.self, forKey: .rayStart) ?? d.rayStart
                rayEnd = try c.decodeIfPresent(Double.self, forKey: .rayEnd) ?? d.rayEnd
                originOffset = try c.decodeIfPresent([Double].self, forKey: .originOffset) ?? d.originOffset
                depthRange = try c.decodeIfPresent([Double].self, forKey: .depthRange) ?? [rayStart + 0.08, rayEnd]
            }
        }

        /// The face camera.
        public struct FaceCamera: Codable, Sendable, Equatable {
            public var fov: Double
            public var radius: Double
            public var rayStart: Double
            public var rayEnd: Double

            enum CodingKeys: String, CodingKey { case fov, radius, rayStart = "ray_start", rayEnd = "ray_end" }

            public init(fov: Double = 12, radius: Double = 1.0, rayStart: Double = 0.88, rayEnd: Double = 1.12) {
                self.fov = fov; self.radius = radius; self.rayStart = rayStart; self.rayEnd = rayEnd
            }

            public init(from decoder: Decoder) throws {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                let d = FaceCamera()
                fov = try c.decodeIfPresent(Double.self, forKey: .fov) ?? d.fov
                radius = try c.decodeIfPresent(Double.self, forKey: .radius) ?? d.radius
                rayStart = try c.decodeIfPresent(Double.self, forKey: .rayStart) ?? d.rayStart
                rayEnd = try c.decodeIfPresent(Double.self, forKey: .rayEnd) ?? d.rayEnd
            }
        }

        /// The body model and its normalisation constants.
        public struct Body: Codable, Sendable, Equatable {
            /// `smpl` (SMPL-layout arrays from a body-model file) or `builtin`.
            public var kind: String
            public var faceRadius: Double
            public var faceTy: Double
            public var faceTz: Double
            public var bodyScale: Double
            /// Whether `renderer.smpl_model.posedirs` is present and used.
            public var poseBlendShapes: Bool

            enum CodingKeys: String, CodingKey {
                case kind, faceRadius = "face_radius", faceTy = "face_ty", faceTz = "face_tz", bodyScale = "body_scale"
                case poseBlendShapes = "pose_blend_shapes"
            }

            public init(kind: String = "smpl", faceRadius: Double = 0.52767998683149, faceTy: Double = 0.067489409707008,
                        faceTz: Double = 0.050608165033568, bodyScale: Double = 2.2314079, poseBlendShapes: Bool = true) {
                self.kind = kind; self.faceRadius = faceRadius; self.faceTy = faceTy; self.faceTz = faceTz
                self.bodyScale = bodyScale; self.poseBlendShapes = poseBlendShapes
            }

            public init(from decoder: Decoder) throws {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                let d = Body()
                kind = try c.decodeIfPresent(String.self, forKey: .kind) ?? d.kind
                faceRadius = try c.decodeIfPresent(Double.self, forKey: .faceRadius) ?? d.faceRadius
                faceTy = try c.decodeIfPresent(Double.self, forKey: .faceTy) ?? d.faceTy
                faceTz = try c.decodeIfPresent(Double.self, forKey: .faceTz) ?? d.faceTz
                bodyScale = try c.decodeIfPresent(Double.self, forKey: .bodyScale) ?? d.bodyScale
                poseBlendShapes = try c.decodeIfPresent(Bool.self, forKey: .poseBlendShapes) ?? d.poseBlendShapes
            }
        }

        public var portrait: PortraitCamera
        public var face: FaceCamera
        public var body: Body

        public init(portrait: PortraitCamera = PortraitCamera(), face: FaceCamera = FaceCamera(), body: Body = Body()) {
            self.portrait = portrait; self.face = face; self.body = body
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            portrait = try c.decodeIfPresent(PortraitCamera.self, forKey: .portrait) ?? PortraitCamera()
            face = try c.decodeIfPresent(FaceCamera.self, forKey: .face) ?? FaceCamera()
            body = try c.decodeIfPresent(Body.self, forKey: .body) ?? Body()
        }

        enum CodingKeys: String, CodingKey { case portrait, face, body }
    }

    /// What the controls look like.
    public struct Controls: Codable, Sendable, Equatable {
        /// Expression control names; nil means numbered controls `e00`...
        public var expressionNames: [String]?
        /// Slider range of each expression coefficient [low, high].
        public var expressionRange: [Double]
        /// Truncation psi used when none is given.
        public var defaultPsi: Double

        enum CodingKeys: String, CodingKey {
            case expressionNames = "expression_names", expressionRange = "expression_range", defaultPsi = "default_psi"
        }

        public init(expressionNames: [String]? = nil, expressionRange: [Double] = [-3, 3], defaultPsi: Double = 0.7) {
            self.expressionNames = expressionNames; self.expressionRange = expressionRange; self.defaultPsi = defaultPsi
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            expressionNames = try c.decodeIfPresent([String].self, forKey: .expressionNames)
            expressionRange = try c.decodeIfPresent([Double].self, forKey: .expressionRange) ?? [-3, 3]
            defaultPsi = try c.decodeIfPresent(Double.self, forKey: .defaultPsi) ?? 0.7
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(expressionNames, forKey: .expressionNames)  // null when numbered
            try c.encode(expressionRange, forKey: .expressionRange)
            try c.encode(defaultPsi, forKey: .defaultPsi)
        }
    }

    /// Row counts of the code samplers (0 = absent).
    public struct Samplers: Codable, Sendable, Equatable {
        public var idShape: Int
        public var expression: Int
        public var cameraPoseJoint: Int
        public var idFace: Int
        public var expressionFace: Int

        enum CodingKeys: String, CodingKey {
            case idShape = "id_shape", expression, cameraPoseJoint = "camera_pose_joint", idFace = "id_face"
            case expressionFace = "expression_face"
        }

        public init(idShape: Int = 0, expression: Int = 0, cameraPoseJoint: Int = 0, idFace: Int = 0, expressionFace: Int = 0) {
            self.idShape = idShape; self.expression = expression; self.cameraPoseJoint = cameraPoseJoint
            self.idFace = idFace; self.expressionFace = expressionFace
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            idShape = try c.decodeIfPresent(Int.self, forKey: .idShape) ?? 0
            expression = try c.decodeIfPresent(Int.self, forKey: .expression) ?? 0
            cameraPoseJoint = try c.decodeIfPresent(Int.self, forKey: .cameraPoseJoint) ?? 0
            idFace = try c.decodeIfPresent(Int.self, forKey: .idFace) ?? 0
            expressionFace = try c.decodeIfPresent(Int.self, forKey: .expressionFace) ?? 0
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(idShape, forKey: .idShape)
            try c.encode(expression, forKey: .expression)
            try c.encode(cameraPoseJoint, forKey: .cameraPoseJoint)
            if idFace > 0 { try c.encode(idFace, forKey: .idFace) }
            if expressionFace > 0 { try c.encode(expressionFace, forKey: .expressionFace) }
        }

        /// (tensor name, row count) for each sampler.
        public var byTensorName: [(name: String, rows: Int)] {
            [("samplers.id_shape", idShape), ("samplers.expression", expression), ("samplers.camera_pose_joint", cameraPoseJoint),
             ("samplers.id_face", idFace), ("samplers.expression_face", expressionFace)]
        }
    }

    /// Where the truncation means came from.
    public struct Truncation: Codable, Sendable, Equatable {
        /// `files` (imported `.npy` files) or `computed` (from the codes of seeds 0..<samples).
        public var source: String
        /// Number of code samples averaged.
        public var samples: Int

        public init(source: String = "files", samples: Int = 10_000) {
            self.source = source; self.samples = samples
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            source = try c.decodeIfPresent(String.self, forKey: .source) ?? "files"
            samples = try c.decodeIfPresent(Int.self, forKey: .samples) ?? 10_000
        }

        enum CodingKeys: String, CodingKey { case source, samples }
    }

    /// Where the model came from.
    public struct Provenance: Codable, Sendable, Equatable {
        /// A source file and its SHA-256.
        public struct File: Codable, Sendable, Equatable {
            public var name: String
            public var sha256: String
            public init(name: String, sha256: String) { self.name = name; self.sha256 = sha256 }
        }

        /// The synthetic corpus a trained model learnt from.
        public struct Corpus: Codable, Sendable, Equatable {
            public var seed: Int
            public var count: Int
            public init(seed: Int, count: Int) { self.seed = seed; self.count = count }
        }

        /// How a trained model was trained.
        public struct Training: Codable, Sendable, Equatable {
            public var stages: [String]
            public var steps: Int
            public var cpuHours: Double
            enum CodingKeys: String, CodingKey { case stages, steps, cpuHours = "cpu_hours" }
            public init(stages: [String], steps: Int, cpuHours: Double) { self.stages = stages; self.steps = steps; self.cpuHours = cpuHours }
        }

        /// `official-checkpoint`, `builtin-untrained` or `trained`.
        public var source: String
        public var files: [File]
        public var corpus: Corpus?
        public var training: Training?
        /// SHA-256 (hex) of the bundle's data section; set by the writer.
        public var dataSha256: String

        enum CodingKeys: String, CodingKey { case source, files, corpus, training, dataSha256 = "data_sha256" }

        public init(source: String = "official-checkpoint", files: [File] = [], corpus: Corpus? = nil, training: Training? = nil,
                    dataSha256: String = "") {
            self.source = source; self.files = files; self.corpus = corpus; self.training = training; self.dataSha256 = dataSha256
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            source = try c.decodeIfPresent(String.self, forKey: .source) ?? "official-checkpoint"
            files = try c.decodeIfPresent([File].self, forKey: .files) ?? []
            corpus = try c.decodeIfPresent(Corpus.self, forKey: .corpus)
            training = try c.decodeIfPresent(Training.self, forKey: .training)
            dataSha256 = try c.decodeIfPresent(String.self, forKey: .dataSha256) ?? ""
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(source, forKey: .source)
            try c.encode(files, forKey: .files)
            try c.encode(corpus, forKey: .corpus)
            try c.encode(training, forKey: .training)
            try c.encode(dataSha256, forKey: .dataSha256)
        }
    }

    public var format: String
    public var name: String
    public var generator: GeneratorConfiguration
    public var rendering: Rendering
    public var controls: Controls
    public var samplers: Samplers
    public var truncation: Truncation
    public var provenance: Provenance

    public init(name: String, generator: GeneratorConfiguration, rendering: Rendering = Rendering(),
                controls: Controls = Controls(), samplers: Samplers = Samplers(), truncation: Truncation = Truncation(),
                provenance: Provenance = Provenance()) {
        format = Self.currentFormat
        self.name = name; self.generator = generator; self.rendering = rendering; self.controls = controls
        self.samplers = samplers; self.truncation = truncation; self.provenance = provenance
    }

    enum CodingKeys: String, CodingKey { case format, name, generator, rendering, controls, samplers, truncation, provenance }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decode(String.self, forKey: .format)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        generator = try c.decode(GeneratorConfiguration.self, forKey: .generator)
        rendering = try c.decodeIfPresent(Rendering.self, forKey: .rendering) ?? Rendering()
        controls = try c.decodeIfPresent(Controls.self, forKey: .controls) ?? Controls()
        samplers = try c.decodeIfPresent(Samplers.self, forKey: .samplers) ?? Samplers()
        truncation = try c.decodeIfPresent(Truncation.self, forKey: .truncation) ?? Truncation()
        provenance = try c.decodeIfPresent(Provenance.self, forKey: .provenance) ?? Provenance()
    }

    /// The JSON text (sorted keys).
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Parses the metadata JSON; errors name `path` and the offending field.
    public static func decode(_ text: String, path: String = "<metadata>") throws -> BundleMetadata {
        let data = Data(text.utf8)
        // The format tag first, so a future major version gets a clear message rather than a field error.
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let format = object["format"] as? String {
            let parts = format.split(separator: "/", maxSplits: 1)
            let major = parts.count == 2 ? parts[1].split(separator: ".").first.flatMap { Int($0) } : nil
            guard parts.first == "portrait-bundle", major == 1 else {
                throw ModelIOError.unsupported(path: path, reason: "bundle format '\(format)' (this version reads portrait-bundle/1)")
            }
        }
        do {
            return try JSONDecoder().decode(BundleMetadata.self, from: data)
        } catch let error as DecodingError {
            throw ModelIOError.malformed(path: path, reason: "metadata: \(Self.describe(error))")
        } catch {
            throw ModelIOError.malformed(path: path, reason: "metadata is not valid JSON")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func field(_ path: [CodingKey]) -> String {
            path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: ["."])
        }
        switch error {
        case let .keyNotFound(key, context): return "missing field '\(field(context.codingPath + [key]))'"
        case let .typeMismatch(_, context): return "field '\(field(context.codingPath))' has the wrong type"
        case let .valueNotFound(_, context): return "field '\(field(context.codingPath))' is null"
        case let .dataCorrupted(context):
            return context.codingPath.isEmpty ? "not valid JSON" : "field '\(field(context.codingPath))' is invalid"
        @unknown default: return "invalid"
        }
    }

    /// The first problem with the values (beyond the generator configuration), as a sentence, or nil.
    public func problem() -> String? {
        if let p = generator.problem() { return "generator: \(p)" }
        let positives: [(String, Double)] = [
            ("rendering.portrait.fov", rendering.portrait.fov), ("rendering.portrait.radius", rendering.portrait.radius),
            ("rendering.portrait.ray_start", rendering.portrait.rayStart), ("rendering.face.fov", rendering.face.fov),
            ("rendering.face.radius", rendering.face.radius), ("rendering.face.ray_start", rendering.face.rayStart),
            ("rendering.body.face_radius", rendering.body.faceRadius), ("rendering.body.body_scale", rendering.body.bodyScale),
        ]
        for (name, v) in positives where !(v.isFinite && v > 0) { return "\(name) = \(v) must be positive" }
        if !(rendering.portrait.rayEnd > rendering.portrait.rayStart) { return "rendering.portrait.ray_end must exceed ray_start" }
        if !(rendering.face.rayEnd > rendering.face.rayStart) { return "rendering.face.ray_end must exceed ray_start" }
        if rendering.portrait.originOffset.count != 3 || !rendering.portrait.originOffset.allSatisfy(\.isFinite) {
            return "rendering.portrait.origin_offset must be 3 finite numbers"
        }
        if rendering.portrait.depthRange.count != 2 || !(rendering.portrait.depthRange[0] < rendering.portrait.depthRange[1]) {
            return "rendering.portrait.depth_range must be [near, far] with near < far"
        }
        if !rendering.body.faceTy.isFinite || !rendering.body.faceTz.isFinite { return "rendering.body face offsets must be finite" }
        if rendering.body.kind != "smpl" && rendering.body.kind != "builtin" {
            return "rendering.body.kind '\(rendering.body.kind)' (expected smpl or builtin)"
        }
        if let names = controls.expressionNames, names.count != generator.expressionDim {
            return "controls.expression_names: \(names.count) names, the generator has \(generator.expressionDim) expressions"
        }
        if controls.expressionRange.count != 2 || !(controls.expressionRange[0] < controls.expressionRange[1]) {
            return "controls.expression_range must be [low, high] with low < high"
        }
        if !(controls.defaultPsi >= 0 && controls.defaultPsi <= 1.5) { return "controls.default_psi = \(controls.defaultPsi) must be in [0, 1.5]" }
        for (name, rows) in samplers.byTensorName where rows < 0 { return "samplers.\(name.dropFirst(9)) = \(rows) must not be negative" }
        if truncation.samples < 0 { return "truncation.samples must not be negative" }
        return nil
    }
}
