import Foundation
import Numerics
@testable import ModelIO

/// The smallest consistent configuration (every width 1, LR 2 -> HR 4): its bundle is a few KB, for
/// tests that mutate or re-encode a whole bundle many times.
let microConfiguration = GeneratorConfiguration(
    hiddenDim: 1, hiddenDimSample: 1, featureDim: 1, hrImageSize: 4, lrImageSize: 2, numSamples: 1, numManifolds: 1,
    srNetKwargs: .init(wDim: 2, nf: 1, nb: 1, gc: 1, upChannels: [1], toRGBKernelSize: 1, upSampleKernelSize: 1),
    identityDim: 1, noiseDim: 1, expressionDim: 1, shapeDim: 1, mappingHiddenDim: 1, srMappingHiddenDim: 1,
    deformHiddenDim: 1, deformMappingHiddenDim: 1, frameNumSamples: 2, frameNumPoints: 2, smootherKD: 1)

/// A valid micro bundle: every expected tensor filled with small deterministic values, a 2-vertex body
/// without pose blend shapes, 2-row samplers.
func microBundleWriter() throws -> BundleWriter {
    var metadata = BundleMetadata(name: "micro", generator: microConfiguration)
    metadata.rendering.body.poseBlendShapes = false
    metadata.samplers = .init(idShape: 2, expression: 2, cameraPoseJoint: 2)
    metadata.provenance = .init(source: "builtin-untrained")
    var writer = BundleWriter(metadata: metadata)
    let sizes: [String: Int] = ["V": 2, "F": 1, "K": 1]
    for e in microConfiguration.expectedTensors(poseBlendShapes: false) {
        let shape = e.shape.map { d -> Int in
            switch d {
            case let .exactly(n): return n
            case .vertices: return sizes["V"] ?? 0
            case .threeVertices: return 3 * (sizes["V"] ?? 0)
            case .faces: return sizes["F"] ?? 0
            case .knnEntries: return sizes["K"] ?? 0
            case .rows: return 2
            case .any: return 3
            }
        }
        if !e.isRequired && !e.name.hasPrefix("samplers.") { continue }
        if e.name == "samplers.id_face" || e.name == "samplers.expression_face" { continue }
        let count = shape.reduce(1, *)
        switch e.name {
        case "renderer.smpl_model.parents":
            try writer.add(e.name, NumericArray(shape: shape, dtype: .int64, values: .integer((0..<24).map { Int64($0) - 1 })))
        case "body.knn_index":
            try writer.add(e.name, NumericArray(shape: shape, dtype: .int64, values: .integer([1])))
        default:
            try writer.add(e.name, NumericArray(shape: shape, dtype: .float32, values: .float((0..<count).map { Float($0 % 5) * 0.25 - 0.5 })))
        }
    }
    return writer
}
