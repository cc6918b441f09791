import Foundation
import ModelIO
import Testing
@testable import Synth

/// The corpus layout: writing, reading back, and errors that name the file and line.
@Suite struct CorpusFolderTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("portrait-corpus-\(UUID().uuidString)").path
    }

    static func record(_ index: Int) -> CorpusRecord {
        let points = (0..<68).map { [Double($0) + 0.5, Double(index) + 0.25] }
        return CorpusRecord(index: index, portrait: CorpusFolder.portraitName(index), face: CorpusFolder.faceName(index),
                            camera: .init(yaw: 1.5, pitch: -2), faceCamera: .init(yaw: 0, pitch: 3),
                            joints: Array(repeating: [0, 1, 2], count: 6), shape: [0.5, -1], identity: [1, 2, 3],
                            expression: [0, 0.75], landmarks: .init(portrait: points, face: points),
                            appearance: ["hair": "bob"])
    }

    static func meta(count: Int) -> CorpusMeta {
        CorpusMeta(generator: "test", seed: 1, count: count, size: 8, faceSize: 4, expressionNames: ["jaw_open", "smile_left"],
                   jointNames: ["neck", "left_collar", "right_collar", "head", "left_shoulder", "right_shoulder"],
                   identityDim: 3, shapeDim: 2, distributions: ["camera": "test"])
    }

    /// Writes a valid two-image corpus at a fresh path.
    static func writeCorpus() throws -> CorpusOutput {
        let output = try CorpusOutput.prepare(path: temporaryPath(), force: false)
        for index in 0..<2 {
            try output.writeImage(RGBImage(width: 8, height: 8), CorpusFolder.portraitName(index))
            try output.writeImage(RGBImage(width: 4, height: 4), CorpusFolder.faceName(index))
        }
        try output.finish(meta: meta(count: 2), records: [record(0), record(1)])
        return output
    }

    @Test func writtenCorpusReadsBack() throws {
        let output = try Self.writeCorpus()
        defer { try? FileManager.default.removeItem(atPath: output.folder.path) }
        #expect(try output.folder.check() == 2)
        let meta = try output.folder.readMeta()
        #expect(meta == Self.meta(count: 2))
        #expect(try output.folder.readRecords(meta) == [Self.record(0), Self.record(1)])
    }

    @Test func badLabelLinesNameTheirLine() throws {
        let output = try Self.writeCorpus()
        defer { try? FileManager.default.removeItem(atPath: output.folder.path) }
        let labels = output.folder.file(CorpusFolder.labelsName)
        let good = try String(contentsOfFile: labels, encoding: .utf8).split(separator: "\n").map(String.init)
        var wrongSize = Self.record(1)
        wrongSize.expression = [1]
        let cases: [(String, String)] = [
            ("{\"index\": 1", "labels.jsonl:2: not JSON"),
            (String(decoding: try CorpusOutput.line(wrongSize), as: UTF8.self).trimmingCharacters(in: .newlines),
             "labels.jsonl:2: expression: 1 values, meta.json says 2"),
            (String(decoding: try CorpusOutput.line(Self.record(0)), as: UTF8.self).trimmingCharacters(in: .newlines),
             "labels.jsonl:2: index 0, expected 1"),
            (good[1].replacingOccurrences(of: "\"shape\"", with: "\"shap\""), "labels.jsonl:2: missing 'shape'"),
        ]
        for (line, message) in cases {
            try (good[0] + "\n" + line + "\n").write(toFile: labels, atomically: true, encoding: .utf8)
            #expect(throws: SynthError.self) { try output.folder.check() }
            do { try output.folder.check() } catch { #expect("\(error)".hasSuffix(message), "\(error)") }
        }
        try (good[0] + "\n").write(toFile: labels, atomically: true, encoding: .utf8)
        do { try output.folder.check(); Issue.record("a short labels file passed") } catch {
            #expect("\(error)".contains("1 lines, meta.json says 2"), "\(error)")
        }
    }

    @Test func missingPiecesAndExistingFolders() throws {
        let output = try Self.writeCorpus()
        defer { try? FileManager.default.removeItem(atPath: output.folder.path) }
        try FileManager.default.removeItem(atPath: output.folder.file(CorpusFolder.faceName(1)))
        do { try output.folder.check(); Issue.record("a missing face passed") } catch {
            #expect("\(error)".contains("faces/000001.png: missing"), "\(error)")
        }
        #expect(throws: SynthError.self) { try CorpusOutput.prepare(path: output.folder.path, force: false) }
        let replaced = try CorpusOutput.prepare(path: output.folder.path, force: true)
        #expect(!FileManager.default.fileExists(atPath: replaced.folder.file(CorpusFolder.metaName)))
        do { try replaced.folder.check(); Issue.record("a folder without meta.json passed") } catch {
            #expect("\(error)".contains("meta.json: missing"), "\(error)")
        }
        #expect(throws: SynthError.self) { try CorpusOutput.prepare(path: "/proc/portrait-corpus", force: false) }
    }
}
