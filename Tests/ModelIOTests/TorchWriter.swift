import Foundation
@testable import ModelIO

/// Writes a `torch.save`-style checkpoint of contiguous tensors (one storage each), as torch does:
/// `archive/data.pkl` (protocol 2: OrderedDict, `_rebuild_tensor_v2`, persistent ids), `archive/byteorder`,
/// `archive/data/<key>`. For tests only.
enum TorchWriter {
    static func encode(_ tensors: [(name: String, array: NumericArray)]) throws -> Data {
        var pickle: [UInt8] = [0x80, 0x02]
        func text(_ s: String) { let b = Array(s.utf8); pickle += [0x58] + le32(b.count) + b }  // BINUNICODE
        func int(_ v: Int) { pickle += [0x4a] + le32(v) }  // BININT
        func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        func tuple(_ items: [Int]) { pickle += [0x28]; items.forEach(int); pickle += [0x74] }
        let storageNames: [DType: String] = [.float32: "FloatStorage", .int64: "LongStorage", .float16: "HalfStorage",
                                             .int32: "IntStorage", .uint8: "ByteStorage", .float64: "DoubleStorage"]
        pickle += Array("ccollections\nOrderedDict\n".utf8) + [0x29, 0x52, 0x28]  // OrderedDict(), MARK
        var zip = ZipWriter()
        for (key, (name, array)) in tensors.enumerated() {
            guard let storage = storageNames[array.dtype] else { throw ModelIOError.unsupported(path: "<torch>", reason: array.dtype.rawValue) }
            text(name)
            pickle += Array("ctorch._utils\n_rebuild_tensor_v2\n".utf8) + [0x28]
            pickle += [0x28]; text("storage"); pickle += Array("ctorch\n\(storage)\n".utf8); text("\(key)"); text("cpu"); int(array.count)
            pickle += [0x74, 0x51]  // TUPLE, BINPERSID
            int(0)
            tuple(array.shape)
            tuple(TorchCheckpoint.contiguousStrides(array.shape))
            pickle += [0x89] + Array("ccollections\nOrderedDict\n".utf8) + [0x29, 0x52]  // False, OrderedDict()
            pickle += [0x74, 0x52]  // TUPLE, REDUCE
            try zip.add("archive/data/\(key)", try array.littleEndianBytes(), compress: false)
        }
        pickle += [0x75, 0x2e]  // SETITEMS, STOP
        try zip.add("archive/data.pkl", Data(pickle), compress: false)
        try zip.add("archive/byteorder", Data("little".utf8), compress: false)
        return zip.finished()
    }
}
