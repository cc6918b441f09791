import Foundation
import ModelIO

/// Writes a corpus folder: `prepare` makes the image folders, images are written as they are rendered, and
/// `finish` writes `labels.jsonl`, then `meta.json` (each through a temporary file and a rename), so a
/// folder interrupted before the end has no `meta.json` and `check` refuses it.
public struct CorpusOutput: Sendable {
    public let folder: CorpusFolder

    /// Creates (or, with `force`, clears our own files in) `path`. Refuses an existing non-empty folder
    /// without `force`, and any folder it cannot write.
    public static func prepare(path: String, force: Bool) throws -> CorpusOutput {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw SynthError.file(path: path, reason: "exists and is not a folder") }
            let contents = (try? fm.contentsOfDirectory(atPath: path)) ?? []
            if !contents.isEmpty {
                guard force else {
                    throw SynthError.file(path: path, reason: "folder is not empty (use --force to replace a corpus there)")
                }
                let ours = [CorpusFolder.metaName, CorpusFolder.labelsName, CorpusFolder.contactSheetName, "portraits", "faces"]
                for name in ours where contents.contains(name) {
                    do { try fm.removeItem(atPath: (path as NSString).appendingPathComponent(name)) } catch {
                        throw SynthError.file(path: (path as NSString).appendingPathComponent(name), reason: "cannot remove it")
                    }
                }
            }
        }
        let folder = CorpusFolder(path: path)
        for sub in ["portraits", "faces"] {
            do { try fm.createDirectory(atPath: folder.file(sub), withIntermediateDirectories: true) } catch {
                throw SynthError.file(path: folder.file(sub), reason: "cannot create the folder")
            }
        }
        guard fm.isWritableFile(atPath: folder.file("portraits")) else {
            throw SynthError.file(path: path, reason: "not writable")
        }
        return CorpusOutput(folder: folder)
    }

    /// Writes one image at `relative` (a `CorpusFolder` name).
    public func writeImage(_ image: RGBImage, _ relative: String) throws {
        let path = folder.file(relative)
        do { try AtomicFile.write(try PNGCodec.encode(image), to: path) } catch {
            throw SynthError.file(path: path, reason: "cannot write: \(error)")
        }
    }

    /// One `labels.jsonl` line (keys sorted, so equal records give equal bytes).
    public static func line(_ record: CorpusRecord) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(record) + Data("\n".utf8)
    }

    /// Writes the labels, then the meta (the commit marker).
    public func finish(meta: CorpusMeta, records: [CorpusRecord]) throws {
        var labels = Data()
        for record in records { labels += try Self.line(record) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        for (name, data) in [(CorpusFolder.labelsName, labels), (CorpusFolder.metaName, try encoder.encode(meta) + Data("\n".utf8))] {
            do { try AtomicFile.write(data, to: folder.file(name)) } catch {
                throw SynthError.file(path: folder.file(name), reason: "cannot write: \(error)")
            }
        }
    }
}
