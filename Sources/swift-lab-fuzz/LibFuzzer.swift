#if LIBFUZZER
import Foundation
import FuzzTargets

// libFuzzer's entry point for programs that have their own main (compiler-rt's FuzzerDriver.cpp):
//   int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                                 _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                                 _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// Runs libFuzzer on one target; `arguments` are libFuzzer's (corpus directories, -max_total_time=...).
enum LibFuzzer {
    /// The callback is a C function pointer and cannot capture: the target is read from here.
    nonisolated(unsafe) private static var target = FuzzTarget.lab

    static func run(_ target: FuzzTarget, arguments: [String]) -> CInt {
        Self.target = target
        atexit { FuzzTarget.removeScratchFiles() }
        var argc = CInt(arguments.count)
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = .allocate(capacity: arguments.count + 1)
        for (i, argument) in arguments.enumerated() { argv![i] = strdup(argument) }
        argv![arguments.count] = nil
        return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            LibFuzzer.target.run(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
            return 0
        }
    }
}
#endif
