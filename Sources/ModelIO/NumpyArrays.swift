import Foundation
import Numerics

/// numpy arrays as pickles describe them: a dtype type string, a byte order, a shape and raw bytes.
enum NumpyArrays {
    /// Decodes the raw bytes of an array whose dtype is `code` (`f4`, `<i8`, ...) with `byteOrder`
    /// (`<`, `>`, `|`, `=` or nil). The byte count must equal shape x item size.
    static func decode(code: String, byteOrder: String?, shape: [Int], raw: Data, fortran: Bool, path: String) throws -> NumericArray {
        let hasOrder = code.first.map { "<>|=".contains($0) } ?? false
        let descr = hasOrder ? code : (byteOrder ?? "|") + code
        let (dtype, littleEndian) = try NPY.parseDescr(descr, path: path)
        guard let count = elementCount(of: shape) else {
            throw ModelIOError.malformed(path: path, reason: "pickle: array shape \(shape) overflows")
        }
        let (needed, overflow) = count.multipliedReportingOverflow(by: dtype.size)
        guard !overflow, needed == raw.count else {
            throw ModelIOError.malformed(path: path, reason: "pickle: array of shape \(shape) and dtype \(descr) has \(raw.count) bytes of data, expected \(overflow ? "more than \(Int.max)" : "\(needed)")")
        }
        guard let values = Bytes.values(dtype, count: count, from: raw, at: 0, littleEndian: littleEndian) else {
            throw ModelIOError.malformed(path: path, reason: "pickle: cannot read array data")
        }
        let array = NumericArray(shape: shape, dtype: dtype, values: values)
        return fortran && shape.count > 1 ? array.fromFortranOrder() : array
    }
}
