import Foundation
import Testing
@testable import ModelIO

@Suite struct SHA256Tests {
    @Test func knownVectors() {
        // FIPS 180-4 / NIST examples.
        #expect(SHA256.hex(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(Data(repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func incrementalUpdatesMatchOneShot() {
        let data = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) })
        for split in [0, 1, 63, 64, 65, 4097, 99_999] {
            var h = SHA256()
            h.update(data.prefix(split))
            h.update(data.suffix(from: split))
            #expect(h.finalize().map { String(format: "%02x", $0) }.joined() == SHA256.hex(data), "split \(split)")
        }
    }
}
