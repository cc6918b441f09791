import Foundation

/// The settings of one training run, stored as `run.json` in its run directory (snake_case keys). A run
/// resumes only with the same settings: `firstMismatch(resuming:)` names the first field that differs.
public struct RunSettings: Codable, Sendable, Equatable {
    /// The format tag written by this version.
    public static let currentFormat = "portrait-run/1"

    /// What trains the generator.
    public enum Objective: String, Codable, Sendable, CaseIterable {
        /// Supervised warm start: L2 (and depth) between the generator's render and the synthetic renderer's
        /// image for the same randomly drawn controls (no discriminators).
        case supervised
        /// The paper's adversarial training (SPEC.md §8.3/§8.4) on the corpus.
        case gan
    }

    /// The corpus a run reads.
    public struct Corpus: Codable, Sendable, Equatable {
        /// The corpus folder as given on the command line.
        public var path: String
        /// `meta.json`'s seed and image count.
        public var seed: UInt64
        public var count: Int
        /// Portrait and face-crop sizes in pixels.
        public var size: Int
        public var faceSize: Int

        enum CodingKeys: String, CodingKey { case path, seed, count, size, faceSize = "face_size" }

        public init(path: String, seed: UInt64, count: Int, size: Int, faceSize: Int) {
            self.path = path; self.seed = seed; self.count = count; self.size = size; self.faceSize = faceSize
        }
    }

    /// Adam settings of one optimiser.
    public struct Optimiser: Codable, Sendable, Equatable {
        public var learningRate: Float
        public var beta1: Float
        public var beta2: Float

        enum CodingKeys: String, CodingKey { case learningRate = "learning_rate", beta1, beta2 }

        public init(learningRate: Float, beta1: Float, beta2: Float) {
            self.learningRate = learningRate; self.beta1 = beta1; self.beta2 = beta2
        }
    }

    /// A stage of training that made the starting weights of this run (from `--from`), in order.
    public struct History: Codable, Sendable, Equatable {
        /// `stage<N>:<objective>` with the loss names, e.g. `stage1:supervised(image_l2+depth_l2)`.
        public var description: String
        public var steps: Int
        public var cpuSeconds: Double

        enum CodingKeys: String, CodingKey { case description, steps, cpuSeconds = "cpu_seconds" }

        public init(description: String, steps: Int, cpuSeconds: Double) {
            self.description = description; self.steps = steps; self.cpuSeconds = cpuSeconds
        }
    }

    public var format: String
    /// Generator configuration name (`studio`).
    public var configuration: String
    /// 1: LR portraits and faces, everything but the SR network; 2: only the SR network, HR images.
    public var stage: Int
    public var objective: Objective
    /// Seed of everything random in the run (data order, drawn controls, noise).
    public var seed: UInt64
    /// Images per optimiser step (all micro-batches together).
    public var batch: Int
    /// Micro-batches per step (gradients summed before the update); divides `batch`.
    public var accumulation: Int
    public var generatorOptimiser: Optimiser
    public var discriminatorOptimiser: Optimiser
    /// Decay of the generator's moving average (sampling copy).
    public var emaDecay: Float
    /// Loss name → weight (the terms of the objective; 0 disables a term).
    public var lossWeights: [String: Double]
    /// R1 weight γ and the interval of the D regularisation phase (1: every step; 16: lazy, scaled by 16).
    public var r1Gamma: Double
    public var r1Interval: Int
    /// Interval of the G regularisation phase (the deformation regularisers), in steps.
    public var generatorRegularisationInterval: Int
    public var corpus: Corpus
    /// Where the starting weights came from (`--from`: a run directory), nil for the seeded initial weights.
    public var initialisedFrom: String?
    /// The training that made the starting weights (empty for the seeded initial weights).
    public var history: [History]
    /// Where the run's frozen landmark network (`landmarks.safetensors` in the run directory) came from: the
    /// file given with `--landmarks`, or how it was trained on the corpus; nil when the run has none. Not
    /// compared on resume (the run's own copy is used).
    public var landmarkNetwork: String?

    enum CodingKeys: String, CodingKey {
        case format, configuration, stage, objective, seed, batch, accumulation
        case generatorOptimiser = "generator_optimiser", discriminatorOptimiser = "discriminator_optimiser"
        case emaDecay = "ema_decay", lossWeights = "loss_weights", r1Gamma = "r1_gamma", r1Interval = "r1_interval"
        case generatorRegularisationInterval = "generator_regularisation_interval"
        case corpus, initialisedFrom = "initialised_from", history, landmarkNetwork = "landmark_network"
    }

    public init(configuration: String, stage: Int, objective: Objective, seed: UInt64, batch: Int, accumulation: Int,
                generatorOptimiser: Optimiser, discriminatorOptimiser: Optimiser, emaDecay: Float,
                lossWeights: [String: Double], r1Gamma: Double, r1Interval: Int, generatorRegularisationInterval: Int,
                corpus: Corpus, initialisedFrom: String? = nil, history: [History] = []) {
        format = Self.currentFormat
        self.configuration = configuration; self.stage = stage; self.objective = objective; self.seed = seed
        self.batch = batch; self.accumulation = accumulation
        self.generatorOptimiser = generatorOptimiser; self.discriminatorOptimiser = discriminatorOptimiser
        self.emaDecay = emaDecay; self.lossWeights = lossWeights; self.r1Gamma = r1Gamma; self.r1Interval = r1Interval
        self.generatorRegularisationInterval = generatorRegularisationInterval
        self.corpus = corpus; self.initialisedFrom = initialisedFrom; self.history = history
    }

    /// Adam's learning rate for the SR network and the HR discriminators in stage 2. SPEC.md §8.4 suggests
    /// StyleGAN2's 2e−3, but StyleGAN2 multiplies each weight by 1/√fan-in at run time (equalised learning
    /// rate), so its steps on the effective weights are 17 (3×3 conv, 32 channels) to 70 (3×3, 512) times
    /// smaller; our networks hold plain Kaiming-scaled weights. At 2e−3 six stage-2 steps swung `g_adv_whole`
    /// from 0.2 to 246; at 2e−4 it stayed within 0.4–3.3 (docs/training.md, "Measured").
    public static let stageTwoLearningRate: Float = 2e-4

    /// The defaults of SPEC.md §8.3/§8.4 (ours where the paper is silent) for a stage and objective.
    public static func defaults(configuration: String, stage: Int, objective: Objective, seed: UInt64, batch: Int? = nil,
                                corpus: Corpus) -> RunSettings {
        let stageOne = stage == 1
        let weights: [String: Double]
        switch objective {
        case .supervised:
            weights = ["image_l2": 1, "face_l2": 0.5, "depth_l2": 1]
        case .gan:
            weights = stageOne ? ["adv_whole": 0.1, "adv_face": 1.0, "adv_torso": 0.5, "landmark": 1, "imitation": 10,
                                 "pose_smooth": 1, "exp_smooth": 1, "exp_min": 0.1]
                               : ["adv_whole": 0.1, "adv_torso": 0.5]
        }
        return RunSettings(
            configuration: configuration, stage: stage, objective: objective, seed: seed,
            batch: batch ?? (stageOne ? 4 : 2), accumulation: 1,
            generatorOptimiser: stageOne ? .init(learningRate: objective == .supervised ? 1e-4 : 2e-5, beta1: 0, beta2: 0.9)
                                         : .init(learningRate: stageTwoLearningRate, beta1: 0, beta2: 0.99),
            discriminatorOptimiser: stageOne ? .init(learningRate: 2e-4, beta1: 0, beta2: 0.9)
                                             : .init(learningRate: stageTwoLearningRate, beta1: 0, beta2: 0.99),
            emaDecay: 0.999, lossWeights: weights, r1Gamma: stageOne ? 1 : 10, r1Interval: stageOne ? 1 : 16,
            generatorRegularisationInterval: 4, corpus: corpus)
    }

    /// The first setting that differs between this stored run and the settings `requested` now, as
    /// `(field, stored, requested)`, or nil when the run can resume. The corpus is compared by its seed, count
    /// and sizes (not its path: a corpus may move).
    public func firstMismatch(resuming requested: RunSettings) -> (field: String, stored: String, requested: String)? {
        func text<T: Encodable>(_ value: T) -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return (try? encoder.encode(value)).flatMap { String(data: $0, encoding: .utf8) } ?? "\(value)"
        }
        let fields: [(String, String, String)] = [
            ("config", configuration, requested.configuration),
            ("stage", "\(stage)", "\(requested.stage)"),
            ("objective", objective.rawValue, requested.objective.rawValue),
            ("seed", "\(seed)", "\(requested.seed)"),
            ("batch", "\(batch)", "\(requested.batch)"),
            ("accumulation", "\(accumulation)", "\(requested.accumulation)"),
            ("generator_optimiser", text(generatorOptimiser), text(requested.generatorOptimiser)),
            ("discriminator_optimiser", text(discriminatorOptimiser), text(requested.discriminatorOptimiser)),
            ("ema_decay", "\(emaDecay)", "\(requested.emaDecay)"),
            ("loss_weights", text(lossWeights), text(requested.lossWeights)),
            ("r1_gamma", "\(r1Gamma)", "\(requested.r1Gamma)"),
            ("r1_interval", "\(r1Interval)", "\(requested.r1Interval)"),
            ("generator_regularisation_interval", "\(generatorRegularisationInterval)",
             "\(requested.generatorRegularisationInterval)"),
            ("corpus", "seed \(corpus.seed), \(corpus.count) images at \(corpus.size)/\(corpus.faceSize) px",
             "seed \(requested.corpus.seed), \(requested.corpus.count) images at \(requested.corpus.size)/\(requested.corpus.faceSize) px"),
        ]
        return fields.first { $0.1 != $0.2 }.map { (field: $0.0, stored: $0.1, requested: $0.2) }
    }

    /// Checks the values are usable; errors name the field.
    public func validate() throws {
        func fail(_ field: String, _ reason: String) -> TrainingError { .invalidSetting(field: field, reason: reason) }
        guard configuration == "studio" else { throw fail("config", "'\(configuration)': only the studio configuration trains") }
        guard stage == 1 || stage == 2 else { throw fail("stage", "\(stage): 1 or 2") }
        guard batch >= 1 else { throw fail("batch", "\(batch): at least 1") }
        guard accumulation >= 1, batch % accumulation == 0 else {
            throw fail("accumulation", "\(accumulation) micro-batches do not divide the batch of \(batch)")
        }
        guard r1Interval >= 1, generatorRegularisationInterval >= 1 else { throw fail("r1_interval", "intervals must be at least 1") }
        for (name, weight) in lossWeights where !weight.isFinite || weight < 0 {
            throw fail("loss_weights.\(name)", "\(weight): a finite weight >= 0")
        }
    }

    /// JSON text (sorted keys, pretty printed).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Reads `run.json`; errors name the file.
    public static func read(path: String) throws -> RunSettings {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TrainingError.file(path: path, reason: "missing or unreadable")
        }
        do {
            let settings = try JSONDecoder().decode(RunSettings.self, from: data)
            guard settings.format.hasPrefix("portrait-run/1") else {
                throw TrainingError.file(path: path, reason: "format '\(settings.format)', expected \(currentFormat)")
            }
            return settings
        } catch let error as TrainingError {
            throw error
        } catch {
            throw TrainingError.file(path: path, reason: "not a run description: \(error)")
        }
    }
}
