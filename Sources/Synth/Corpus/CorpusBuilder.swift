import Body
import Foundation
import Generator
import ModelIO
import Numerics
import Synchronization

/// Makes a corpus: draws each image's labels and appearance from its own random stream (seed, index),
/// renders them in parallel, writes the images as they come, then the labels, the contact sheet and
/// `meta.json` (the commit marker). Byte-identical for the same seed, count and sizes.
public struct CorpusBuilder: Sendable {
    public let renderer: SyntheticPortraitRenderer
    public let distribution: LabelDistribution
    public let seed: UInt64

    public init(renderer: SyntheticPortraitRenderer, distribution: LabelDistribution = LabelDistribution(), seed: UInt64) {
        self.renderer = renderer
        self.distribution = distribution
        self.seed = seed
    }

    /// Labels and appearance of image `index`.
    public func draw(_ index: Int) -> (PortraitLabels, Appearance) {
        var random = LabelRandom(seed: seed, index: index)
        let labels = distribution.sample(&random, identityCount: FaceModel.identityNames.count,
                                         shapeCount: BuiltinBody.shapeDirectionNames.count,
                                         expressionCount: FaceModel.expressionNames.count)
        return (labels, Appearance.sample(&random))
    }

    /// The labels line of image `index`.
    public func record(_ index: Int, labels: PortraitLabels, appearance: Appearance,
                       portrait: SyntheticPortraitRenderer.Portrait) -> CorpusRecord {
        CorpusRecord(index: index, portrait: CorpusFolder.portraitName(index), face: CorpusFolder.faceName(index),
                     camera: .init(yaw: labels.cameraYaw, pitch: labels.cameraPitch),
                     faceCamera: .init(yaw: labels.faceYaw, pitch: labels.facePitch),
                     joints: labels.joints, shape: labels.shape, identity: labels.identity, expression: labels.expression,
                     landmarks: .init(portrait: portrait.portraitLandmarks.map { [$0.x, $0.y] },
                                      face: portrait.faceLandmarks.map { [$0.x, $0.y] }),
                     appearance: appearance.names)
    }

    /// Writes `count` images into `output`; `progress(done)` is called after each image (from any thread).
    public func build(count: Int, into output: CorpusOutput, progress: @Sendable (Int) -> Void = { _ in }) throws {
        guard (1...10_000_000).contains(count) else { throw SynthError.invalid("--count must be within 1...10000000 (got \(count))") }
        let state = Mutex<(records: [CorpusRecord?], error: Error?, done: Int, sheet: [(index: Int, image: RGBImage, caption: String)])>(
            (Array(repeating: nil, count: count), nil, 0, []))
        let sheetCount = min(count, 24)
        Parallel.forEach(count) { index in
            if state.withLock({ $0.error != nil }) { return }
            do {
                let (labels, appearance) = draw(index)
                let portrait = try renderer.render(labels, appearance: appearance)
                try output.writeImage(portrait.portrait, CorpusFolder.portraitName(index))
                try output.writeImage(portrait.face, CorpusFolder.faceName(index))
                let record = record(index, labels: labels, appearance: appearance, portrait: portrait)
                let done = state.withLock { s -> Int in
                    s.records[index] = record
                    s.done += 1
                    return s.done
                }
                if index < sheetCount {
                    let caption = "\(index) \(appearance.hairStyle.rawValue)"
                    state.withLock { $0.sheet.append((index, portrait.portrait, caption)) }
                }
                progress(done)
            } catch {
                state.withLock { if $0.error == nil { $0.error = error } }
            }
        }
        let (records, failure, sheet) = state.withLock { ($0.records, $0.error, $0.sheet) }
        if let failure { throw failure }
        let tiles = sheet.sorted { $0.index < $1.index }.map { (image: $0.image, caption: $0.caption) }
        let contact = ContactSheet.compose(tiles, columns: 6)
        try output.writeImage(contact, CorpusFolder.contactSheetName)
        try output.finish(meta: meta(count: count), records: records.compactMap { $0 })
    }

    /// The corpus description.
    public func meta(count: Int) -> CorpusMeta {
        let d = distribution
        func angle(_ a: LabelDistribution.Angle) -> String { "N(0, \(a.sigma)^2) clamped to ±\(a.limit)" }
        let jointText = zip(Controls.jointNames, d.joints).map { name, axes in
            "\(name) [z, y, x]: " + axes.map(angle).joined(separator: "; ")
        }.joined(separator: " | ")
        return CorpusMeta(
            generator: "portrait-synth \(SyntheticPortraitRenderer.version)", seed: seed, count: count,
            size: renderer.size, faceSize: renderer.faceSize, expressionNames: FaceModel.expressionNames,
            jointNames: Controls.jointNames, identityDim: FaceModel.identityNames.count,
            shapeDim: BuiltinBody.shapeDirectionNames.count,
            distributions: [
                "camera_yaw_degrees": angle(d.cameraYaw), "camera_pitch_degrees": angle(d.cameraPitch),
                "joints_degrees": jointText,
                "identity": "N(0, 1) clamped to ±\(d.codeLimit) per coefficient",
                "shape": "N(0, 1) clamped to ±\(d.codeLimit) per coefficient",
                "expression": "0-3 active blendshapes with probabilities \(d.activeBlendshapes), each weight uniform in \(d.blendshapeWeight)",
                "face_camera_degrees": "yaw " + angle(d.faceYaw) + ", pitch " + angle(d.facePitch) + ", relative to the posed head",
                "appearance": "skin tone, hair style, hair colour and neckline uniform over their lists; clothing any hue",
            ])
    }
}
