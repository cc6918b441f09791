import Foundation
import ModelIO

/// The on-disk layout of a synthetic corpus (`portrait synth`):
///
///     portraits/000000.png   portrait camera, `size`²
///     faces/000000.png       face camera, `face_size`²
///     labels.jsonl           one `CorpusRecord` per line, in index order
///     meta.json              `CorpusMeta`; written last, so a folder without it is not a corpus
///     contact_sheet.png      a grid of the first portraits
public struct CorpusFolder: Sendable {
    public static let metaName = "meta.json"
    public static let labelsName = "labels.jsonl"
    public static let contactSheetName = "contact_sheet.png"
    /// Landmarks per image (iBUG 68).
    public static let landmarkCount = 68

    public let path: String

    public init(path: String) { self.path = path }

    public static func portraitName(_ index: Int) -> String { "portraits/" + number(index) + ".png" }
    public static func faceName(_ index: Int) -> String { "faces/" + number(index) + ".png" }

    private static func number(_ index: Int) -> String {
        let digits = String(index)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// `path/relative`.
    public func file(_ relative: String) -> String { (path as NSString).appendingPathComponent(relative) }

    /// Reads and checks `meta.json`.
    public func readMeta() throws -> CorpusMeta {
        let metaPath = file(Self.metaName)
        guard let data = FileManager.default.contents(atPath: metaPath) else {
            throw SynthError.file(path: metaPath, reason: "missing or unreadable (not a corpus folder?)")
        }
        let meta: CorpusMeta
        do { meta = try JSONDecoder().decode(CorpusMeta.self, from: data) } catch {
            throw SynthError.file(path: metaPath, reason: "not a corpus description: \(Self.describe(error))")
        }
        guard meta.format.hasPrefix("portrait-corpus/1") else {
            throw SynthError.file(path: metaPath, reason: "format '\(meta.format)', expected \(CorpusMeta.currentFormat)")
        }
        guard meta.count >= 0, meta.size > 0, meta.faceSize > 0, meta.jointNames.count == 6 else {
            throw SynthError.file(path: metaPath, reason: "count, sizes or joint names out of range")
        }
        return meta
    }

    /// Reads every line of `labels.jsonl` and checks it against `meta` (sizes, finiteness, index order).
    /// Errors name the file and the 1-based line.
    public func readRecords(_ meta: CorpusMeta) throws -> [CorpusRecord] {
        let labelsPath = file(Self.labelsName)
        guard let data = FileManager.default.contents(atPath: labelsPath) else {
            throw SynthError.file(path: labelsPath, reason: "missing or unreadable")
        }
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard lines.count == meta.count else {
            throw SynthError.file(path: labelsPath, reason: "\(lines.count) lines, meta.json says \(meta.count) images")
        }
        let decoder = JSONDecoder()
        var records: [CorpusRecord] = []
        records.reserveCapacity(lines.count)
        for (offset, line) in lines.enumerated() {
            let record: CorpusRecord
            do { record = try decoder.decode(CorpusRecord.self, from: Data(line)) } catch {
                throw SynthError.label(path: labelsPath, line: offset + 1, reason: Self.describe(error))
            }
            if let problem = Self.problem(record, meta: meta, expectedIndex: offset) {
                throw SynthError.label(path: labelsPath, line: offset + 1, reason: problem)
            }
            records.append(record)
        }
        return records
    }

    /// Checks the whole corpus: meta, labels, and (when `decodeImages`) that every image decodes at its size.
    /// Returns the number of images.
    @discardableResult
    public func check(decodeImages: Bool = true) throws -> Int {
        let meta = try readMeta()
        let records = try readRecords(meta)
        for record in records {
            for (relative, size) in [(record.portrait, meta.size), (record.face, meta.faceSize)] {
                let imagePath = file(relative)
                guard FileManager.default.fileExists(atPath: imagePath) else {
                    throw SynthError.file(path: imagePath, reason: "missing (image \(record.index))")
                }
                guard decodeImages else { continue }
                let image: RGBImage
                do { image = try PNGCodec.read(path: imagePath) } catch {
                    throw SynthError.file(path: imagePath, reason: "not a readable PNG: \(ModelIOError.reason(error, about: imagePath))")
                }
                guard image.width == size, image.height == size else {
                    throw SynthError.file(path: imagePath, reason: "\(image.width)x\(image.height), expected \(size)x\(size)")
                }
            }
        }
        return records.count
    }

    /// What is wrong with `record` under `meta`, or nil.
    static func problem(_ record: CorpusRecord, meta: CorpusMeta, expectedIndex: Int) -> String? {
        if record.index != expectedIndex { return "index \(record.index), expected \(expectedIndex)" }
        if record.portrait != portraitName(record.index) { return "portrait '\(record.portrait)', expected '\(portraitName(record.index))'" }
        if record.face != faceName(record.index) { return "face '\(record.face)', expected '\(faceName(record.index))'" }
        if record.joints.count != 6 || record.joints.contains(where: { $0.count != 3 }) { return "joints: expected 6 x 3 angles" }
        for (name, values, count) in [("shape", record.shape, meta.shapeDim), ("identity", record.identity, meta.identityDim),
                                      ("expression", record.expression, meta.expressionNames.count)] where values.count != count {
            return "\(name): \(values.count) values, meta.json says \(count)"
        }
        for (name, points) in [("landmarks.portrait", record.landmarks.portrait), ("landmarks.face", record.landmarks.face)]
        where points.count != landmarkCount || points.contains(where: { $0.count != 2 }) {
            return "\(name): expected \(landmarkCount) points of 2 coordinates"
        }
        let numbers = [record.camera.yaw, record.camera.pitch, record.faceCamera.yaw, record.faceCamera.pitch]
            + record.joints.joined() + record.shape + record.identity + record.expression
            + record.landmarks.portrait.joined() + record.landmarks.face.joined()
        if numbers.contains(where: { !$0.isFinite }) { return "a value is not finite" }
        return nil
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case let DecodingError.keyNotFound(key, _): return "missing '\(key.stringValue)'"
        case let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context):
            return "wrong type at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        case let DecodingError.dataCorrupted(context):
            return context.codingPath.isEmpty ? "not JSON" : "bad value at '\(context.codingPath.map(\.stringValue).joined(separator: "."))'"
        default: return "\(error)"
        }
    }
}
