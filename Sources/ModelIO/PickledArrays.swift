import Foundation
import Numerics

/// numpy pickles (`.pkl`, optionally gzip-compressed) holding a dict of arrays, as the SMPL body model
/// files are: written by Python 2's cPickle (protocol 2, 8-bit strings read as latin1) or by Python 3
/// (protocols 2-5). Arrays come from `numpy.core.multiarray._reconstruct` + BUILD; `scipy.sparse`
/// csc/csr matrices are made dense; chumpy arrays give their values. The restricted `Unpickler`
/// (numpy profile) refuses every other global by name.
public enum PickledArrays {
    /// Largest dense matrix made from a sparse one (elements).
    public static let maximumDenseElements = 1 << 27

    /// The arrays of the dict pickled in the file at `path` (gzip detected by its magic bytes).
    /// Entries that are not arrays (strings, numbers) are left out.
    public static func read(_ path: String) throws -> [String: NumericArray] {
        try decode(try Bytes.readFile(path), path: path)
    }

    /// The arrays of a pickled dict held in `data` (gzip-compressed or not).
    public static func decode(_ data: Data, path: String = "<memory>") throws -> [String: NumericArray] {
        let bytes = data.starts(with: [0x1f, 0x8b]) ? try Zlib.gunzip(data, path: path) : data
        var machine = Unpickler(data: bytes, path: path, profile: .numpy)
        let root = try machine.run()
        guard case let .object(k) = root, case let .dict(dict) = machine.heap[k] else {
            throw ModelIOError.unsupported(path: path, reason: "pickle holds a \(root.kind), expected a dict of arrays")
        }
        var out: [String: NumericArray] = [:]
        for (key, value) in dict.pairs {
            guard let name = key.text else { continue }
            if let array = try self.array(value, heap: machine.heap, name: name, path: path) { out[name] = array }
        }
        return out
    }

    /// The array `value` refers to (ndarray, sparse matrix or chumpy array), or nil for other values.
    static func array(_ value: PickleValue, heap: [PickleObject], name: String, path: String) throws -> NumericArray? {
        guard case let .object(k) = value else { return nil }
        switch heap[k] {
        case let .ndarray(array):
            guard let array else { throw ModelIOError.malformed(path: path, reason: "'\(name)': numpy array without state (no BUILD)") }
            return array
        case let .sparse(format, state):
            return try dense(format: format, state: state, heap: heap, name: name, path: path)
        case let .chumpy(state):
            guard let state, case let .object(s) = state, case let .dict(attributes) = heap[s], let x = attributes["x"] else {
                throw ModelIOError.malformed(path: path, reason: "'\(name)': chumpy array without values")
            }
            return try array(x, heap: heap, name: name, path: path)
        default:
            return nil
        }
    }

    /// A scipy csc/csr matrix made dense (float32 or float64 as stored).
    private static func dense(format: String, state: PickleValue?, heap: [PickleObject], name: String, path: String) throws -> NumericArray {
        func bad(_ reason: String) -> ModelIOError { .malformed(path: path, reason: "'\(name)': sparse matrix \(reason)") }
        guard let state, case let .object(s) = state, case let .dict(attributes) = heap[s] else { throw bad("without attributes") }
        guard let shapeValue = attributes["_shape"] ?? attributes["shape"], let dims = shapeValue.tupleItems,
              dims.count == 2, let rows = dims[0].integer, let columns = dims[1].integer, rows >= 0, columns >= 0 else {
            throw bad("without a 2-D shape")
        }
        if let stored = attributes["format"]?.text, stored != format { throw bad("format '\(stored)' differs from its class (\(format))") }
        guard let dataValue = attributes["data"], let indicesValue = attributes["indices"], let indptrValue = attributes["indptr"],
              let data = try array(dataValue, heap: heap, name: name, path: path),
              let indices = try array(indicesValue, heap: heap, name: name, path: path)?.integers,
              let indptr = try array(indptrValue, heap: heap, name: name, path: path)?.integers else {
            throw bad("without data, indices and indptr arrays")
        }
        let (total, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard !overflow, total <= maximumDenseElements else {
            throw ModelIOError.unsupported(path: path, reason: "'\(name)': sparse matrix of shape [\(rows), \(columns)] is too large to make dense")
        }
        let major = format == "csc" ? columns : rows
        let minor = format == "csc" ? rows : columns
        guard indptr.count == major + 1, indptr.first == 0 else { throw bad("indptr has \(indptr.count) entries, expected \(major + 1) starting at 0") }
        guard let nonZeros = indptr.last, nonZeros <= indices.count, nonZeros <= data.count else {
            throw bad("indptr ends past its \(indices.count) indices / \(data.count) values")
        }
        for m in 0..<major where indptr[m] > indptr[m + 1] { throw bad("indptr decreases at \(m)") }
        let values = data.dtype == .float64 ? data : try data.converted(to: .float32)
        var dense = [Double](repeating: 0, count: total)
        let source: [Double]
        switch values.values {
        case let .double(v): source = v
        default: source = values.floats.map { Double($0) }
        }
        for m in 0..<major {
            for p in Int(indptr[m])..<Int(indptr[m + 1]) {
                let i = indices[p]
                guard i >= 0, i < minor else { throw bad("index \(i) outside 0..<\(minor)") }
                let flat = format == "csc" ? Int(i) * columns + m : m * columns + Int(i)
                dense[flat] += source[p]   // duplicates add up, as scipy's toarray does
            }
        }
        if data.dtype == .float64 { return NumericArray(shape: [rows, columns], dtype: .float64, values: .double(dense)) }
        return NumericArray(shape: [rows, columns], dtype: .float32, values: .float(dense.map { Float($0) }))
    }
}
