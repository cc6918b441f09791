import Foundation
import Numerics
import Synth
import Testing
@testable import Training

@Suite struct CorpusDatasetTests {
    @Test func batchesShapesRangesAndLabels() throws {
        let (root, path) = try LossesTestSupport.makeCorpus(count: 6, size: 32, faceSize: 32)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let dataset = try CorpusDataset(path: path, portraitSize: 16, faceSize: 32)
        let batch = try dataset.batch([4, 1, 1])
        #expect(batch.portraits.shape == [3, 3, 16, 16] && batch.faces.shape == [3, 3, 32, 32])
        #expect(batch.identity.shape == [3, dataset.meta.identityDim] && batch.shape.shape == [3, dataset.meta.shapeDim])
        #expect(batch.expression.shape == [3, 16] && batch.joints.shape == [3, 6, 3])
        #expect(batch.camera.shape == [3, 2] && batch.faceCamera.shape == [3, 2])
        #expect(batch.faceLandmarks.shape == [3, 68, 2] && batch.portraitLandmarks.shape == [3, 68, 2])
        for v in batch.portraits.scalars + batch.faces.scalars { #expect(v >= -1 && v <= 1) }
        // White background in the corner, and the labels of record 4.
        #expect(batch.portraits[flat: 0] > 0.95)
        let record = dataset.records[4]
        #expect(batch.identity[flat: 0] == Float(record.identity[0]))
        #expect(batch.camera[flat: 0] == Float(record.camera.yaw) && batch.faceCamera[flat: 1] == Float(record.faceCamera.pitch))
        #expect(batch.joints[flat: 5] == Float(record.joints[1][2]))
        #expect(abs(batch.faceLandmarks[flat: 1] - Float(2 * record.landmarks.face[0][1] / 32 - 1)) < 1e-6)
        // The two copies of image 1 are equal; the face tensor at corpus size is the exact PNG.
        #expect(try batch.faces.slice(axis: 0, range: 1..<2) == batch.faces.slice(axis: 0, range: 2..<3))
        // Halving is the 2x2 mean of the full-size image.
        let full = try CorpusDataset(path: path).image(4, view: .portrait)
        let mean = (full[flat: 0] + full[flat: 1] + full[flat: 32] + full[flat: 33]) / 4
        #expect(abs(batch.portraits[flat: 0] - mean) < 1e-6)
    }

    @Test func seededOrderVisitsEveryImageAndResumes() throws {
        var order = try BatchOrder(seed: 9, count: 10)
        let first = order.next(4) + order.next(4) + order.next(2)
        #expect(Set(first) == Set(0..<10))
        #expect(order.epoch == 1 && order.offset == 0)
        var a = try BatchOrder(seed: 9, count: 10)
        _ = a.next(7)
        let saved = try JSONEncoder().encode(a)
        var resumed = try JSONDecoder().decode(BatchOrder.self, from: saved)
        #expect(resumed.next(9) == a.next(9))
        #expect(try BatchOrder(seed: 10, count: 10).permutation(epoch: 0) != BatchOrder(seed: 9, count: 10).permutation(epoch: 0))
        #expect(order.permutation(epoch: 0) != order.permutation(epoch: 1))
        #expect(throws: TrainingError.self) { try BatchOrder(seed: 1, count: 0) }
    }

    /// A malformed label line is reported with the labels file and its 1-based line (CorpusFolder's check).
    @Test func malformedOrMissingLabelLineNamesFileAndLine() throws {
        let (root, path) = try LossesTestSupport.makeCorpus(count: 3, size: 16, faceSize: 16)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let labels = (path as NSString).appendingPathComponent(CorpusFolder.labelsName)
        var lines = try String(contentsOfFile: labels, encoding: .utf8).split(separator: "\n").map(String.init)
        let original = lines
        lines[1] = lines[1].replacingOccurrences(of: "\"expression\":[", with: "\"expression\":[oops,")
        try (lines.joined(separator: "\n") + "\n").write(toFile: labels, atomically: true, encoding: .utf8)
        do {
            _ = try CorpusDataset(path: path)
            Issue.record("a malformed label line was accepted")
        } catch {
            #expect("\(error)".hasPrefix(labels + ":2: "), "\(error)")
        }
        // A missing line (two lines for three images).
        try (original.prefix(2).joined(separator: "\n") + "\n").write(toFile: labels, atomically: true, encoding: .utf8)
        do {
            _ = try CorpusDataset(path: path)
            Issue.record("a missing label line was accepted")
        } catch {
            #expect("\(error)".hasPrefix(labels + ": "), "\(error)")
            #expect("\(error)".contains("2 lines"), "\(error)")
        }
    }

    @Test func missingImageNamesTheFile() throws {
        let (root, path) = try LossesTestSupport.makeCorpus(count: 3, size: 16, faceSize: 16)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let face = (path as NSString).appendingPathComponent(CorpusFolder.faceName(2))
        try FileManager.default.removeItem(atPath: face)
        let dataset = try CorpusDataset(path: path)
        #expect(try dataset.batch([0, 1]).count == 2)
        do {
            _ = try dataset.batch([0, 2])
            Issue.record("a missing image was not reported")
        } catch let error as TrainingError {
            #expect(error.description.hasPrefix(face + ": missing"), "\(error)")
        }
        // A corrupt image is named too.
        try Data("not a png".utf8).write(to: URL(fileURLWithPath: face))
        #expect { try dataset.batch([2]) } throws: { ($0 as? TrainingError)?.description.hasPrefix(face) == true }
    }
}
