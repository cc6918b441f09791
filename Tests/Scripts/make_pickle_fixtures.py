#!/usr/bin/env python3
"""Writes Tests/Fixtures/body-py2.pkl: a tiny SMPL-layout body model pickled the way Python 2's cPickle
writes the original SMPL files (protocol 2, 8-bit strings only, numpy arrays as _reconstruct + BUILD,
J_regressor as scipy.sparse.csc.csc_matrix with an instance dict, memo references), assembled opcode by
opcode with the standard library so no Python 2, numpy or scipy is needed to make it.

Its arrays (4 vertices, 24 joints) are listed in body-py2.json for the tests.
Run from the package root: python3 Tests/Scripts/make_pickle_fixtures.py
"""
import json, struct

class Writer:
    def __init__(self):
        self.out = bytearray(b"\x80\x02")
        self.memo = {}
    def put(self):
        n = len(self.memo)
        self.out += b"q" + bytes([n]) if n < 256 else b"r" + struct.pack("<I", n)
        return n
    def global_(self, module, name):
        key = ("global", module, name)
        if key in self.memo:
            self.out += b"h" + bytes([self.memo[key]])
            return
        self.out += b"c" + module.encode() + b"\n" + name.encode() + b"\n"
        self.memo[key] = self.put()
    def string(self, s):
        b = s if isinstance(s, bytes) else s.encode("latin1")
        key = ("str", b)
        if len(b) < 16 and key in self.memo:
            self.out += b"h" + bytes([self.memo[key]])
            return
        self.out += (b"U" + bytes([len(b)]) if len(b) < 256 else b"T" + struct.pack("<i", len(b))) + b
        if len(b) < 16:
            self.memo[key] = self.put()
    def int_(self, v):
        if 0 <= v < 256: self.out += b"K" + bytes([v])
        elif 0 <= v < 65536: self.out += b"M" + struct.pack("<H", v)
        else: self.out += b"J" + struct.pack("<i", v)
    def tuple_(self, items, emit):
        if not items:
            self.out += b")"; return
        if len(items) <= 3:
            for i in items: emit(i)
            self.out += {1: b"\x85", 2: b"\x86", 3: b"\x87"}[len(items)]
        else:
            self.out += b"("
            for i in items: emit(i)
            self.out += b"t"
    def dtype(self, code):
        self.global_("numpy", "dtype")
        self.string(code); self.int_(0); self.int_(1); self.out += b"\x87R"
        self.out += b"("; self.int_(3); self.string("|" if code[-1] == "1" else "<")
        self.out += b"NNN"; self.out += b"J\xff\xff\xff\xff" * 2; self.int_(0); self.out += b"tb"
    def array(self, shape, code, values):
        fmt = {"f4": "<f", "f8": "<d", "i8": "<q", "u4": "<I", "i4": "<i"}[code]
        raw = b"".join(struct.pack(fmt, v) for v in values)
        self.global_("numpy.core.multiarray", "_reconstruct")
        self.global_("numpy", "ndarray")
        self.int_(0); self.out += b"\x85"; self.string("b"); self.out += b"\x87R"
        self.out += b"("; self.int_(1); self.tuple_(shape, self.int_); self.dtype(code); self.out += b"\x89"
        self.string(raw); self.out += b"tb"

def main():
    V, J = 4, 24
    parents = [-1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19, 20, 21]
    arrays = {
        "v_template": ([V, 3], "f4", [0.25 * i - 1 for i in range(V * 3)]),
        "shapedirs": ([V, 3, 10], "f4", [((i * 7) % 11) * 0.001 for i in range(V * 30)]),
        "posedirs": ([V, 3, 207], "f4", [((i * 5) % 13) * 0.0005 if i % 9 == 0 else 0.0 for i in range(V * 3 * 207)]),
        "weights": ([V, J], "f4", [1.0 if j == (v * 5) % J else 0.0 for v in range(V) for j in range(J)]),
        "f": ([2, 3], "u4", [0, 1, 2, 1, 2, 3]),
        "kintree_table": ([2, J], "i8", [4294967295] + parents[1:] + list(range(J))),
    }
    # J_regressor [J, V] as csc: column c holds rows (c, c + 4, ...) with value 0.5.
    rows, cols, vals = [], [], []
    for c in range(V):
        for r in range(c, J, 8):
            rows.append(r); cols.append(c); vals.append(0.5 + 0.125 * c)
    indptr = [0]
    for c in range(V):
        indptr.append(indptr[-1] + cols.count(c))
    w = Writer()
    w.out += b"}"; w.put(); w.out += b"("
    for key, (shape, code, values) in arrays.items():
        w.string(key); w.array(shape, code, values)
    w.string("J_regressor")
    w.global_("scipy.sparse.csc", "csc_matrix"); w.out += b")\x81"
    w.out += b"}("
    w.string("_shape"); w.tuple_([J, V], w.int_)
    w.string("maxprint"); w.int_(50)
    w.string("format"); w.string("csc")
    w.string("data"); w.array([len(vals)], "f4", vals)
    w.string("indices"); w.array([len(rows)], "i4", rows)
    w.string("indptr"); w.array([len(indptr)], "i4", indptr)
    w.out += b"ub"
    w.string("bs_style"); w.string("lbs")
    w.out += b"u."
    with open("Tests/Fixtures/body-py2.pkl", "wb") as f:
        f.write(bytes(w.out))
    dense = [[0.0] * V for _ in range(J)]
    for r, c, v in zip(rows, cols, vals):
        dense[r][c] = v
    expected = {k: {"shape": s, "values": v} for k, (s, _, v) in arrays.items()}
    expected["J_regressor"] = {"shape": [J, V], "values": [x for row in dense for x in row]}
    with open("Tests/Fixtures/body-py2.json", "w") as f:
        json.dump(expected, f)

main()
