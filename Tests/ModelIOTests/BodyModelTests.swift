import Foundation
import Numerics
import Testing
@testable import ModelIO

/// The bytes of `text` with each character taken as one latin1 byte (for hand-written pickles).
func latin1(_ text: String) -> [UInt8] { text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) } }

@Suite struct BodyModelTests {
    @Test func picklesAndNPZAgree() throws {
        let py3 = try PickledArrays.read(try Reference.path("ref-tiny/body/SMPL_NEUTRAL.pkl.gz"))
        let py2 = try PickledArrays.read(try Reference.path("ref-tiny/body/SMPL_NEUTRAL_py2.pkl.gz"))
        let npz = try NPZFile(path: try Reference.path("ref-tiny/body/body.npz"))
        let keys = ["v_template", "shapedirs", "posedirs", "weights", "f", "kintree_table", "J"]
        for key in keys {
            let reference = try npz.array(key)
            #expect(py3[key] == reference, "\(key) (Python 3 pickle)")
            #expect(py2[key] == reference, "\(key) (Python 2 pickle)")
        }
        #expect(py3["J_regressor"] == (try npz.array("J_regressor_dense")))
        #expect(py2["J_regressor"] == (try npz.array("J_regressor_dense")))
    }

    @Test func bodyModelFilesGiveSmplxBuffers() throws {
        let files = try ["SMPL_NEUTRAL.pkl.gz", "SMPL_NEUTRAL_py2.pkl.gz", "body.npz"].map {
            try BodyModelFile(path: try Reference.path("ref-tiny/body/\($0)"))
        }
        let a = files[0]
        #expect(a.vTemplate.shape == [6890, 3])
        #expect(a.shapedirs.shape == [6890, 3, 10])
        #expect(a.posedirs.shape == [207, 20670])
        #expect(a.jRegressor.shape == [24, 6890])
        #expect(a.lbsWeights.shape == [6890, 24])
        #expect(a.parents.integers == [-1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19, 20, 21])
        #expect(a.faces.shape == [13776, 3] && a.faces.dtype == .int64)
        for other in files.dropFirst() {
            for ((n1, x), (n2, y)) in zip(a.bundleArrays(), other.bundleArrays()) {
                #expect(n1 == n2 && x == y, "\(n1) of \(other.path)")
            }
        }
        // posedirs = file posedirs [V, 3, 207] reshaped to [3V, 207] and transposed.
        let raw = try NPZFile(path: try Reference.path("ref-tiny/body/body.npz")).array("posedirs").floats
        let t = a.posedirs.floats
        for (f, row) in [(99, 3 * 100 + 1), (130, 3 * 6000 + 2), (0, 0)] {
            #expect(t[f * 20670 + row] == raw[row * 207 + f])
        }
        #expect(a.bundleArrays(poseBlendShapes: false).count == 6)
    }

    @Test func protocolThreePickleMatchesItsNPZ() throws {
        let pkl = try PickledArrays.read(try Reference.path("pickles/smpl_01_fit_reassign.pkl"))
        let npz = try NPZFile(path: try Reference.path("pickles/smpl_01_fit_reassign.npz"))
        #expect(Array(pkl.keys) == ["bary"])
        #expect(pkl["bary"] == (try npz.array("bary")))
        #expect(pkl["bary"]?.shape == [68, 4] && pkl["bary"]?.dtype == .float64)
    }

    @Test func refusesForbiddenGlobalsAndHugeClaims() {
        // cos\nsystem\n (GLOBAL os.system)
        #expect {
            try PickledArrays.decode(Data(latin1("\u{80}\u{02}cos\nsystem\n(X\u{02}\u{00}\u{00}\u{00}lstR.")))
        } throws: { "\($0)".contains("'os.system'") }
        // Torch globals are not allowed in a body model pickle.
        #expect {
            try PickledArrays.decode(Data([0x80, 0x02] + Array("ctorch._utils\n_rebuild_tensor_v2\n.".utf8)))
        } throws: { "\($0)".contains("not allowed") }
        // BINBYTES8 claiming 2^62 bytes fails before allocating.
        #expect(throws: ModelIOError.self) {
            try PickledArrays.decode(Data([0x80, 0x04, 0x8e, 0, 0, 0, 0, 0, 0, 0, 0x40, 0x2e]))
        }
        // BINUNICODE claiming 4 GiB.
        #expect(throws: ModelIOError.self) { try PickledArrays.decode(Data([0x80, 0x02, 0x58, 0xff, 0xff, 0xff, 0xff, 0x2e])) }
        // An unknown opcode is named.
        #expect { try PickledArrays.decode(Data([0x80, 0x02, 0xff])) } throws: { "\($0)".contains("0xff") }
        // INST executes a class: refused by name.
        #expect { try PickledArrays.decode(Data([0x80, 0x02, 0x69])) } throws: { "\($0)".contains("INST") }
        // Deep tuple nesting is bounded.
        #expect(throws: ModelIOError.self) {
            try PickledArrays.decode(Data([0x80, 0x02, 0x4e] + [UInt8](repeating: 0x85, count: 100_000) + [0x2e]))
        }
        // An array state whose shape claims more bytes than it carries.
        let header: [UInt8] = [0x80, 0x02, 0x7d, 0x58, 1, 0, 0, 0, 0x61]
        let reconstruct = latin1("cnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\nK\u{00}\u{85}C\u{01}b\u{87}R")
        let dtype = latin1("cnumpy\ndtype\nX\u{02}\u{00}\u{00}\u{00}f4K\u{00}K\u{01}\u{87}R(K\u{03}X\u{01}\u{00}\u{00}\u{00}<NNNJ\u{ff}\u{ff}\u{ff}\u{ff}J\u{ff}\u{ff}\u{ff}\u{ff}K\u{00}tb")
        var claim = header + reconstruct + latin1("(K\u{01}J\u{ff}\u{ff}\u{ff}\u{7f}J\u{ff}\u{ff}\u{ff}\u{7f}\u{86}") + dtype
        claim += latin1("\u{89}C\u{04}\u{00}\u{00}\u{00}\u{00}tbs.")
        #expect { try PickledArrays.decode(Data(claim)) } throws: { "\($0)".contains("bytes of data") }
    }
}
