import Foundation
import Numerics
import Testing
@testable import ModelIO

/// Deterministic mutations of a file: truncations, bit flips, splices and overwrites with boundary
/// values. The parser under test must throw or return a valid result for every one: a crash or a hang
/// fails the suite.
struct Mutator {
    private var random: SplitMix64

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    mutating func next() -> UInt64 { random.next() }

    mutating func below(_ n: Int) -> Int { random.below(n) }

    /// Mutant number `k` of `original` (k cycles through the four kinds; positions are spread over the
    /// whole file, `focus` weights half of them into a byte range, e.g. a header).
    mutating func mutant(_ k: Int, of original: [UInt8], focus: Range<Int>? = nil) -> [UInt8] {
        var bytes = original
        let n = bytes.count
        func position() -> Int {
            if let focus, !focus.isEmpty, next() & 1 == 0 { return focus.lowerBound + below(focus.count) }
            return below(n)
        }
        switch k % 4 {
        case 0: // truncate
            return Array(bytes.prefix(position()))
        case 1: // flip one to three bits
            for _ in 0...below(3) where n > 0 { bytes[position()] ^= UInt8(1) << UInt8(below(8)) }
            return bytes
        case 2: // splice: a chunk copied from elsewhere in the file, overwritten or inserted, or a range deleted
            let length = 1 + below(64)
            let source = below(max(n - length, 1))
            let chunk = Array(bytes[source..<min(source + length, n)])
            let destination = position()
            switch below(3) {
            case 0: bytes.insert(contentsOf: chunk, at: min(destination, n))
            case 1: bytes.removeSubrange(min(destination, n)..<min(destination + length, n))
            default:
                for (j, b) in chunk.enumerated() where destination + j < n { bytes[destination + j] = b }
            }
            return bytes
        default: // boundary values over 1, 2, 4 or 8 bytes
            let width = [1, 2, 4, 8][below(4)]
            let fills: [UInt8] = [0x00, 0xff, 0x7f, 0x80, 0x01, 0x20]
            let fill = fills[below(fills.count)]
            let at = position()
            for j in 0..<width where at + j < n { bytes[at + j] = (j == width - 1 && fill == 0x7f) ? 0x7f : (fill == 0x7f ? 0xff : fill) }
            return bytes
        }
    }
}

/// Runs `count` mutants of `original` through `parse`; returns how many parsed and how many threw.
func mutate(_ original: Data, count: Int, seed: UInt64, focus: Range<Int>? = nil,
            _ parse: (Data) throws -> Void) -> (accepted: Int, rejected: Int) {
    var mutator = Mutator(seed: seed)
    let bytes = [UInt8](original)
    var accepted = 0, rejected = 0
    for k in 0..<count {
        let mutant = Data(mutator.mutant(k, of: bytes, focus: focus))
        do {
            try parse(mutant)
            accepted += 1
        } catch {
            rejected += 1
        }
    }
    return (accepted, rejected)
}

/// A gzip member holding `data` (header, raw deflate, CRC-32, size).
func gzip(_ data: Data) throws -> Data {
    var out = Data([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3])
    out.append(try Zlib.deflateRaw(data))
    let crc = Zlib.crc32(data), size = UInt32(truncatingIfNeeded: data.count)
    out.append(contentsOf: (0..<4).map { UInt8((crc >> (8 * UInt32($0))) & 0xff) })
    out.append(contentsOf: (0..<4).map { UInt8((size >> (8 * UInt32($0))) & 0xff) })
    return out
}

@Suite struct HostileInputTests {
    static let mutantsPerFormat = 2400

    func read(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    func report(_ format: String, _ r: (accepted: Int, rejected: Int)) {
        #expect(r.accepted + r.rejected == Self.mutantsPerFormat)
        print("mutations \(format): \(r.accepted + r.rejected) (\(r.accepted) parsed, \(r.rejected) rejected)")
    }

    @Test func safetensors() throws {
        let original = try microBundleWriter().encoded().data
        let headerEnd = 8 + Int(original[0]) + Int(original[1]) << 8
        let r = mutate(original, count: Self.mutantsPerFormat, seed: 1, focus: 0..<headerEnd) { data in
            let file = try SafetensorsFile(data: data)
            for info in file.tensors { _ = try file.array(info.name) }
        }
        report("safetensors", r)
    }

    @Test func npy() throws {
        let files = [try read(try Reference.path("ref-tiny/avg_frequencies.npy")),
                     try read(try Reference.path("ref-tiny/cases/neutral_frontal/knn_index.npy")),
                     try NPY.encode(NumericArray(shape: [2, 2], dtype: .float16, values: .float([1, 2, 3, 4])))]
        var total = (accepted: 0, rejected: 0)
        for (i, file) in files.enumerated() {
            let r = mutate(file, count: Self.mutantsPerFormat / files.count, seed: 10 + UInt64(i), focus: 0..<128) { data in
                let array = try NPY.decode(data)
                _ = try NPY.encode(array)
            }
            total = (total.accepted + r.accepted, total.rejected + r.rejected)
        }
        report("npy", total)
    }

    @Test func npz() throws {
        let files = [try read(try Reference.path("pickles/smpl_01_fit_reassign.npz")),
                     try NPZFile.encode(sampleArrays(), compressed: true)]
        var total = (accepted: 0, rejected: 0)
        for (i, file) in files.enumerated() {
            let r = mutate(file, count: Self.mutantsPerFormat / files.count, seed: 20 + UInt64(i)) { data in
                let npz = try NPZFile(data: data)
                for name in npz.names { _ = try npz.array(name) }
            }
            total = (total.accepted + r.accepted, total.rejected + r.rejected)
        }
        report("npz", total)
    }

    @Test func torchZip() throws {
        let fixture = try read(fixturePath("torch-views.pt"))
        let r = mutate(fixture, count: Self.mutantsPerFormat, seed: 30) { data in
            let checkpoint = try TorchCheckpoint(data: data)
            for info in checkpoint.tensors { _ = try checkpoint.array(info.name) }
        }
        report("torch zip", r)
        // The reference checkpoint (3 MB): mutations aimed at its pickle and central directory, opened only.
        let reference = try read(try Reference.path("ref-tiny/generator.pt"))
        let pickleRange = 0..<21_000, directoryRange = (reference.count - 12_000)..<reference.count
        var mutator = Mutator(seed: 31)
        var opened = 0
        for k in 0..<300 {
            var bytes = [UInt8](reference)
            let range = k % 2 == 0 ? pickleRange : directoryRange
            let mutant = mutator.mutant(k | 1, of: Array(bytes[range]))  // bit flips, boundary values
            bytes.replaceSubrange(range, with: mutant)
            if (try? TorchCheckpoint(data: Data(bytes))) != nil { opened += 1 }
        }
        print("mutations torch zip (reference generator.pt): 300 (\(opened) opened)")
    }

    @Test func pickles() throws {
        let py2 = try read(fixturePath("body-py2.pkl"))
        let r2 = mutate(py2, count: Self.mutantsPerFormat, seed: 40) { data in
            let arrays = try PickledArrays.decode(data)
            _ = try BodyModelFile(arrays: arrays, path: "mutant")
        }
        report("py2 pickle", r2)
        let py3 = try read(try Reference.path("pickles/smpl_01_fit_reassign.pkl"))
        let r3 = mutate(py3, count: Self.mutantsPerFormat, seed: 41) { data in _ = try PickledArrays.decode(data) }
        report("py3 pickle", r3)
        let gz = try gzip(py2)
        let rg = mutate(gz, count: Self.mutantsPerFormat, seed: 42) { data in _ = try PickledArrays.decode(data) }
        report("gzip pickle", rg)
    }

    @Test func bundle() throws {
        let original = try microBundleWriter().encoded().data
        let headerEnd = 8 + Int(original[0]) + Int(original[1]) << 8
        let r = mutate(original, count: Self.mutantsPerFormat, seed: 50, focus: 0..<headerEnd) { data in
            let bundle = try PortraitBundle(data: data)
            try bundle.verify()
        }
        report("bundle", r)
        // The metadata JSON alone.
        let text = try microBundleWriter().encoded().metadata.jsonText()
        let rj = mutate(Data(text.utf8), count: Self.mutantsPerFormat, seed: 51) { data in
            let m = try BundleMetadata.decode(String(decoding: data, as: UTF8.self))
            _ = m.problem()
            _ = m.generator.expectedTensors()
        }
        report("bundle metadata JSON", rj)
    }

    @Test func bodyPickleFixtureMatchesItsDescription() throws {
        let arrays = try PickledArrays.read(fixturePath("body-py2.pkl"))
        let expected = try JSONSerialization.jsonObject(with: read(fixturePath("body-py2.json"))) as? [String: [String: Any]] ?? [:]
        #expect(Set(arrays.keys) == Set(expected.keys))
        for (name, e) in expected {
            let array = try #require(arrays[name])
            #expect(array.shape == (e["shape"] as? [Int]), "\(name)")
            let values = (e["values"] as? [NSNumber] ?? []).map(\.doubleValue)
            if array.dtype.isFloatingPoint {
                #expect(array.floats == values.map { Float($0) }, "\(name)")
            } else {
                #expect(array.integers == values.map { Int64($0) }, "\(name)")
            }
        }
        let body = try BodyModelFile(path: fixturePath("body-py2.pkl"))
        #expect(body.posedirs.shape == [207, 12] && body.parents.integers?.first == -1)
        #expect(try BodyModelFile(arrays: PickledArrays.decode(try gzip(read(fixturePath("body-py2.pkl")))), path: "gz").jRegressor
                == body.jRegressor)
    }
}
