import Foundation

#if PORTRAIT_FUZZ
/// The parser libFuzzer drives: `$PORTRAIT_FUZZ_TARGET` (see `FuzzTargets.names`).
let fuzzTarget = ProcessInfo.processInfo.environment["PORTRAIT_FUZZ_TARGET"] ?? "safetensors"

/// libFuzzer's entry point (C ABI: a byte pointer and a length, valid for the call only).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    let data = bytes.map { Data(bytes: $0, count: count) } ?? Data()
    FuzzTargets.run(fuzzTarget, data)
    return 0
}

/// libFuzzer's driver, exported by the fuzzer runtime.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

/// SwiftPM links executables with `main` aliased to `PortraitFuzz_main`, which collides with the
/// fuzzer runtime's own `main` (the Makefile links with --allow-multiple-definition). Whichever `main`
/// the linker keeps, libFuzzer runs `fuzzOneInput`; the arguments are libFuzzer's.
@_cdecl("PortraitFuzz_main")
public func portraitFuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { bytes, n in fuzzOneInput(bytes, n) }
}
#else
/// Without the fuzzer: `PortraitFuzz TARGET FILE...` replays inputs and prints what each parser read;
/// `PortraitFuzz --seeds DIR` writes a seed corpus per target from the reference data.
@main
struct Replay {
    static func main() throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.count == 2, arguments[0] == "--seeds" {
            try FuzzSeeds.write(to: arguments[1])
            return
        }
        guard arguments.count >= 2, FuzzTargets.names.contains(arguments[0]) else {
            FileHandle.standardError.write(Data("usage: PortraitFuzz TARGET FILE... | PortraitFuzz --seeds DIR\ntargets: \(FuzzTargets.names.joined(separator: " "))\n".utf8))
            exit(2)
        }
        for path in arguments.dropFirst() {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            print("\(path): \(FuzzTargets.run(arguments[0], data))")
        }
    }
}
#endif
