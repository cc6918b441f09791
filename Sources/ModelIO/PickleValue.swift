import Foundation

/// The Python objects a restricted unpickler can build. Mutable containers and constructed objects
/// live in the machine's heap and are referred to by index (`.object`), so memo references see
/// later mutations (APPEND, SETITEMS, BUILD) as in Python.
enum PickleValue {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    /// A Python 3 `str`, as the UTF-8 bytes of the pickle (decoded on demand).
    case unicode(Data)
    /// A `bytes` object, or a Python 2 8-bit `str` (latin1 text when used as a key or name).
    case bytes(Data)
    /// A tuple and its nesting depth (bounded, so freeing nested values cannot exhaust the stack).
    case tuple([PickleValue], depth: Int)
    /// An allowlisted global (class or function).
    case global(PickleGlobal)
    /// A list, dict or constructed object in the heap.
    case object(Int)
    /// A torch storage reference from a persistent id.
    case storage(TorchStorageReference)
    /// A tensor built by `torch._utils._rebuild_tensor_v2`.
    case tensor(TorchTensorRecord)

    /// The value as text: `str` from UTF-8, Python 2 `str` from latin1.
    var text: String? {
        switch self {
        case let .unicode(d): return String(bytes: d, encoding: .utf8)
        case let .bytes(d): return String(d.map { Character(Unicode.Scalar($0)) })
        default: return nil
        }
    }

    /// The value as an integer (booleans count as 0/1, as in Python).
    var integer: Int? {
        switch self {
        case let .int(n): return n
        case let .bool(b): return b ? 1 : 0
        default: return nil
        }
    }

    /// The elements when this is a tuple.
    var tupleItems: [PickleValue]? {
        if case let .tuple(items, _) = self { return items }
        return nil
    }

    /// Nesting depth of tuples (0 for other values).
    var depth: Int {
        if case let .tuple(_, d) = self { return d }
        return 0
    }

    /// A short description for error messages.
    var kind: String {
        switch self {
        case .none: return "None"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .unicode: return "str"
        case .bytes: return "bytes"
        case .tuple: return "tuple"
        case let .global(g): return "global \(g)"
        case .object: return "object"
        case .storage: return "storage"
        case .tensor: return "tensor"
        }
    }
}

/// The globals a pickle may name. Everything else is refused by name.
enum PickleGlobal: Hashable, CustomStringConvertible {
    case orderedDict
    case rebuildTensorV2
    case rebuildParameter
    case torchStorage(DType)
    case numpyReconstruct
    case numpyNDArray
    case numpyDType
    case numpyScalar
    case codecsEncode
    case sparseMatrix(format: String)
    case chumpyArray

    /// The allowlisted global for `module.name`, or nil.
    static func resolve(module: String, name: String) -> PickleGlobal? {
        switch (module, name) {
        case ("collections", "OrderedDict"): return .orderedDict
        case ("torch._utils", "_rebuild_tensor_v2"): return .rebuildTensorV2
        case ("torch._utils", "_rebuild_parameter"): return .rebuildParameter
        case ("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"): return .numpyReconstruct
        case ("numpy", "ndarray"): return .numpyNDArray
        case ("numpy", "dtype"): return .numpyDType
        case ("numpy.core.multiarray", "scalar"), ("numpy._core.multiarray", "scalar"): return .numpyScalar
        case ("_codecs", "encode"): return .codecsEncode
        case ("scipy.sparse", "csc_matrix"), ("scipy.sparse.csc", "csc_matrix"), ("scipy.sparse._csc", "csc_matrix"):
            return .sparseMatrix(format: "csc")
        case ("scipy.sparse", "csr_matrix"), ("scipy.sparse.csr", "csr_matrix"), ("scipy.sparse._csr", "csr_matrix"):
            return .sparseMatrix(format: "csr")
        case ("chumpy.ch", "Ch"): return .chumpyArray
        case ("torch", _):
            let storages: [String: DType] = [
                "FloatStorage": .float32, "DoubleStorage": .float64, "HalfStorage": .float16,
                "BFloat16Storage": .bfloat16, "LongStorage": .int64, "IntStorage": .int32, "ShortStorage": .int16,
                "CharStorage": .int8, "ByteStorage": .uint8, "BoolStorage": .bool,
            ]
            return storages[name].map { .torchStorage($0) }
        default: return nil
        }
    }

    var description: String {
        switch self {
        case .orderedDict: return "collections.OrderedDict"
        case .rebuildTensorV2: return "torch._utils._rebuild_tensor_v2"
        case .rebuildParameter: return "torch._utils._rebuild_parameter"
        case let .torchStorage(d): return "torch storage (\(d.rawValue))"
        case .numpyReconstruct: return "numpy.core.multiarray._reconstruct"
        case .numpyNDArray: return "numpy.ndarray"
        case .numpyDType: return "numpy.dtype"
        case .numpyScalar: return "numpy.core.multiarray.scalar"
        case .codecsEncode: return "_codecs.encode"
        case let .sparseMatrix(format): return "scipy.sparse.\(format)_matrix"
        case .chumpyArray: return "chumpy.ch.Ch"
        }
    }
}

/// Objects in the unpickler's heap.
enum PickleObject {
    case list([PickleValue])
    case dict(PickleDict)
    /// A numpy array: empty until BUILD gives it its state.
    case ndarray(NumericArray?)
    /// A numpy dtype: its type string (`f4`, `<i8`, ...) and the byte order set by BUILD.
    case dtype(code: String, byteOrder: String?)
    /// A scipy sparse matrix (`csc` or `csr`); BUILD stores its attribute dict.
    case sparse(format: String, state: PickleValue?)
    /// A chumpy array; BUILD stores its attribute dict (the values are under `x`).
    case chumpy(state: PickleValue?)
}

/// A Python dict: insertion-ordered pairs, with an index for string and integer keys.
struct PickleDict {
    enum Key: Hashable {
        case text(String)
        case int(Int)
    }

    private(set) var pairs: [(key: PickleValue, value: PickleValue)] = []
    private var index: [Key: Int] = [:]

    static func key(_ value: PickleValue) -> Key? {
        if let t = value.text { return .text(t) }
        if let n = value.integer { return .int(n) }
        return nil
    }

    mutating func set(_ key: PickleValue, _ value: PickleValue) {
        if let k = Self.key(key) {
            if let i = index[k] { pairs[i].value = value; return }
            index[k] = pairs.count
        }
        pairs.append((key, value))
    }

    subscript(text: String) -> PickleValue? {
        index[.text(text)].map { pairs[$0].value }
    }
}

/// `('storage', <storage type>, key, location, numel)`: the persistent id torch.save writes per storage.
struct TorchStorageReference {
    let dtype: DType
    let key: String
    let elementCount: Int
}

/// A tensor as `_rebuild_tensor_v2` describes it: a view into a storage.
struct TorchTensorRecord {
    let storage: TorchStorageReference
    let storageOffset: Int
    let shape: [Int]
    let strides: [Int]
}
