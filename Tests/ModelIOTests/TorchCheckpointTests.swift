import Foundation
import Numerics
import Testing
@testable import ModelIO

/// The package's Tests/Fixtures folder.
func fixturePath(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent(name).path
}

@Suite struct TorchCheckpointTests {
    @Test(arguments: ["ref-tiny", "ref-steep"])
    func checkpointEqualsSafetensorsBitwise(configuration: String) throws {
        let pt = try TorchCheckpoint(path: try Reference.path("\(configuration)/generator.pt"))
        let st = try SafetensorsFile(path: try Reference.path("\(configuration)/generator.safetensors"))
        #expect(Set(pt.names) == Set(st.names))
        #expect(pt.names.count == st.names.count)
        for name in st.names {
            let a = try pt.array(name), b = try st.array(name)
            #expect(a.shape == b.shape && a.dtype == b.dtype, "\(name)")
            // Compare bit patterns (NaN-safe, -0 distinct).
            #expect(a.floats.map(\.bitPattern) == b.floats.map(\.bitPattern), "\(name)")
        }
        // Keys keep state-dict order: the first is the radiance net's first layer.
        #expect(pt.names.first == "radiance_net.network.0.layer.weight")
    }

    @Test(arguments: ["torch-views.pt", "torch-views-big.pt"])
    func viewsDtypesAndByteOrder(file: String) throws {
        let pt = try TorchCheckpoint(path: fixturePath(file))
        let a = (0..<24).map { Float($0) + 0.5 }
        func view(_ offset: Int, _ shape: [Int], _ strides: [Int]) -> [Float] {
            let count = shape.reduce(1, *)
            var out: [Float] = []
            for flat in 0..<count {
                var rest = flat, source = offset
                for k in stride(from: shape.count - 1, through: 0, by: -1) {
                    source += (rest % shape[k]) * strides[k]
                    rest /= shape[k]
                }
                out.append(a[source])
            }
            return out
        }
        #expect(try pt.array("contiguous").floats == a)
        #expect(try pt.array("contiguous").shape == [2, 3, 4])
        #expect(try pt.array("transposed").floats == view(0, [4, 6], [1, 4]))
        #expect(try pt.array("transposed").floats.prefix(3) == [0.5, 4.5, 8.5])
        #expect(try pt.array("sliced").floats == [5.5, 7.5, 13.5, 15.5])
        #expect(try pt.array("permuted").floats == view(1, [2, 2, 3], [1, 12, 4]))
        #expect(try pt.array("expanded").floats == [3.5, 4.5, 3.5, 4.5, 3.5, 4.5])
        #expect(try pt.array("scalar").shape == [] && pt.array("scalar").floats == [23.5])
        #expect(try pt.array("empty").shape == [0, 5] && pt.array("empty").floats.isEmpty)
        #expect(try pt.array("alias") == pt.array("contiguous"))
        #expect(try pt.array("parameter").floats == Array(a[12..<24]))
        #expect(pt.info("parameter")?.storageOffset == 12)
        let b = (0..<12).map { Int64($0) * 1_000_000_007 - 5 }
        // [2, 5] with strides [1, 2] from offset 2: element (i, j) = b[2 + i + 2j].
        #expect(try pt.array("long").integers == [2, 4, 6, 8, 10, 3, 5, 7, 9, 11].map { b[$0] })
        #expect(try pt.array("long").dtype == .int64)
        #expect(try pt.array("half").floats == [1, -2, 0.5, 65504])
        #expect(try pt.array("bfloat16").floats == [1, -2.5])
        #expect(try pt.array("byte").integers == [0, 7, 255])
        #expect(try pt.array("bool").integers == [1, 0, 1])
        #expect(try pt.array("int").integers == [-3, 4])
        #expect(try pt.array("double").values == .double([0.1, -1e300]))
        #expect(pt.littleEndian == !file.contains("big"))
    }

    @Test func refusesForbiddenGlobalsAndLegacyFormat() throws {
        #expect {
            try TorchCheckpoint(path: fixturePath("torch-forbidden-global.pt"))
        } throws: { error in
            "\(error)".contains("'os.system'")
        }
        #expect {
            try TorchCheckpoint(path: fixturePath("torch-legacy.pt"))
        } throws: { error in
            "\(error)".contains("legacy") && "\(error)".contains("is not supported")
        }
    }
}
