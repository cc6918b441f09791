import Foundation
import Numerics

/// A PyTorch checkpoint in the zip format `torch.save` writes (PyTorch 1.6 and later): `<name>/data.pkl`
/// (the pickled object), `<name>/data/<key>` (one entry per storage), `<name>/byteorder`.
///
/// The pickle is run by the restricted `Unpickler` (torch profile): only `collections.OrderedDict`,
/// `torch._utils._rebuild_tensor_v2` / `_rebuild_parameter` and the `torch.*Storage` types are allowed.
/// Tensors keep their storage offset, shape and strides; non-contiguous views are materialised in
/// row-major order when read. The legacy (pre-zip) format is refused with a message saying so.
public struct TorchCheckpoint: Sendable {
    /// One tensor of the state dict.
    public struct TensorInfo: Sendable, Equatable {
        public let name: String
        public let dtype: DType
        public let shape: [Int]
        /// Strides in elements.
        public let strides: [Int]
        /// Offset of element 0 in the storage, in elements.
        public let storageOffset: Int
        /// The storage's key (`<name>/data/<key>`).
        public let storageKey: String
    }

    /// Where the checkpoint came from (used in error messages).
    public let path: String
    /// The tensors in state-dict order.
    public let tensors: [TensorInfo]
    /// Whether the storages are little-endian (`byteorder` record; absent means little).
    public let littleEndian: Bool
    private let archive: ZipArchive
    private let prefix: String
    private let storageCounts: [String: Int]
    private let index: [String: Int]

    /// Opens the checkpoint at `path`.
    public init(path: String) throws {
        try self.init(data: try Bytes.readFile(path), path: path)
    }

    /// Parses checkpoint bytes; `path` names the source in errors.
    public init(data: Data, path: String = "<memory>") throws {
        self.path = path
        if data.first == 0x80 || (data.count >= 262 && data.subdata(in: (data.startIndex + 257)..<(data.startIndex + 262)) == Data("ustar".utf8)) {
            throw ModelIOError.unsupported(path: path, reason: "the legacy (pre-zip) PyTorch checkpoint format is not supported; re-save it with PyTorch >= 1.6 (torch.save writes the zip format)")
        }
        let archive = try ZipArchive(data: data, path: path)
        self.archive = archive
        let pickles = archive.names.filter { $0 == "data.pkl" || $0.hasSuffix("/data.pkl") }
        guard pickles.count == 1, let pickleName = pickles.first else {
            throw ModelIOError.malformed(path: path, reason: pickles.isEmpty ? "zip archive without data.pkl: not a torch.save checkpoint"
                                                                      : "more than one data.pkl in the archive")
        }
        let prefix = String(pickleName.dropLast("data.pkl".count))
        self.prefix = prefix
        if archive.entry(prefix + "byteorder") != nil {
            let order = String(decoding: try archive.contents(of: prefix + "byteorder"), as: UTF8.self)
            switch order {
            case "little": littleEndian = true
            case "big": littleEndian = false
            default: throw ModelIOError.malformed(path: path, reason: "byteorder record is '\(order.prefix(20))', expected little or big")
            }
        } else {
            littleEndian = true
        }

        // Persistent ids: ('storage', <storage type>, key, location, numel).
        var storageCounts: [String: Int] = [:]
        let pidError = { (reason: String) in ModelIOError.malformed(path: path, reason: "pickle: persistent id \(reason)") }
        let load: (PickleValue) throws -> PickleValue = { pid in
            guard let items = pid.tupleItems, items.count == 5, items[0].text == "storage" else {
                throw pidError("is not ('storage', type, key, location, numel)")
            }
            guard case let .global(.torchStorage(dtype)) = items[1] else { throw pidError("names a \(items[1].kind), not a torch storage type") }
            guard let key = items[2].text, let count = items[4].integer, count >= 0 else { throw pidError("has a bad key or element count") }
            guard let entry = archive.entry(prefix + "data/" + key) else {
                throw ModelIOError.missing(path: path, name: prefix + "data/" + key)
            }
            let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.size)
            guard !overflow, bytes == entry.uncompressedSize else {
                throw ModelIOError.malformed(path: path, reason: "storage '\(key)': \(count) elements of \(dtype.rawValue) need \(overflow ? "more than \(Int.max)" : "\(bytes)") bytes, the entry has \(entry.uncompressedSize)")
            }
            if let previous = storageCounts[key], previous != count {
                throw ModelIOError.malformed(path: path, reason: "storage '\(key)' declared with \(previous) and \(count) elements")
            }
            storageCounts[key] = count
            return .storage(TorchStorageReference(dtype: dtype, key: key, elementCount: count))
        }
        var machine = Unpickler(data: try archive.contents(of: pickleName), path: path, profile: .torch, persistentLoad: load)
        let root = try machine.run()
        self.storageCounts = storageCounts

        guard case let .object(rootIndex) = root, case let .dict(dict) = machine.heap[rootIndex] else {
            throw ModelIOError.unsupported(path: path, reason: "checkpoint holds a \(root.kind), expected a state dict")
        }
        // A plain state dict, or a dict wrapping one (e.g. {"state_dict": {...}}): take the tensors of the
        // top level, else those of the one nested dict holding tensors.
        func tensorRecords(_ d: PickleDict) throws -> [(String, TorchTensorRecord)] {
            var out: [(String, TorchTensorRecord)] = []
            for (key, value) in d.pairs {
                guard case let .tensor(record) = value else { continue }
                guard let name = key.text else { throw ModelIOError.malformed(path: path, reason: "state dict key is a \(key.kind)") }
                out.append((name, record))
            }
            return out
        }
        var records = try tensorRecords(dict)
        if records.isEmpty {
            for (_, value) in dict.pairs {
                if case let .object(k) = value, case let .dict(inner) = machine.heap[k] {
                    let nested = try tensorRecords(inner)
                    if !nested.isEmpty {
                        guard records.isEmpty else {
                            throw ModelIOError.unsupported(path: path, reason: "checkpoint holds several state dicts; expected one")
                        }
                        records = nested
                    }
                }
            }
        }
        var tensors: [TensorInfo] = []
        var index: [String: Int] = [:]
        for (name, r) in records {
            try Self.checkExtent(r, name: name, path: path)
            index[name] = tensors.count
            tensors.append(TensorInfo(name: name, dtype: r.storage.dtype, shape: r.shape, strides: r.strides,
                                      storageOffset: r.storageOffset, storageKey: r.storage.key))
        }
        self.tensors = tensors
        self.index = index
    }

    /// Checks that every element of the view lies inside its storage (before anything is read).
    private static func checkExtent(_ r: TorchTensorRecord, name: String, path: String) throws {
        func bad(_ reason: String) -> ModelIOError { .malformed(path: path, reason: "tensor '\(name)': \(reason)") }
        guard r.shape.allSatisfy({ $0 >= 0 }), r.strides.allSatisfy({ $0 >= 0 }) else {
            throw bad("negative size or stride in \(r.shape) / \(r.strides)")
        }
        guard elementCount(of: r.shape) != nil else { throw bad("shape \(r.shape) overflows") }
        if r.shape.contains(0) { return }
        var last = r.storageOffset
        for (size, stride) in zip(r.shape, r.strides) {
            let (span, o1) = (size - 1).multipliedReportingOverflow(by: stride)
            let (sum, o2) = last.addingReportingOverflow(span)
            guard !o1, !o2 else { throw bad("view \(r.shape) / \(r.strides) overflows") }
            last = sum
        }
        guard last < r.storage.elementCount else {
            throw bad("view (offset \(r.storageOffset), shape \(r.shape), strides \(r.strides)) reaches element \(last) of a storage of \(r.storage.elementCount)")
        }
    }

    /// Tensor names in state-dict order.
    public var names: [String] { tensors.map(\.name) }

    /// The entry for `name`, or nil.
    public func info(_ name: String) -> TensorInfo? { index[name].map { tensors[$0] } }

    /// Tensor `name` in row-major order with its own dtype.
    public func array(_ name: String) throws -> NumericArray {
        guard let info = info(name) else { throw ModelIOError.missing(path: path, name: name) }
        guard let storageCount = storageCounts[info.storageKey] else { throw ModelIOError.missing(path: path, name: info.storageKey) }
        let bytes = try archive.contents(of: prefix + "data/" + info.storageKey)
        guard let storage = Bytes.values(info.dtype, count: storageCount, from: bytes, at: 0, littleEndian: littleEndian) else {
            throw ModelIOError.malformed(path: path, reason: "storage '\(info.storageKey)' cannot be read")
        }
        let count = info.shape.reduce(1, *)
        let contiguous = Self.contiguousStrides(info.shape)
        func gather<T>(_ v: [T]) -> [T] {
            if count == 0 { return [] }
            if info.shape.count == 0 || info.strides == contiguous || count == 1 {
                return Array(v[info.storageOffset..<(info.storageOffset + count)])
            }
            var out: [T] = []
            out.reserveCapacity(count)
            var position = [Int](repeating: 0, count: info.shape.count)
            var source = info.storageOffset
            for _ in 0..<count {
                out.append(v[source])
                var k = info.shape.count - 1
                while k >= 0 {
                    position[k] += 1
                    source += info.strides[k]
                    if position[k] < info.shape[k] { break }
                    source -= info.strides[k] * info.shape[k]
                    position[k] = 0
                    k -= 1
                }
            }
            return out
        }
        let values: NumericArray.Values
        switch storage {
        case let .float(v): values = .float(gather(v))
        case let .double(v): values = .double(gather(v))
        case let .integer(v): values = .integer(gather(v))
        case let .unsigned(v): values = .unsigned(gather(v))
        }
        return NumericArray(shape: info.shape, dtype: info.dtype, values: values)
    }

    /// Tensor `name` as a Float32 tensor.
    public func tensor(_ name: String) throws -> Tensor {
        try array(name).tensor()
    }

    static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var s = 1
        for k in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[k] = s
            s *= shape[k]
        }
        return strides
    }
}
