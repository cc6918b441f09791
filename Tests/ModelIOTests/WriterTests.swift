import Foundation
import Numerics
import Testing
@testable import ModelIO

/// One array of every dtype, with values at the edges of each type's range.
func sampleArrays() -> [(name: String, array: NumericArray)] {
    [
        ("f32", NumericArray(shape: [2, 3], dtype: .float32, values: .float([0, -1.5, .infinity, 3e38, -0.0, 0x1p-130]))),
        ("f16", NumericArray(shape: [3], dtype: .float16, values: .float([1, -65504, 0x1p-24]))),
        ("f64", NumericArray(shape: [2, 1, 2], dtype: .float64, values: .double([1e300, -2, 0.1, .pi]))),
        ("i8", NumericArray(shape: [2], dtype: .int8, values: .integer([-128, 127]))),
        ("i16", NumericArray(shape: [2], dtype: .int16, values: .integer([-32768, 32767]))),
        ("i32", NumericArray(shape: [2], dtype: .int32, values: .integer([Int64(Int32.min), Int64(Int32.max)]))),
        ("i64", NumericArray(shape: [2], dtype: .int64, values: .integer([Int64.min, Int64.max]))),
        ("u8", NumericArray(shape: [2], dtype: .uint8, values: .unsigned([0, 255]))),
        ("u16", NumericArray(shape: [1], dtype: .uint16, values: .unsigned([65535]))),
        ("u32", NumericArray(shape: [1], dtype: .uint32, values: .unsigned([4_294_967_295]))),
        ("u64", NumericArray(shape: [1], dtype: .uint64, values: .unsigned([UInt64.max]))),
        ("bool", NumericArray(shape: [3], dtype: .bool, values: .unsigned([1, 0, 1]))),
        ("scalar", NumericArray(shape: [], dtype: .float32, values: .float([7]))),
        ("empty", NumericArray(shape: [0, 4], dtype: .float32, values: .float([]))),
    ]
}

@Suite struct WriterTests {
    @Test func npyRoundTripEveryDtype() throws {
        for (name, array) in sampleArrays() {
            let back = try NPY.decode(try NPY.encode(array))
            #expect(back == array, "\(name)")
        }
        // bfloat16 is written widened to float32.
        let b = NumericArray(shape: [2], dtype: .bfloat16, values: .float([1, -2]))
        let back = try NPY.decode(try NPY.encode(b))
        #expect(back.dtype == .float32 && back.floats == [1, -2])
        // Header length keeps the data 64-byte aligned, as numpy does.
        let encoded = try NPY.encode(sampleArrays()[0].array)
        #expect((encoded.count - 24) % 64 == 0)
    }

    @Test func npzRoundTripStoredAndDeflated() throws {
        for compressed in [false, true] {
            let data = try NPZFile.encode(sampleArrays(), compressed: compressed)
            let npz = try NPZFile(data: data)
            #expect(npz.names == sampleArrays().map(\.name))
            for (name, array) in sampleArrays() { #expect(try npz.array(name) == array) }
        }
        // Deflated is smaller for compressible data.
        let big = [("z", NumericArray(shape: [10_000], dtype: .float32, values: .float([Float](repeating: 1, count: 10_000))))]
        #expect(try NPZFile.encode(big, compressed: true).count < 1000)
        #expect(try NPZFile(data: try NPZFile.encode(big, compressed: true)).array("z") == big[0].1)
    }

    @Test func readsReferenceNPZ() throws {
        let body = try NPZFile(path: try Reference.path("ref-tiny/body/body.npz"))
        #expect(Set(body.names).isSuperset(of: ["v_template", "shapedirs", "posedirs", "weights", "f", "kintree_table", "J_regressor_dense"]))
        let posedirs = try body.array("posedirs")
        #expect(posedirs.shape == [6890, 3, 207] && posedirs.dtype == .float32)
        let kintree = try body.array("kintree_table")
        #expect(kintree.shape == [2, 24] && kintree.integers?.first == 4_294_967_295)
        #expect(try body.array("f").dtype == .uint32)
        let bary = try NPZFile(path: try Reference.path("pickles/smpl_01_fit_reassign.npz")).array("bary")
        #expect(bary.shape == [68, 4] && bary.dtype == .float64)
    }

    @Test func zipRefusals() throws {
        var writer = ZipWriter()
        try writer.add("a.npy", Data([1, 2, 3, 4, 5]), compress: false)
        let good = writer.finished()
        #expect(try ZipArchive(data: good).contents(of: "a.npy") == Data([1, 2, 3, 4, 5]))
        // CRC mismatch: flip a data byte (local header 30 bytes + 5-byte name).
        var flipped = good
        flipped[35] ^= 0xff
        #expect(throws: ModelIOError.self) { try ZipArchive(data: flipped).contents(of: "a.npy") }
        // ZIP64-sized end record.
        var zip64 = good
        let end = zip64.count - 22
        zip64[end + 8] = 0xff; zip64[end + 9] = 0xff; zip64[end + 10] = 0xff; zip64[end + 11] = 0xff
        #expect {
            try ZipArchive(data: zip64)
        } throws: { error in
            "\(error)".contains("ZIP64")
        }
        // Unknown compression method.
        var method = good
        let cd = end - (46 + 5)
        method[cd + 10] = 12
        #expect(throws: ModelIOError.self) { try ZipArchive(data: method) }
        #expect(throws: ModelIOError.self) { try ZipArchive(data: Data("PK not really".utf8)) }
        #expect(throws: ModelIOError.self) { try ZipArchive(data: good.prefix(good.count - 3)) }
        // A deflated entry claiming an impossible size fails before inflating.
        var claim = ZipWriter()
        try claim.add("b", Data(repeating: 0, count: 4096), compress: true)
        var huge = claim.finished()
        let cd2 = huge.count - 22 - (46 + 1)
        huge[cd2 + 24] = 0xfe; huge[cd2 + 25] = 0xff; huge[cd2 + 26] = 0xff; huge[cd2 + 27] = 0x7f
        #expect(throws: ModelIOError.self) { try ZipArchive(data: huge).contents(of: "b") }
    }

    @Test func gzipRoundTripAndRefusals() throws {
        let gz = try Zlib.gunzip(try Data(contentsOf: URL(fileURLWithPath: try Reference.path("ref-tiny/body/SMPL_NEUTRAL.pkl.gz"))), path: "x")
        #expect(gz.count > 1_000_000 && gz.first == 0x80)
        #expect(throws: ModelIOError.self) { try Zlib.gunzip(Data([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2]), path: "x") }
    }

    @Test func safetensorsRoundTrip() throws {
        var writer = SafetensorsWriter(metadata: ["portrait": "{\"format\": \"x\"}", "other": "a\nb\"c"])
        for (name, array) in sampleArrays() where array.dtype != .float64 || true { try writer.add(name, array) }
        try writer.add("bf16", NumericArray(shape: [2], dtype: .bfloat16, values: .float([1, -2.5])))
        try writer.add("tensor", try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]), as: .float16)
        let folder = try ScratchFolder()
        defer { folder.cleanup() }
        let path = folder.file("t.safetensors")
        try writer.write(to: path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["t.safetensors"])
        let file = try SafetensorsFile(path: path)
        #expect(file.metadata == writer.metadata)
        for (name, array) in sampleArrays() { #expect(try file.array(name) == array, "\(name)") }
        #expect(try file.array("bf16").floats == [1, -2.5])
        #expect(try file.tensor("tensor") == Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]))
        // Header padded to 8 bytes; tensors contiguous, each aligned to its element size.
        #expect((try Data(contentsOf: URL(fileURLWithPath: path)).count - file.dataSection.count) % 8 == 0)
        var end = 0
        for t in file.tensors {
            #expect(t.byteRange.lowerBound == end)
            #expect(t.byteRange.lowerBound % t.dtype.size == 0)
            end = t.byteRange.upperBound
        }
        #expect(end == file.dataSection.count)
        // Values that do not fit the declared dtype are refused.
        var bad = SafetensorsWriter()
        #expect(throws: ModelIOError.self) {
            try bad.add("x", NumericArray(shape: [1], dtype: .int64, values: .integer([300])), as: .uint8)
        }
        #expect(throws: ModelIOError.self) {
            try bad.add("y", NumericArray(shape: [2], dtype: .float32, values: .float([1])))
        }
    }
}
