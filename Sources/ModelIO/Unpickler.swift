import Foundation

/// A restricted pickle machine (protocols 0-5, the opcodes `torch.save`, numpy and Python 2's cPickle
/// write). It executes nothing: globals resolve only to the allowlisted `PickleGlobal`s (others are
/// refused by name), and calling one builds a plain value (dict, array, tensor record) or fails.
/// Every length is checked against the bytes left before anything is allocated.
struct Unpickler {
    /// Which allowlisted globals a file may use.
    enum Profile {
        /// `torch.save` checkpoints: OrderedDict, tensor rebuilding, storage types.
        case torch
        /// numpy / scipy pickles (body models): arrays, dtypes, sparse matrices, `_codecs.encode`.
        case numpy
    }

    static let maximumTupleDepth = 64

    let data: Data
    let path: String
    let profile: Profile
    /// Resolves a persistent id (torch storages); nil refuses persistent ids.
    let persistentLoad: ((PickleValue) throws -> PickleValue)?

    private(set) var heap: [PickleObject] = []
    private var stack: [PickleValue] = []
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]
    private var position = 0

    init(data: Data, path: String, profile: Profile, persistentLoad: ((PickleValue) throws -> PickleValue)? = nil) {
        self.data = data
        self.path = path
        self.profile = profile
        self.persistentLoad = persistentLoad
    }

    private func bad(_ reason: String) -> ModelIOError {
        .malformed(path: path, reason: "pickle: \(reason)")
    }

    // MARK: Reading the byte stream

    private mutating func readByte() throws -> UInt8 {
        guard let b = Bytes.byte(data, position) else { throw bad("truncated at byte \(position)") }
        position += 1
        return b
    }

    private mutating func readUInt(_ width: Int) throws -> UInt64 {
        guard let v = Bytes.littleEndian(data, at: position, width: width) else { throw bad("truncated at byte \(position)") }
        position += width
        return v
    }

    /// A length field: it must fit in the bytes that remain (no allocation happens before this check).
    private mutating func readLength(_ width: Int) throws -> Int {
        let n = try readUInt(width)
        guard n <= UInt64(data.count - position) else {
            throw bad("length \(n) at byte \(position - width) runs past the end of the data (\(data.count - position) bytes left)")
        }
        return Int(n)
    }

    private mutating func readBytes(_ n: Int) throws -> Data {
        guard n >= 0, n <= data.count - position else { throw bad("truncated at byte \(position)") }
        let start = data.startIndex + position
        position += n
        return data[start..<(start + n)]
    }

    /// A newline-terminated line (protocol 0 arguments), at most 64 KiB.
    private mutating func readLine() throws -> String {
        var bytes: [UInt8] = []
        while true {
            let b = try readByte()
            if b == 0x0a { break }
            bytes.append(b)
            if bytes.count > 65536 { throw bad("text argument longer than 64 KiB") }
        }
        if bytes.last == 0x0d { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: Stack

    private mutating func pop() throws -> PickleValue {
        if let m = marks.last, stack.count <= m { throw bad("stack underflow at byte \(position - 1) (pop past a mark)") }
        guard let v = stack.popLast() else { throw bad("stack underflow at byte \(position - 1)") }
        return v
    }

    private func top() throws -> PickleValue {
        guard let v = stack.last else { throw bad("stack underflow at byte \(position - 1)") }
        return v
    }

    private mutating func popMark() throws -> [PickleValue] {
        guard let m = marks.popLast() else { throw bad("no MARK before byte \(position - 1)") }
        let items = Array(stack[m...])
        stack.removeSubrange(m...)
        return items
    }

    private func makeTuple(_ items: [PickleValue]) throws -> PickleValue {
        let depth = 1 + (items.map(\.depth).max() ?? 0)
        guard depth <= Self.maximumTupleDepth else { throw bad("tuples nested deeper than \(Self.maximumTupleDepth)") }
        return .tuple(items, depth: depth)
    }

    private mutating func allocate(_ object: PickleObject) -> PickleValue {
        heap.append(object)
        return .object(heap.count - 1)
    }

    // MARK: Running

    /// Runs the pickle to its STOP and returns the result.
    mutating func run() throws -> PickleValue {
        while true {
            let at = position
            let opcode = try readByte()
            switch opcode {
            case 0x80: // PROTO
                let version = try readByte()
                guard version <= 5 else { throw ModelIOError.unsupported(path: path, reason: "pickle protocol \(version)") }
            case 0x95: // FRAME (a buffering hint)
                _ = try readLength(8)
            case 0x2e: // STOP
                let result = try pop()
                return result
            case 0x28: // MARK
                marks.append(stack.count)
            case 0x30: // POP
                if let m = marks.last, m == stack.count { marks.removeLast() } else { _ = try pop() }
            case 0x31: // POP_MARK
                _ = try popMark()
            case 0x32: // DUP
                stack.append(try top())
            case 0x4e: stack.append(.none) // NONE
            case 0x88: stack.append(.bool(true)) // NEWTRUE
            case 0x89: stack.append(.bool(false)) // NEWFALSE
            case 0x4a: stack.append(.int(Int(Int32(truncatingIfNeeded: try readUInt(4))))) // BININT
            case 0x4b: stack.append(.int(Int(try readUInt(1)))) // BININT1
            case 0x4d: stack.append(.int(Int(try readUInt(2)))) // BININT2
            case 0x8a, 0x8b: // LONG1, LONG4
                let n = try readLength(opcode == 0x8a ? 1 : 4)
                stack.append(.int(try littleEndianSigned(try readBytes(n), at: at)))
            case 0x49: // INT (text); "01"/"00" are True/False in protocol 0
                let line = try readLine()
                if line == "01" { stack.append(.bool(true)) } else if line == "00" { stack.append(.bool(false)) } else {
                    guard let n = Int(line) else { throw bad("bad INT '\(line.prefix(40))' at byte \(at)") }
                    stack.append(.int(n))
                }
            case 0x4c: // LONG (text)
                var line = try readLine()
                if line.hasSuffix("L") { line.removeLast() }
                guard let n = Int(line) else { throw bad("LONG '\(line.prefix(40))' at byte \(at) does not fit 64 bits") }
                stack.append(.int(n))
            case 0x47: stack.append(.float(Double(bitPattern: try readUInt(8).byteSwapped))) // BINFLOAT (big-endian)
            case 0x46: // FLOAT (text)
                let line = try readLine()
                guard let d = Double(line) else { throw bad("bad FLOAT '\(line.prefix(40))' at byte \(at)") }
                stack.append(.float(d))
            case 0x55: stack.append(.bytes(try readBytes(try readLength(1)))) // SHORT_BINSTRING
            case 0x54: // BINSTRING (signed 32-bit length)
                let n = try readUInt(4)
                guard n < 0x8000_0000, n <= UInt64(data.count - position) else { throw bad("BINSTRING length \(n) at byte \(at) runs past the end") }
                stack.append(.bytes(try readBytes(Int(n))))
            case 0x43: stack.append(.bytes(try readBytes(try readLength(1)))) // SHORT_BINBYTES
            case 0x42: stack.append(.bytes(try readBytes(try readLength(4)))) // BINBYTES
            case 0x8e, 0x96: stack.append(.bytes(try readBytes(try readLength(8)))) // BINBYTES8, BYTEARRAY8
            case 0x8c: stack.append(.unicode(try readBytes(try readLength(1)))) // SHORT_BINUNICODE
            case 0x58: stack.append(.unicode(try readBytes(try readLength(4)))) // BINUNICODE
            case 0x8d: stack.append(.unicode(try readBytes(try readLength(8)))) // BINUNICODE8
            case 0x53: // STRING (protocol 0, quoted repr)
                stack.append(.bytes(try unquote(try readLine(), at: at)))
            case 0x56: // UNICODE (protocol 0, raw-unicode-escape)
                stack.append(.unicode(Data(try rawUnicodeEscape(try readLine(), at: at).utf8)))
            case 0x29: stack.append(.tuple([], depth: 1)) // EMPTY_TUPLE
            case 0x74: stack.append(try makeTuple(try popMark())) // TUPLE
            case 0x85: stack.append(try makeTuple([try pop()])) // TUPLE1
            case 0x86: // TUPLE2
                let b = try pop(), a = try pop()
                stack.append(try makeTuple([a, b]))
            case 0x87: // TUPLE3
                let c = try pop(), b = try pop(), a = try pop()
                stack.append(try makeTuple([a, b, c]))
            case 0x5d: stack.append(allocate(.list([]))) // EMPTY_LIST
            case 0x6c: stack.append(allocate(.list(try popMark()))) // LIST
            case 0x61: // APPEND
                let item = try pop()
                try append([item], to: try top(), at: at)
            case 0x65: // APPENDS
                let items = try popMark()
                try append(items, to: try top(), at: at)
            case 0x8f: stack.append(allocate(.list([]))) // EMPTY_SET (kept as a list)
            case 0x90: // ADDITEMS
                let items = try popMark()
                try append(items, to: try top(), at: at)
            case 0x91: stack.append(allocate(.list(try popMark()))) // FROZENSET
            case 0x7d: stack.append(allocate(.dict(PickleDict()))) // EMPTY_DICT
            case 0x64: // DICT
                let items = try popMark()
                guard items.count % 2 == 0 else { throw bad("DICT with an odd number of items at byte \(at)") }
                var dict = PickleDict()
                for k in stride(from: 0, to: items.count, by: 2) { dict.set(items[k], items[k + 1]) }
                stack.append(allocate(.dict(dict)))
            case 0x73: // SETITEM
                let value = try pop(), key = try pop()
                try setItems([key, value], in: try top(), at: at)
            case 0x75: // SETITEMS
                let items = try popMark()
                guard items.count % 2 == 0 else { throw bad("SETITEMS with an odd number of items at byte \(at)") }
                try setItems(items, in: try top(), at: at)
            case 0x63: // GLOBAL
                let module = try readLine(), name = try readLine()
                stack.append(.global(try resolve(module: module, name: name)))
            case 0x93: // STACK_GLOBAL
                let name = try pop(), module = try pop()
                guard let m = module.text, let n = name.text else { throw bad("STACK_GLOBAL without two strings at byte \(at)") }
                stack.append(.global(try resolve(module: m, name: n)))
            case 0x52: // REDUCE
                let args = try pop(), callable = try pop()
                guard let items = args.tupleItems else { throw bad("REDUCE arguments are a \(args.kind), not a tuple, at byte \(at)") }
                stack.append(try call(callable, items, at: at))
            case 0x81: // NEWOBJ
                let args = try pop(), cls = try pop()
                guard let items = args.tupleItems else { throw bad("NEWOBJ arguments are a \(args.kind), not a tuple, at byte \(at)") }
                stack.append(try call(cls, items, at: at))
            case 0x92: // NEWOBJ_EX
                let kwargs = try pop(), args = try pop(), cls = try pop()
                guard let items = args.tupleItems else { throw bad("NEWOBJ_EX arguments are not a tuple at byte \(at)") }
                if case let .object(k) = kwargs, case let .dict(d) = heap[k], !d.pairs.isEmpty {
                    throw ModelIOError.unsupported(path: path, reason: "pickle: keyword arguments for \(cls.kind) at byte \(at)")
                }
                stack.append(try call(cls, items, at: at))
            case 0x62: // BUILD
                let state = try pop()
                try build(try top(), state: state, at: at)
            case 0x70: // PUT
                let line = try readLine()
                guard let k = Int(line), k >= 0 else { throw bad("bad PUT index at byte \(at)") }
                memo[k] = try top()
            case 0x71: memo[Int(try readUInt(1))] = try top() // BINPUT
            case 0x72: memo[Int(try readUInt(4))] = try top() // LONG_BINPUT
            case 0x94: memo[memo.count] = try top() // MEMOIZE
            case 0x67, 0x68, 0x6a: // GET, BINGET, LONG_BINGET
                let k: Int
                if opcode == 0x67 {
                    guard let n = Int(try readLine()) else { throw bad("bad GET index at byte \(at)") }
                    k = n
                } else {
                    k = Int(try readUInt(opcode == 0x68 ? 1 : 4))
                }
                guard let v = memo[k] else { throw bad("memo entry \(k) read before it was written, at byte \(at)") }
                stack.append(v)
            case 0x51: // BINPERSID
                let pid = try pop()
                guard let load = persistentLoad else { throw ModelIOError.unsupported(path: path, reason: "pickle: persistent id at byte \(at)") }
                stack.append(try load(pid))
            case 0x50: // PERSID (text; written by the legacy torch format)
                throw ModelIOError.unsupported(path: path, reason: "pickle: text persistent id (PERSID) at byte \(at)")
            default:
                let names: [UInt8: String] = [0x69: "INST", 0x6f: "OBJ", 0x82: "EXT1", 0x83: "EXT2", 0x84: "EXT4",
                                              0x97: "NEXT_BUFFER", 0x98: "READONLY_BUFFER"]
                let name = names[opcode].map { " \($0)" } ?? ""
                throw ModelIOError.unsupported(path: path, reason: "pickle opcode 0x\(String(opcode, radix: 16))\(name) at byte \(at)")
            }
        }
    }

    // MARK: Opcode helpers

    private func littleEndianSigned(_ bytes: Data, at: Int) throws -> Int {
        guard bytes.count <= 8 else {
            // Allow sign-extension bytes beyond 8 if they carry no information.
            let extra = bytes.dropFirst(8)
            let signByte: UInt8 = (bytes[bytes.startIndex + 7] & 0x80) != 0 ? 0xff : 0
            guard extra.allSatisfy({ $0 == signByte }) else { throw bad("integer at byte \(at) does not fit 64 bits") }
            return try littleEndianSigned(bytes.prefix(8), at: at)
        }
        if bytes.isEmpty { return 0 }
        var v: UInt64 = 0
        for (k, b) in bytes.enumerated() { v |= UInt64(b) << (8 * UInt64(k)) }
        if bytes.count < 8, bytes[bytes.startIndex + bytes.count - 1] & 0x80 != 0 {
            v |= ~UInt64(0) << (8 * UInt64(bytes.count))
        }
        return Int(Int64(bitPattern: v))
    }

    private func unquote(_ line: String, at: Int) throws -> Data {
        let s = Array(line.utf8)
        guard s.count >= 2, let q = s.first, q == 0x27 || q == 0x22, s.last == q else {
            throw bad("STRING argument is not quoted at byte \(at)")
        }
        var out: [UInt8] = []
        var k = 1
        while k < s.count - 1 {
            let c = s[k]
            k += 1
            guard c == 0x5c else { out.append(c); continue }
            guard k < s.count - 1 else { throw bad("bad escape in STRING at byte \(at)") }
            let e = s[k]
            k += 1
            switch e {
            case 0x6e: out.append(0x0a)
            case 0x74: out.append(0x09)
            case 0x72: out.append(0x0d)
            case 0x5c, 0x27, 0x22: out.append(e)
            case 0x78:
                guard k + 2 <= s.count - 1, let v = UInt8(String(decoding: s[k..<(k + 2)], as: UTF8.self), radix: 16) else {
                    throw bad("bad \\x escape in STRING at byte \(at)")
                }
                out.append(v)
                k += 2
            default: throw bad("unsupported escape in STRING at byte \(at)")
            }
        }
        return Data(out)
    }

    private func rawUnicodeEscape(_ line: String, at: Int) throws -> String {
        var out = String.UnicodeScalarView()
        let s = Array(line.unicodeScalars)
        var k = 0
        while k < s.count {
            if s[k] == "\\", k + 1 < s.count, s[k + 1] == "u" || s[k + 1] == "U" {
                let width = s[k + 1] == "u" ? 4 : 8
                guard k + 2 + width <= s.count,
                      let v = UInt32(String(String.UnicodeScalarView(s[(k + 2)..<(k + 2 + width)])), radix: 16),
                      let scalar = Unicode.Scalar(v) else { throw bad("bad escape in UNICODE at byte \(at)") }
                out.append(scalar)
                k += 2 + width
            } else {
                out.append(s[k])
                k += 1
            }
        }
        return String(out)
    }

    private mutating func append(_ items: [PickleValue], to target: PickleValue, at: Int) throws {
        guard case let .object(k) = target, case var .list(list) = heap[k] else {
            throw bad("APPEND to a \(target.kind) at byte \(at)")
        }
        heap[k] = .list([])
        list.append(contentsOf: items)
        heap[k] = .list(list)
    }

    private mutating func setItems(_ items: [PickleValue], in target: PickleValue, at: Int) throws {
        guard case let .object(k) = target, case var .dict(dict) = heap[k] else {
            throw bad("SETITEM on a \(target.kind) at byte \(at)")
        }
        heap[k] = .list([])
        for j in stride(from: 0, to: items.count, by: 2) { dict.set(items[j], items[j + 1]) }
        heap[k] = .dict(dict)
    }

    private func resolve(module: String, name: String) throws -> PickleGlobal {
        guard let g = PickleGlobal.resolve(module: module, name: name) else {
            throw ModelIOError.unsupported(path: path, reason: "pickle global '\(module).\(name)' is not allowed (only plain data, arrays and tensors are loaded)")
        }
        let allowed: Bool
        switch (profile, g) {
        case (.torch, .orderedDict), (.torch, .rebuildTensorV2), (.torch, .rebuildParameter), (.torch, .torchStorage): allowed = true
        case (.numpy, .orderedDict), (.numpy, .numpyReconstruct), (.numpy, .numpyNDArray), (.numpy, .numpyDType),
             (.numpy, .numpyScalar), (.numpy, .codecsEncode), (.numpy, .sparseMatrix), (.numpy, .chumpyArray): allowed = true
        default: allowed = false
        }
        guard allowed else {
            throw ModelIOError.unsupported(path: path, reason: "pickle global '\(module).\(name)' is not allowed in this kind of file")
        }
        return g
    }

    /// REDUCE / NEWOBJ of an allowlisted global.
    private mutating func call(_ callable: PickleValue, _ args: [PickleValue], at: Int) throws -> PickleValue {
        guard case let .global(g) = callable else { throw bad("call of a \(callable.kind) at byte \(at)") }
        func argument(_ k: Int) throws -> PickleValue {
            guard k < args.count else { throw bad("\(g) called with \(args.count) arguments at byte \(at)") }
            return args[k]
        }
        switch g {
        case .orderedDict:
            var dict = PickleDict()
            if let first = args.first {
                // OrderedDict(iterable of pairs)
                guard case let .object(k) = first, case let .list(items) = heap[k] else {
                    throw bad("OrderedDict argument is a \(first.kind) at byte \(at)")
                }
                for item in items {
                    guard let pair = item.tupleItems, pair.count == 2 else { throw bad("OrderedDict item is not a pair at byte \(at)") }
                    dict.set(pair[0], pair[1])
                }
            }
            return allocate(.dict(dict))
        case .rebuildTensorV2:
            guard case let .storage(storage) = try argument(0) else { throw bad("_rebuild_tensor_v2 without a storage at byte \(at)") }
            guard let offset = try argument(1).integer, offset >= 0 else { throw bad("_rebuild_tensor_v2: bad storage offset at byte \(at)") }
            guard let shape = try argument(2).tupleItems?.compactMap(\.integer), shape.count == (try argument(2).tupleItems?.count),
                  let strides = try argument(3).tupleItems?.compactMap(\.integer), strides.count == (try argument(3).tupleItems?.count),
                  shape.count == strides.count else {
                throw bad("_rebuild_tensor_v2: size and stride must be tuples of integers of equal length, at byte \(at)")
            }
            return .tensor(TorchTensorRecord(storage: storage, storageOffset: offset, shape: shape, strides: strides))
        case .rebuildParameter:
            let tensor = try argument(0)
            guard case .tensor = tensor else { throw bad("_rebuild_parameter of a \(tensor.kind) at byte \(at)") }
            return tensor
        case .torchStorage:
            throw bad("\(g) called directly at byte \(at) (storages come from persistent ids)")
        case .numpyReconstruct:
            guard case .global(.numpyNDArray) = try argument(0) else {
                throw ModelIOError.unsupported(path: path, reason: "pickle: _reconstruct of \(try argument(0).kind) (only numpy.ndarray) at byte \(at)")
            }
            return allocate(.ndarray(nil))
        case .numpyNDArray:
            throw ModelIOError.unsupported(path: path, reason: "pickle: numpy.ndarray called directly at byte \(at)")
        case .numpyDType:
            guard let code = try argument(0).text else { throw bad("numpy.dtype without a type string at byte \(at)") }
            return allocate(.dtype(code: code, byteOrder: nil))
        case .numpyScalar:
            guard case let .object(k) = try argument(0), case let .dtype(code, order) = heap[k],
                  case let .bytes(raw) = try argument(1) else {
                throw bad("numpy scalar without a dtype and bytes at byte \(at)")
            }
            let array = try NumpyArrays.decode(code: code, byteOrder: order, shape: [], raw: raw, fortran: false, path: path)
            switch array.values {
            case let .float(v): return .float(Double(v.first ?? 0))
            case let .double(v): return .float(v.first ?? 0)
            case let .integer(v): return .int(Int(v.first ?? 0))
            case let .unsigned(v):
                guard let first = v.first, first <= UInt64(Int.max) else { throw bad("numpy scalar out of range at byte \(at)") }
                return .int(Int(first))
            }
        case .codecsEncode:
            // Python 3 writing bytes at protocol 2: _codecs.encode(<latin1 text>, 'latin1').
            guard case let .unicode(utf8) = try argument(0), let encoding = try argument(1).text,
                  ["latin1", "latin-1", "iso-8859-1", "iso8859-1"].contains(encoding.lowercased()) else {
                throw ModelIOError.unsupported(path: path, reason: "pickle: _codecs.encode other than latin1 text at byte \(at)")
            }
            return .bytes(try Self.latin1(fromUTF8: utf8, path: path, at: at))
        case let .sparseMatrix(format):
            return allocate(.sparse(format: format, state: nil))
        case .chumpyArray:
            return allocate(.chumpy(state: nil))
        }
    }

    /// The latin1 bytes of UTF-8 text whose characters are all below U+0100.
    static func latin1(fromUTF8 utf8: Data, path: String, at: Int) throws -> Data {
        let input = [UInt8](utf8)
        var out = [UInt8](repeating: 0, count: input.count)
        var n = 0
        var k = 0
        while k < input.count {
            let b = input[k]
            if b < 0x80 {
                out[n] = b
                k += 1
            } else if b == 0xc2 || b == 0xc3, k + 1 < input.count, input[k + 1] & 0xc0 == 0x80 {
                out[n] = ((b & 0x03) << 6) | (input[k + 1] & 0x3f)
                k += 2
            } else {
                throw ModelIOError.malformed(path: path, reason: "pickle: latin1 payload holds a character above U+00FF (or bad UTF-8) near byte \(at)")
            }
            n += 1
        }
        return Data(out[0..<n])
    }

    /// BUILD: sets the state of an object made by REDUCE / NEWOBJ.
    private mutating func build(_ target: PickleValue, state: PickleValue, at: Int) throws {
        guard case let .object(k) = target else { throw bad("BUILD on a \(target.kind) at byte \(at)") }
        switch heap[k] {
        case .ndarray:
            guard var items = state.tupleItems else { throw bad("ndarray state is a \(state.kind) at byte \(at)") }
            if items.count == 5 { items.removeFirst() }  // leading version number
            guard items.count == 4, let dims = items[0].tupleItems else {
                throw bad("ndarray state is not (version, shape, dtype, fortran, data) at byte \(at)")
            }
            var shape: [Int] = []
            for d in dims {
                guard let n = d.integer, n >= 0 else { throw bad("ndarray shape has a bad dimension at byte \(at)") }
                shape.append(n)
            }
            guard case let .object(dk) = items[1], case let .dtype(code, order) = heap[dk] else {
                throw bad("ndarray state has no dtype at byte \(at)")
            }
            guard let fortran = items[2].integer else { throw bad("ndarray fortran flag is a \(items[2].kind) at byte \(at)") }
            let raw: Data
            switch items[3] {
            case let .bytes(d): raw = d
            case let .unicode(d): raw = try Self.latin1(fromUTF8: d, path: path, at: at)  // Python 2 str read as text
            default:
                throw ModelIOError.unsupported(path: path, reason: "pickle: ndarray data is a \(items[3].kind) (object arrays are not supported) at byte \(at)")
            }
            heap[k] = .ndarray(try NumpyArrays.decode(code: code, byteOrder: order, shape: shape, raw: raw, fortran: fortran != 0, path: path))
        case let .dtype(code, _):
            guard let items = state.tupleItems, items.count >= 2, let order = items[1].text else {
                throw bad("dtype state is not (version, byteorder, ...) at byte \(at)")
            }
            if items.count >= 4, items[2].tupleItems != nil || items[3].tupleItems != nil {
                throw ModelIOError.unsupported(path: path, reason: "pickle: structured numpy dtype at byte \(at)")
            }
            heap[k] = .dtype(code: code, byteOrder: order)
        case let .sparse(format, _):
            heap[k] = .sparse(format: format, state: state)
        case .chumpy:
            heap[k] = .chumpy(state: state)
        case .dict:
            // OrderedDict instance attributes (torch's `_metadata`): not needed.
            break
        case .list:
            throw bad("BUILD on a list at byte \(at)")
        }
    }
}
