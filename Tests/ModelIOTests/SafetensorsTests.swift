import Foundation
import Numerics
import Testing
@testable import ModelIO

/// Builds a safetensors file by hand from a header JSON text and a data section.
func safetensorsBytes(header: String, data: [UInt8]) -> Data {
    let h = Array(header.utf8)
    let n = UInt64(h.count)
    return Data((0..<8).map { UInt8((n >> (8 * UInt64($0))) & 0xff) } + h + data)
}

@Suite struct SafetensorsTests {
    @Test func readsReferenceGenerator() throws {
        let file = try SafetensorsFile(path: try Reference.path("ref-tiny/generator.safetensors"))
        #expect(file.tensors.count > 100)
        let info = try #require(file.info("radiance_net.network.0.layer.weight"))
        #expect(info.shape == [32, 3] && info.dtype == .float32)
        // reference/README.md, "Counter-based formula": the first three elements of tensor 0.
        let t = try file.tensor("radiance_net.network.0.layer.weight")
        #expect(t.scalars.prefix(3).map(\.bitPattern) == [0x396f46ab, 0xbd8e9ae3, 0xbde6b71e])
        #expect(try file.tensor("sr_net.conv_first.weight").shape == [8, 8, 3, 3])
        #expect(file.contains("smoother.conv_block1.weight") && file.contains("renderer.smooth_layer.conv_block1.weight"))
        #expect(try file.tensor("smoother.conv_block1.weight") == file.tensor("renderer.smooth_layer.conv_block1.weight"))
        // Data order, disjoint and inside the data section.
        for (a, b) in zip(file.tensors, file.tensors.dropFirst()) { #expect(a.byteRange.upperBound <= b.byteRange.lowerBound) }
        #expect(file.tensors.last!.byteRange.upperBound <= file.dataSection.count)
    }

    @Test func dtypesAndMetadata() throws {
        let header = #"{"__metadata__":{"k":"v"},"a":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[4,6]},"c":{"dtype":"I64","shape":[1],"data_offsets":[8,16]},"d":{"dtype":"I32","shape":[1,1],"data_offsets":[16,20]},"e":{"dtype":"U8","shape":[2],"data_offsets":[20,22]},"f":{"dtype":"F32","shape":[],"data_offsets":[24,28]}}"#
        let data: [UInt8] = [0x00, 0x3c, 0x00, 0xc0, 0x80, 0x3f, 0, 0,
                             0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                             7, 0, 0, 0, 200, 3, 0, 0, 0, 0, 0x80, 0x3f]
        let file = try SafetensorsFile(data: safetensorsBytes(header: header, data: data))
        #expect(file.metadata == ["k": "v"])
        #expect(try file.array("a").floats == [1, -2])
        #expect(try file.array("b").floats == [1])
        #expect(try file.array("c").integers == [-2])
        #expect(try file.array("d").integers == [7])
        #expect(try file.array("e").integers == [200, 3])
        #expect(try file.array("f").shape == [] && file.array("f").floats == [1])
        #expect(file.names == ["a", "b", "c", "d", "e", "f"])
        #expect(throws: ModelIOError.self) { try file.array("zzz") }
    }

    @Test func rejectsBadHeaders() {
        let cases: [(String, [UInt8])] = [
            (#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, [0, 0, 0, 0]),  // size != shape x dtype
            (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,8]}}"#, [0, 0, 0, 0]),  // out of range
            (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}}"#, [UInt8](repeating: 0, count: 8)),  // overlap
            (#"{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,4]}}"#, [0, 0, 0, 0]),  // overflow
            (#"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, [0, 0, 0, 0]),
            (#"{"a":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}}"#, [UInt8](repeating: 0, count: 8)),
            (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}"#, [0, 0, 0, 0]),
            (#"{"__metadata__":{"k":1}}"#, []),
            (#"[1,2]"#, []),
            (#"{"a":{"dtype":"F32","shape":[true],"data_offsets":[0,4]}}"#, [0, 0, 0, 0]),
            (#"{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#, [0, 0, 0, 0]),
            (#"{"a":"#, []),
        ]
        for (header, data) in cases {
            #expect(throws: ModelIOError.self, "\(header)") { try SafetensorsFile(data: safetensorsBytes(header: header, data: data)) }
        }
        // A header length past the 100 MB limit or past the end fails before reading it.
        var huge = Data([0, 0, 0, 0, 0, 0, 0, 0x7f])
        huge.append(contentsOf: [0x7b, 0x7d])
        #expect(throws: ModelIOError.self) { try SafetensorsFile(data: huge) }
        #expect(throws: ModelIOError.self) { try SafetensorsFile(data: Data([0xff, 0xff, 0xff, 0x05, 0, 0, 0, 0, 0x7b, 0x7d])) }
        #expect(throws: ModelIOError.self) { try SafetensorsFile(data: Data([1, 2, 3])) }
    }
}
