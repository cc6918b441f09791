import Foundation
import Numerics
import Testing
@testable import ModelIO

/// Builds a `.npy` file by hand: header dict text, version, then raw data bytes.
func npyBytes(header: String, version: UInt8 = 1, data: [UInt8]) -> Data {
    var out: [UInt8] = NPY.magic + [version, 0]
    let prefix = version == 1 ? 10 : 12
    var text = header
    while (prefix + text.utf8.count + 1) % 64 != 0 { text += " " }
    text += "\n"
    let n = text.utf8.count
    out += version == 1 ? [UInt8(n & 0xff), UInt8(n >> 8)] : [UInt8(n & 0xff), UInt8((n >> 8) & 0xff), UInt8((n >> 16) & 0xff), UInt8(n >> 24)]
    out += Array(text.utf8)
    out += data
    return Data(out)
}

@Suite struct NPYTests {
    @Test func referenceFloat32() throws {
        let a = try NPY.read(try Reference.path("ref-tiny/avg_frequencies.npy"))
        #expect(a.shape == [288])
        #expect(a.dtype == .float32)
        #expect(a.floats.allSatisfy { $0.isFinite })
        let t = try a.tensor()
        #expect(t.shape == [288])
    }

    @Test func referenceInt64KnnIndex() throws {
        let a = try NPY.read(try Reference.path("ref-tiny/valid_smpl_knn_index.npy"))
        #expect(a.shape == [3595])
        #expect(a.dtype == .int64)
        let v = try #require(a.integers)
        #expect(v.first! >= 0 && v.last! <= 6889)
        #expect(zip(v, v.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test func referenceInt32CaseKnnIndex() throws {
        let a = try NPY.read(try Reference.path("ref-tiny/cases/neutral_frontal/knn_index.npy"))
        #expect(a.shape == [2048])
        #expect(a.dtype == .int32)
        #expect(try #require(a.integers).allSatisfy { $0 >= 0 && $0 < 3595 })
    }

    @Test func referenceFloat16Image() throws {
        let a = try NPY.read(try Reference.path("official-shape/cases/frontal/image_hr.npy"))
        #expect(a.shape == [3, 512, 512])
        #expect(a.dtype == .float16)
        let f = a.floats
        #expect(f.allSatisfy { $0 >= -1.001 && $0 <= 1.001 })
        #expect(Set(f.prefix(10_000)).count > 10)
    }

    @Test func bigEndianAndFortranOrder() throws {
        // [[1, 2, 3], [4, 5, 6]] as big-endian int16, stored column-major: 1 4 2 5 3 6.
        let bytes: [UInt8] = [1, 4, 2, 5, 3, 6].flatMap { [UInt8(0), UInt8($0)] }
        let a = try NPY.decode(npyBytes(header: "{'descr': '>i2', 'fortran_order': True, 'shape': (2, 3), }", data: bytes))
        #expect(a.shape == [2, 3])
        #expect(a.integers == [1, 2, 3, 4, 5, 6])
        // A 3-D Fortran array: element (i, j, k) at i + 2j + 4k.
        let f: [Float] = (0..<8).map { Float($0) }
        let raw = f.flatMap { v -> [UInt8] in let b = v.bitPattern; return [UInt8(b & 0xff), UInt8((b >> 8) & 0xff), UInt8((b >> 16) & 0xff), UInt8(b >> 24)] }
        let c = try NPY.decode(npyBytes(header: "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2, 2), }", version: 2, data: raw))
        #expect(c.floats == [0, 4, 2, 6, 1, 5, 3, 7])
    }

    @Test func versionsTypesAndScalars() throws {
        let b = try NPY.decode(npyBytes(header: "{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", version: 3, data: [1, 0, 7]))
        #expect(b.dtype == .bool && b.integers == [1, 0, 1])
        let u = try NPY.decode(npyBytes(header: "{'descr': '<u4', 'fortran_order': False, 'shape': (1,), }", data: [0xff, 0xff, 0xff, 0xff]))
        #expect(u.integers == [4_294_967_295])
        let d = try NPY.decode(npyBytes(header: "{'descr': '>f8', 'fortran_order': False, 'shape': (), }", data: [0x3f, 0xf0, 0, 0, 0, 0, 0, 0]))
        #expect(d.shape == [] && d.floats == [1])
        let h = try NPY.decode(npyBytes(header: "{'descr': '<f2', 'fortran_order': False, 'shape': (2L,), }", data: [0x00, 0x3c, 0x00, 0xc0]))
        #expect(h.floats == [1, -2])
        let i8 = try NPY.decode(npyBytes(header: "{'descr': '|i1', 'fortran_order': False, 'shape': (2,), }", data: [0xff, 0x7f]))
        #expect(i8.integers == [-1, 127])
    }

    @Test func rejectsBadFiles() {
        // Size disagrees with shape.
        #expect(throws: ModelIOError.self) {
            try NPY.decode(npyBytes(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", data: [0, 0, 0, 0]))
        }
        // A huge claimed shape fails before allocating.
        #expect(throws: ModelIOError.self) {
            try NPY.decode(npyBytes(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4), }", data: []))
        }
        #expect(throws: ModelIOError.self) {
            try NPY.decode(npyBytes(header: "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", data: [UInt8](repeating: 0, count: 8)))
        }
        #expect(throws: ModelIOError.self) {
            try NPY.decode(npyBytes(header: "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", data: [0, 0, 0, 0]))
        }
        #expect(throws: ModelIOError.self) { try NPY.decode(Data([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 0xff, 0xff])) }
        #expect(throws: ModelIOError.self) { try NPY.decode(Data("not an npy file".utf8)) }
    }

    @Test func halfConversions() {
        #expect(HalfPrecision.float(fromHalf: 0x3c00) == 1)
        #expect(HalfPrecision.float(fromHalf: 0x0001) == 0x1p-24)
        #expect(HalfPrecision.float(fromHalf: 0x7bff) == 65504)
        #expect(HalfPrecision.float(fromHalf: 0xfc00) == -.infinity)
        #expect(HalfPrecision.float(fromHalf: 0x7e00).isNaN)
        // Every half survives a round trip through Float.
        for h in UInt16.min...UInt16.max {
            let f = HalfPrecision.float(fromHalf: h)
            if f.isNaN { continue }
            #expect(HalfPrecision.half(from: f) == h)
        }
        // Ties to even, overflow, underflow.
        #expect(HalfPrecision.half(from: 1 + 0x1p-11) == 0x3c00)
        #expect(HalfPrecision.half(from: 1 + 3 * 0x1p-11) == 0x3c02)
        #expect(HalfPrecision.half(from: 65520) == 0x7c00)
        #expect(HalfPrecision.half(from: 0x1p-25) == 0)
        #expect(HalfPrecision.half(from: 0x1.8p-25) == 1)
        #expect(HalfPrecision.bfloat16(from: 1) == 0x3f80)
        #expect(HalfPrecision.float(fromBFloat16: 0xc000) == -2)
    }
}
