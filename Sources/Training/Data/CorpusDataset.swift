import Foundation
import ModelIO
import Numerics
import Synchronization
import Synth

/// A labelled portrait corpus (the synthetic corpus layout, docs/formats.md; users' own portraits use the
/// same layout) read for training: the labels are loaded and checked once, images are decoded per batch.
///
/// Errors: `meta.json` and `labels.jsonl` problems are `Synth.SynthError`s from `CorpusFolder` (a missing or
/// malformed label line names `labels.jsonl` and the 1-based line); a missing, unreadable or wrongly sized
/// image is `TrainingError.corpusImage` naming the file.
public struct CorpusDataset: Sendable {
    public let folder: CorpusFolder
    public let meta: CorpusMeta
    public let records: [CorpusRecord]
    /// Training resolutions (pixels, square) the portraits and faces are resized to.
    public let portraitSize: Int
    public let faceSize: Int

    /// Which image of a record.
    public enum View: Sendable { case portrait, face }

    /// Opens the corpus at `path`; `portraitSize` / `faceSize` default to the corpus's own sizes.
    public init(path: String, portraitSize: Int? = nil, faceSize: Int? = nil) throws {
        folder = CorpusFolder(path: path)
        meta = try folder.readMeta()
        records = try folder.readRecords(meta)
        guard !records.isEmpty else {
            throw TrainingError.invalidArgument(operation: "CorpusDataset", reason: "\(folder.file(CorpusFolder.labelsName)) has no images")
        }
        self.portraitSize = portraitSize ?? meta.size
        self.faceSize = faceSize ?? meta.faceSize
        guard (4...4096).contains(self.portraitSize), (4...4096).contains(self.faceSize) else {
            throw TrainingError.invalidArgument(operation: "CorpusDataset",
                                                reason: "training sizes \(self.portraitSize) and \(self.faceSize) must be within 4...4096")
        }
    }

    /// Number of images.
    public var count: Int { records.count }

    /// The image `view` of record `index` as `[3, size, size]` in [−1, 1] at the training resolution.
    public func image(_ index: Int, view: View) throws -> Tensor {
        guard records.indices.contains(index) else {
            throw TrainingError.invalidArgument(operation: "CorpusDataset.image", reason: "index \(index) outside 0..<\(count)")
        }
        let record = records[index]
        let (relative, stored, size) = view == .portrait ? (record.portrait, meta.size, portraitSize)
                                                        : (record.face, meta.faceSize, faceSize)
        let path = folder.file(relative)
        guard FileManager.default.fileExists(atPath: path) else {
            throw TrainingError.corpusImage(path: path, reason: "missing (image \(index) of \(folder.path))")
        }
        let decoded: RGBImage
        do { decoded = try PNGCodec.read(path: path) } catch {
            throw TrainingError.corpusImage(path: path, reason: "not a readable PNG: \(ModelIOError.reason(error, about: path))")
        }
        guard decoded.width == stored, decoded.height == stored else {
            throw TrainingError.corpusImage(path: path, reason: "\(decoded.width)x\(decoded.height) pixels, meta.json says \(stored)x\(stored)")
        }
        return try ImageTensor.resized(ImageTensor.planes(decoded), to: size)
    }

    /// Images `view` of `indices` as `[B, 3, size, size]` (decoded in parallel; the first error is thrown).
    public func images(_ indices: [Int], view: View) throws -> Tensor {
        let size = view == .portrait ? portraitSize : faceSize
        let plane = 3 * size * size
        let state = Mutex<(tensors: [Tensor?], error: Error?)>((Array(repeating: nil, count: indices.count), nil))
        Parallel.forEach(indices.count) { i in
            do {
                let t = try image(indices[i], view: view)
                state.withLock { $0.tensors[i] = t }
            } catch {
                state.withLock { s in if s.error == nil { s.error = error } }
            }
        }
        let (tensors, failure) = state.withLock { ($0.tensors, $0.error) }
        if let failure { throw failure }
        var out = Tensor.zeros([indices.count, 3, size, size])
        out.withUnsafeMutableBufferPointer { dst in
            for (i, t) in tensors.enumerated() {
                t?.withUnsafeBufferPointer { src in
                    for k in 0..<plane { dst[i * plane + k] = src[k] }
                }
            }
        }
        return out
    }

    /// The batch of `indices`: both images and every label (see `TrainingBatch` for shapes and units).
    public func batch(_ indices: [Int]) throws -> TrainingBatch {
        guard !indices.isEmpty else { throw TrainingError.invalidArgument(operation: "CorpusDataset.batch", reason: "empty batch") }
        let picked = try indices.map { i -> CorpusRecord in
            guard records.indices.contains(i) else {
                throw TrainingError.invalidArgument(operation: "CorpusDataset.batch", reason: "index \(i) outside 0..<\(count)")
            }
            return records[i]
        }
        func table(_ rows: [[Double]], _ shape: [Int]) throws -> Tensor {
            try Tensor(shape: shape, scalars: rows.flatMap { $0.map { Float($0) } })
        }
        let b = indices.count
        func landmarks(_ points: (CorpusRecord) -> [[Double]], size: Int) throws -> Tensor {
            try table(picked.map { r in points(r).flatMap { p in p.map { 2 * $0 / Double(size) - 1 } } }, [b, CorpusFolder.landmarkCount, 2])
        }
        return TrainingBatch(
            indices: indices,
            portraits: try images(indices, view: .portrait),
            faces: try images(indices, view: .face),
            identity: try table(picked.map(\.identity), [b, meta.identityDim]),
            shape: try table(picked.map(\.shape), [b, meta.shapeDim]),
            expression: try table(picked.map(\.expression), [b, meta.expressionNames.count]),
            joints: try table(picked.map { $0.joints.flatMap { $0 } }, [b, 6, 3]),
            camera: try table(picked.map { [$0.camera.yaw, $0.camera.pitch] }, [b, 2]),
            faceCamera: try table(picked.map { [$0.faceCamera.yaw, $0.faceCamera.pitch] }, [b, 2]),
            faceLandmarks: try landmarks({ $0.landmarks.face }, size: meta.faceSize),
            portraitLandmarks: try landmarks({ $0.landmarks.portrait }, size: meta.size))
    }

    /// The next batch of `size` images in `order` (advancing it).
    public func nextBatch(_ order: inout BatchOrder, size: Int) throws -> TrainingBatch {
        guard order.count == count else {
            throw TrainingError.invalidArgument(operation: "CorpusDataset.nextBatch",
                                                reason: "batch order over \(order.count) images for a corpus of \(count)")
        }
        return try batch(order.next(size))
    }
}
