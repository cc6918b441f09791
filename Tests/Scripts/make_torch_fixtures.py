#!/usr/bin/env python3
"""Writes the small torch.save-style checkpoints in Tests/Fixtures/ with the standard library only.

A stand-in `torch` package (storage classes, `torch._utils._rebuild_tensor_v2` / `_rebuild_parameter`)
lets `pickle` emit exactly the globals and persistent ids torch.save writes; the zip layout is
torch's (`<name>/data.pkl`, `<name>/byteorder`, `<name>/data/<key>`).

Run from the package root: python3 Tests/Scripts/make_torch_fixtures.py
"""
import collections, io, os, pickle, struct, sys, types, zipfile

torch = types.ModuleType("torch"); sys.modules["torch"] = torch
utils = types.ModuleType("torch._utils"); sys.modules["torch._utils"] = utils
torch._utils = utils

def _rebuild_tensor_v2(*args): raise RuntimeError("never called")
def _rebuild_parameter(*args): raise RuntimeError("never called")
_rebuild_tensor_v2.__module__ = "torch._utils"; _rebuild_parameter.__module__ = "torch._utils"
utils._rebuild_tensor_v2 = _rebuild_tensor_v2; utils._rebuild_parameter = _rebuild_parameter

FORMATS = {"FloatStorage": "<f", "DoubleStorage": "<d", "HalfStorage": "<e", "LongStorage": "<q",
           "IntStorage": "<i", "ByteStorage": "<B", "BoolStorage": "<?", "BFloat16Storage": "<H"}
for name in FORMATS:
    cls = type(name, (), {"__module__": "torch"}); setattr(torch, name, cls)

class Storage:
    def __init__(self, kind, key, values):
        self.kind, self.key, self.values = kind, key, values
    def raw(self, byteorder):
        fmt = FORMATS[self.kind]
        order = "<" if byteorder == "little" else ">"
        return b"".join(struct.pack(order + fmt[1], v) for v in self.values)

class Tensor:
    def __init__(self, storage, offset, size, stride, parameter=False):
        self.args = (storage, offset, tuple(size), tuple(stride), False, collections.OrderedDict())
        self.parameter = parameter
    def __reduce_ex__(self, protocol):
        inner = (utils._rebuild_tensor_v2, self.args)
        if self.parameter:
            return (utils._rebuild_parameter, (_Rebuilt(inner), True, collections.OrderedDict()))
        return inner

class _Rebuilt:
    def __init__(self, reduce): self.reduce = reduce
    def __reduce_ex__(self, protocol): return self.reduce

class Pickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            return ("storage", getattr(torch, obj.kind), obj.key, "cpu", len(obj.values))
        return None

def save(path, state, storages, byteorder="little", name="archive", metadata=False):
    buf = io.BytesIO()
    if metadata:
        state._metadata = collections.OrderedDict([("", {"version": 1})])
    Pickler(buf, protocol=2).dump(state)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr(f"{name}/data.pkl", buf.getvalue())
        z.writestr(f"{name}/byteorder", byteorder)
        for s in storages:
            z.writestr(f"{name}/data/{s.key}", s.raw(byteorder))
        z.writestr(f"{name}/version", "3\n")

def views(byteorder, path):
    a = Storage("FloatStorage", "0", [float(i) + 0.5 for i in range(24)])
    b = Storage("LongStorage", "1", [i * 1000000007 - 5 for i in range(12)])
    h = Storage("HalfStorage", "2", [1.0, -2.0, 0.5, 65504.0])
    bf = Storage("BFloat16Storage", "3", [0x3F80, 0xC020])          # 1.0, -2.5
    u = Storage("ByteStorage", "4", [0, 7, 255])
    t = Storage("BoolStorage", "5", [True, False, True])
    i = Storage("IntStorage", "6", [-3, 4])
    d = Storage("DoubleStorage", "7", [0.1, -1e300])
    state = collections.OrderedDict()
    state["contiguous"] = Tensor(a, 0, [2, 3, 4], [12, 4, 1])
    state["transposed"] = Tensor(a, 0, [4, 6], [1, 4])               # (a.view(6, 4)).t()
    state["sliced"] = Tensor(a, 5, [2, 2], [8, 2])                   # offset and gaps
    state["permuted"] = Tensor(a, 1, [2, 2, 3], [1, 12, 4])
    state["expanded"] = Tensor(a, 3, [3, 2], [0, 1])                 # stride 0
    state["scalar"] = Tensor(a, 23, [], [])
    state["empty"] = Tensor(a, 0, [0, 5], [5, 1])
    state["alias"] = Tensor(a, 0, [2, 3, 4], [12, 4, 1])             # shares storage with "contiguous"
    state["parameter"] = Tensor(a, 12, [3, 4], [4, 1], parameter=True)
    state["long"] = Tensor(b, 2, [2, 5], [1, 2])                     # int64, column-major view
    state["half"] = Tensor(h, 0, [4], [1])
    state["bfloat16"] = Tensor(bf, 0, [2], [1])
    state["byte"] = Tensor(u, 0, [3], [1])
    state["bool"] = Tensor(t, 0, [3], [1])
    state["int"] = Tensor(i, 0, [2], [1])
    state["double"] = Tensor(d, 0, [2], [1])
    save(path, state, [a, b, h, bf, u, t, i, d], byteorder=byteorder, metadata=True)

def main():
    out = "Tests/Fixtures"
    os.makedirs(out, exist_ok=True)
    views("little", f"{out}/torch-views.pt")
    views("big", f"{out}/torch-views-big.pt")
    # A pickle naming a global outside the allowlist.
    buf = io.BytesIO()
    buf.write(b"\x80\x02cos\nsystem\nq\x00X\x04\x00\x00\x00trueq\x01\x85q\x02Rq\x03.")
    with zipfile.ZipFile(f"{out}/torch-forbidden-global.pt", "w") as z:
        z.writestr("archive/data.pkl", buf.getvalue())
    # The legacy format starts with a pickled magic number.
    with open(f"{out}/torch-legacy.pt", "wb") as f:
        pickle.dump(0x1950A86A20F9469CFC6C, f, protocol=2)
        pickle.dump(1001, f, protocol=2)

main()
