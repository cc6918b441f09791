import Foundation
import Numerics
import Testing
@testable import ModelIO

@Suite struct PNGTests {
    func gradient(_ w: Int, _ h: Int) -> RGBImage {
        var pixels: [UInt8] = []
        for y in 0..<h { for x in 0..<w { pixels += [UInt8(x * 255 / max(w - 1, 1)), UInt8(y * 255 / max(h - 1, 1)), UInt8((x ^ y) & 255)] } }
        return RGBImage(width: w, height: h, pixels: pixels)!
    }

    @Test func roundTripWithText() throws {
        let image = gradient(37, 21)
        let json = #"{"format": "portrait-controls/1", "note": "ünïcode"}"#
        let data = try PNGCodec.encode(image, text: [("portrait.controls", json)])
        #expect(try PNGCodec.decode(data) == image)
        #expect(PNGCodec.textChunks(data)["portrait.controls"] == json)
    }

    @Test func atomicWriteLeavesNoTemporary() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("png-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try PNGCodec.write(gradient(8, 8), to: dir + "/a.png")
        #expect(try PNGCodec.read(path: dir + "/a.png") == gradient(8, 8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["a.png"])
        #expect(throws: ModelIOError.self) { try PNGCodec.write(gradient(2, 2), to: dir + "/missing/b.png") }
    }

    @Test func hostileInputThrowsOrDecodes() throws {
        let data = try PNGCodec.encode(gradient(16, 9), text: [("k", "v")])
        var rng = SeededGenerator(seed: 0x5EED)
        var thrown = 0
        for trial in 0..<2000 {
            var bytes = [UInt8](data)
            switch trial % 3 {
            case 0: bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &rng)))
            case 1: let i = Int.random(in: 0..<bytes.count, using: &rng); bytes[i] ^= UInt8(1 << Int.random(in: 0..<8, using: &rng))
            default:
                let a = Int.random(in: 0..<bytes.count, using: &rng), b = Int.random(in: 0..<bytes.count, using: &rng)
                bytes = Array(bytes[..<min(a, b)]) + Array(bytes[max(a, b)...]) + Array(bytes[min(a, b)..<max(a, b)])
            }
            do { _ = try PNGCodec.decode(Data(bytes)); _ = PNGCodec.textChunks(Data(bytes)) } catch { thrown += 1 }
        }
        #expect(thrown > 0)
    }

    @Test func hugeDeclaredSizeFailsBeforeAllocating() throws {
        var bytes = [UInt8](try PNGCodec.encode(gradient(4, 4)))
        // IHDR width/height at bytes 16..<24; set 60000 x 60000 and fix the CRC.
        let w: [UInt8] = [0, 0, 0xEA, 0x60]
        bytes.replaceSubrange(16..<20, with: w)
        bytes.replaceSubrange(20..<24, with: w)
        let crc = PNGCodec.chunk(type: "IHDR", body: Array(bytes[16..<29]))
        bytes.replaceSubrange(29..<33, with: crc.suffix(4))
        #expect(throws: ModelIOError.self) { try PNGCodec.decode(Data(bytes)) }
    }
}

/// A deterministic generator for reproducible mutation tests.
typealias SeededGenerator = SplitMix64
