import Body
import Foundation
import Generator
import Geometry
import Numerics
import Synth

/// `portrait eval`: how well a model follows its controls, measured on its own renders (issue 10).
///
/// For `samples` control states drawn from the corpus label distribution (seed `seed`), identity = seed `i`
/// with ψ = 1 (the codes exactly as commanded):
/// - **Expression control**: the face view at the drawn face-camera angles; the landmark network's 68
///   landmarks against the face model's landmarks for the model's identity codes and the commanded
///   expression and joints, projected by the same camera (`FaceLandmarkProjector`); mean pixel error at
///   the corpus face size. Reference: the same network on held-out real corpus crops.
/// - **Head-pose control**: the face camera is placed relative to the *commanded* posed head, so a model
///   that turns the head as commanded shows the face at the drawn relative angles; the measured angles are
///   the (yaw, pitch) whose projected face-model landmarks best fit the network's landmarks (grid search,
///   0.5°); the error is the angle between commanded and measured.
/// - **Multi-view consistency**: depth maps of the portrait at yaws `yawPair` reprojected into each other
///   (`DepthReprojection`), median error in body-space units.
/// - **Fréchet distance in the landmark network's feature space** (not Inception FID) between the generated
///   face crops and as many corpus face crops; reference: two disjoint halves of corpus crops.
public struct ModelEvaluation {
    /// What to measure on.
    public struct Options: Sendable {
        public var samples = 64
        public var seed: UInt64 = 0
        public var yawPair: (Double, Double) = (-20, 20)
        public init() {}
    }

    /// The measured figures (see the type's documentation for their meaning).
    public struct Report: Sendable {
        public var samples: Int
        /// Landmark error on the model's faces and on held-out corpus crops, pixels at `faceSize`.
        public var landmarkError: Double
        public var corpusLandmarkError: Double
        public var faceSize: Int
        /// Commanded-versus-measured head direction, degrees (mean and median over samples).
        public var headPoseErrorMean: Double
        public var headPoseErrorMedian: Double
        /// Depth reprojection between the two yaws: median of per-sample medians, and the fraction of
        /// foreground pixels that found a visible partner.
        public var depthErrorMedian: Double
        public var depthMatchedFraction: Double
        /// Fréchet distances in landmark-feature space: generated vs corpus, corpus half vs half.
        public var frechet: Double
        public var corpusFrechet: Double
    }

    public let model: any PortraitModel
    public let network: LandmarkNetwork
    public let corpus: CorpusDataset
    /// Corpus images used for the references (disjoint from those the network was trained on).
    public let heldOut: [Int]
    public let options: Options
    let projector: FaceLandmarkProjector

    public init(model: any PortraitModel, network: LandmarkNetwork, corpus: CorpusDataset, heldOut: [Int],
                options: Options = Options()) throws {
        guard options.samples >= 2, heldOut.count >= 4 else {
            throw TrainingError.invalidArgument(operation: "portrait eval",
                                                reason: "needs at least 2 samples and 4 held-out corpus images (got \(options.samples), \(heldOut.count))")
        }
        guard model.controlSpace.expressionNames == FaceModel.expressionNames else {
            throw TrainingError.invalidArgument(
                operation: "portrait eval",
                reason: "\(model.identity.name) has \(model.controlSpace.expressionDim) numbered expressions; the measurements read the built-in face model's \(FaceModel.expressionNames.count) named blendshapes (\(FaceModel.expressionNames.prefix(2).joined(separator: ", ")), ...)")
        }
        self.model = model; self.network = network; self.corpus = corpus; self.heldOut = heldOut; self.options = options
        projector = try FaceLandmarkProjector()
    }

    /// Runs every measurement; `progress(done, total)` after each sample.
    public func run(progress: (Int, Int) -> Void = { _, _ in }) throws -> Report {
        let faceSize = corpus.faceSize
        var landmarkErrors: [Double] = [], poseErrors: [Double] = [], depthMedians: [Double] = []
        var matched = 0, foreground = 0
        var generatedFaces: [Tensor] = []
        let distribution = LabelDistribution()
        for i in 0..<options.samples {
            var random = LabelRandom(seed: options.seed, index: i)
            let labels = distribution.sample(&random, identityCount: 80, shapeCount: 10,
                                             expressionCount: model.controlSpace.expressionDim)
            let identity = Controls.Identity.seed(UInt32(i), blend: 0)
            let codes = try model.codes(for: identity)
            let prepared = try model.completeIdentity(
                model.prepareLowResolution(codes: codes, psi: 1, isCancelled: { false }), isCancelled: { false })
            var controls = labels.controls(identity: identity)
            controls.psi = 1
            controls.expression = .named(Dictionary(uniqueKeysWithValues: zip(FaceModel.expressionNames, labels.expression)))
            // Face view: the camera relative to the commanded head.
            var face = controls
            face.view = .face
            face.camera = Controls.Camera(yaw: labels.faceYaw, pitch: labels.facePitch)
            let faceImage = try ImageTensor.resized(model.render(identity: prepared, controls: face, isCancelled: { false }).image,
                                                    to: faceSize)
            generatedFaces.append(faceImage)
            let predicted = try network.predict(faceImage.reshaped([1, 3, faceSize, faceSize]))
            let measured = (0..<LandmarkNetworkArchitecture.landmarkCount).map {
                SIMD2(Double(predicted[flat: 2 * $0] + 1) * Double(faceSize) / 2, Double(predicted[flat: 2 * $0 + 1] + 1) * Double(faceSize) / 2)
            }
            let posed = try projector.posedLandmarks(identity: codes.identity, shape: codes.shape,
                                                     expression: labels.expression.map(Float.init), joints: labels.joints)
            let commanded = posed.project(faceYaw: labels.faceYaw, facePitch: labels.facePitch, size: faceSize)
            landmarkErrors.append(Self.meanDistance(measured, commanded))
            let fitted = Self.bestAngles(posed: posed, measured: measured, size: faceSize,
                                         around: (labels.faceYaw, labels.facePitch))
            poseErrors.append(Self.angleBetween(yaw: fitted.yaw, pitch: fitted.pitch, yaw: labels.faceYaw, pitch: labels.facePitch))
            // Two portrait yaws.
            var a = controls, b = controls
            a.camera = Controls.Camera(yaw: options.yawPair.0, pitch: labels.cameraPitch)
            b.camera = Controls.Camera(yaw: options.yawPair.1, pitch: labels.cameraPitch)
            let depthA = try model.render(identity: prepared, controls: a, isCancelled: { false }).depth
            let depthB = try model.render(identity: prepared, controls: b, isCancelled: { false }).depth
            let errors = try DepthReprojection().errors(
                depthA: depthA, anglesA: CameraAngles(relativeYawDegrees: a.camera.yaw, relativePitchDegrees: a.camera.pitch),
                depthB: depthB, anglesB: CameraAngles(relativeYawDegrees: b.camera.yaw, relativePitchDegrees: b.camera.pitch))
            matched += errors.matched
            foreground += errors.foreground
            if errors.median.isFinite { depthMedians.append(errors.median) }
            progress(i + 1, options.samples)
        }
        let corpusError = try LandmarkTrainer.evaluate(network, on: corpus, indices: heldOut,
                                                       baseline: LandmarkTrainer.meanLandmarks(corpus, indices: heldOut))
        let generatedFeatures = try features(generatedFaces)
        let real = Array(heldOut.prefix(options.samples))
        let realFeatures = try corpusFeatures(real)
        let half = heldOut.count / 2
        let firstHalf = try corpusFeatures(Array(heldOut[..<half])), secondHalf = try corpusFeatures(Array(heldOut[half...]))
        return Report(samples: options.samples,
                      landmarkError: Self.mean(landmarkErrors), corpusLandmarkError: corpusError.meanPixelError, faceSize: faceSize,
                      headPoseErrorMean: Self.mean(poseErrors), headPoseErrorMedian: Self.median(poseErrors),
                      depthErrorMedian: depthMedians.isEmpty ? .nan : Self.median(depthMedians),
                      depthMatchedFraction: foreground == 0 ? 0 : Double(matched) / Double(foreground),
                      frechet: FrechetDistance.distance(generatedFeatures, realFeatures),
                      corpusFrechet: FrechetDistance.distance(firstHalf, secondHalf))
    }

    /// Feature rows of faces `[3, S, S]`, 32 at a time.
    func features(_ faces: [Tensor]) throws -> [[Double]] {
        var rows: [[Double]] = []
        for start in Swift.stride(from: 0, to: faces.count, by: 32) {
            let chunk = faces[start..<min(start + 32, faces.count)]
            guard let first = chunk.first else { break }
            var stacked = Tensor.zeros([chunk.count] + first.shape)
            let plane = first.count
            stacked.withUnsafeMutableBufferPointer { dst in
                for (i, f) in chunk.enumerated() { f.withUnsafeBufferPointer { src in for k in 0..<plane { dst[i * plane + k] = src[k] } } }
            }
            let f = try network.features(stacked)
            let width = f.count / chunk.count
            for r in 0..<chunk.count { rows.append((0..<width).map { Double(f[flat: r * width + $0]) }) }
        }
        return rows
    }

    /// Feature rows of corpus face crops.
    func corpusFeatures(_ indices: [Int]) throws -> [[Double]] {
        try features(indices.map { try corpus.image($0, view: .face) })
    }

    /// The relative face-camera angles (degrees) whose projection of `posed` best fits `measured`: a 2° grid
    /// over ±30° around `around`, then a 0.5° grid over ±2° around the best.
    static func bestAngles(posed: FaceLandmarkProjector.PosedLandmarks, measured: [SIMD2<Double>], size: Int,
                           around: (Double, Double)) -> (yaw: Double, pitch: Double) {
        var best = (yaw: around.0, pitch: around.1, error: Double.infinity)
        func search(_ centre: (Double, Double), radius: Double, step: Double) {
            var yaw = centre.0 - radius
            while yaw <= centre.0 + radius + 1e-9 {
                var pitch = centre.1 - radius
                while pitch <= centre.1 + radius + 1e-9 {
                    let e = meanDistance(measured, posed.project(faceYaw: yaw, facePitch: pitch, size: size))
                    if e < best.error { best = (yaw, pitch, e) }
                    pitch += step
                }
                yaw += step
            }
        }
        search(around, radius: 30, step: 2)
        search((best.yaw, best.pitch), radius: 2, step: 0.5)
        return (best.yaw, best.pitch)
    }

    /// Angle (degrees) between the viewing directions of two relative (yaw, pitch) pairs.
    static func angleBetween(yaw y1: Double, pitch p1: Double, yaw y2: Double, pitch p2: Double) -> Double {
        func direction(_ yaw: Double, _ pitch: Double) -> SIMD3<Double> {
            let y = yaw * .pi / 180, p = pitch * .pi / 180
            return SIMD3(Foundation.sin(y) * Foundation.cos(p), Foundation.sin(p), Foundation.cos(y) * Foundation.cos(p))
        }
        let c = (direction(y1, p1) * direction(y2, p2)).sum()
        return Foundation.acos(min(max(c, -1), 1)) * 180 / .pi
    }

    static func meanDistance(_ a: [SIMD2<Double>], _ b: [SIMD2<Double>]) -> Double {
        mean(zip(a, b).map { (($0 - $1) * ($0 - $1)).sum().squareRoot() })
    }

    static func mean(_ x: [Double]) -> Double { x.isEmpty ? .nan : x.reduce(0, +) / Double(x.count) }

    static func median(_ x: [Double]) -> Double { x.isEmpty ? .nan : x.sorted()[x.count / 2] }
}
