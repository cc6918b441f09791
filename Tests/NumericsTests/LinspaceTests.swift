import Testing
import Numerics

@Suite struct LinspaceTests {
    @Test func fusedFormMatchesSpecExample() {
        // SPEC.md A.1: linspace(−0.22, 0.22, 16)[6] is −0.044000003 with the fused form (−0.044 unfused).
        let v = linspace(-0.22, 0.22, 16)
        #expect(v[6] == Float(-0.044000003))
        #expect(v[6] != Float(-0.044))
        #expect(v.first == -0.22 && v.last == 0.22)
    }

    @Test func matchesPlainDefinition() {
        for (a, b, n) in [(Float(-1), Float(1), 128), (23, 8, 24), (63, 0, 63), (0.8, 1.2, 64),
                          (1.675088, 2.115088, 64), (1, -1, 7)] {
            let v = linspace(a, b, n)
            let step = (b - a) / Float(n - 1)
            let expected = (0..<n).map { i in
                i < n / 2 ? Float(Double(a) + Double(step) * Double(i))
                          : Float(Double(b) - Double(step) * Double(n - 1 - i))
            }
            // Double products of float operands are exact here (24-bit step · small integer), so rounding
            // the Double result once is the fused result.
            #expect(v == expected)
        }
        #expect(linspace(3, 5, 1) == [3])
        #expect(linspace(3, 5, 0) == [])
    }
}
