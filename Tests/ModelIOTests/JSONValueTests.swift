import Foundation
import Numerics
import Testing
@testable import ModelIO

/// Our JSON reader: strict JSON plus NaN/Infinity, errors instead of traps on malformed text.
@Suite struct JSONValueTests {
    func parse(_ text: String) throws -> JSONValue { try JSONValue.parse(Data(text.utf8)) }

    @Test func readsDocuments() throws {
        let value = try parse(#" {"a": [1, -2.5e-3, 0, 1E+2, true, false, null], "s": "x\"\\\/\n\u00e9\ud83d\ude00", "n": NaN, "i": -Infinity} "#)
        let object = try #require(value.object)
        #expect(object["a"] == .array([.number(1), .number(-2.5e-3), .number(0), .number(100), .bool(true), .bool(false), .null]))
        #expect(object["s"] == .string("x\"\\/\né😀"))
        #expect(object["n"]?.number?.isNaN == true)
        #expect(object["i"] == .number(-.infinity))
        #expect(try parse("{\"k\": 1, \"k\": 2}") == .object(["k": .number(2)]))
    }

    /// Among them the inputs that make Foundation's JSON5 scanner trap (`1.5e+`, `-1e-,`).
    @Test func malformedTextThrows() {
        for text in ["[1.5e+]", "[-1e-,]", "[1e]", "[-]", "[1.]", "[.5]", "[01]", "[+1]", "[1,]", "{\"a\" 1}", "{\"a\": 1,}",
                     "\"abc", "\"\\x\"", "\"\\ud800\\u0041\"", "[1] 2", "", "nul", "\"a\u{1}b\"", "{1: 2}"] {
            #expect(throws: JSONValue.SyntaxError.self, "\(text)") { try parse(text) }
        }
        #expect(throws: JSONValue.SyntaxError.self) { try JSONValue.parse(Data([0x5B, 0xFF, 0x5D])) }
        let deep = String(repeating: "[", count: JSONValue.maximumDepth + 1) + String(repeating: "]", count: JSONValue.maximumDepth + 1)
        #expect(throws: JSONValue.SyntaxError.self) { try parse(deep) }
        let fine = String(repeating: "[", count: JSONValue.maximumDepth) + String(repeating: "]", count: JSONValue.maximumDepth)
        #expect((try? parse(fine)) != nil)
    }

    /// Numbers read exactly as Foundation's strict reader reads them, and agree with it on what is valid,
    /// for random number-like tokens (except literals beyond the Double range: ±Infinity here).
    @Test func numbersAgreeWithFoundationsStrictReader() throws {
        var random = SplitMix64(seed: 3)
        let alphabet = Array("0123456789-+.eE")
        for _ in 0..<3000 {
            let token = String((0..<(1 + random.below(8))).map { _ in alphabet[random.below(alphabet.count)] })
            let text = "[" + token + "]"
            let ours = try? parse(text)
            let theirs = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [NSNumber]
            // Out-of-range literals read as ±Infinity here (readers then name them); Foundation refuses them.
            if theirs == nil, case let .array(items)? = ours, items.count == 1, items[0].number?.isInfinite == true { continue }
            #expect((ours == nil) == (theirs == nil), "\(text): ours \(String(describing: ours)), Foundation \(String(describing: theirs))")
            if let ours, let theirs { #expect(ours == .array([.number(theirs[0].doubleValue)]), "\(text)") }
        }
    }
}
