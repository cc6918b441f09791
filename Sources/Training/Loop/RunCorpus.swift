import Foundation
import Synth

/// The corpus a run reads: its folder, `meta.json` and every label line, checked when the run starts (a
/// missing or malformed line is an error naming the file and the line).
public struct RunCorpus: Sendable {
    public let folder: CorpusFolder
    public let meta: CorpusMeta
    public let records: [CorpusRecord]

    public init(path: String) throws {
        folder = CorpusFolder(path: path)
        meta = try folder.readMeta()
        records = try folder.readRecords(meta)
        guard !records.isEmpty else {
            throw TrainingError.file(path: folder.file(CorpusFolder.labelsName), reason: "the corpus has no images")
        }
    }

    /// What `run.json` records about the corpus.
    public var settings: RunSettings.Corpus {
        .init(path: folder.path, seed: meta.seed, count: meta.count, size: meta.size, faceSize: meta.faceSize)
    }
}
