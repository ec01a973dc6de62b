import COpenBLAS
import CPUFeatures
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Which OpenBLAS kernels run, and why.
///
/// OpenBLAS picks its kernels from the CPU's *model*, and a release older than the CPU falls
/// back to its oldest x86-64 kernels (`Prescott`, SSE3): Debian 12's 0.3.21 does this on recent
/// Xeons, which then train 2–3 times slower than they could. The engine chooses instead from
/// the CPU's *features*, so that every CPU with the same features runs the same kernels and
/// gives the same bits (AMD's Zen and Intel's Haswell both get `Haswell`, for example):
///
/// | features | kernels |
/// |---|---|
/// | AVX-512 F, DQ, BW and VL | `SkylakeX` |
/// | AVX2 and FMA | `Haswell` |
/// | AVX | `Sandybridge` |
/// | none of these | OpenBLAS's own choice |
///
/// `OPENBLAS_CORETYPE`, when set, wins: it is OpenBLAS's documented way to name kernels, and
/// someone who sets it means it (to reproduce another machine's bits, say). The run section of
/// every report records the kernels and the reason.
///
/// ```swift
/// print(BLASKernels.active.description)   // "Haswell kernels, chosen for AVX2 and FMA (OpenBLAS had picked Zen)"
/// ```
public struct BLASKernels: Sendable, Equatable, CustomStringConvertible {
    /// OpenBLAS's name for the kernels now running, e.g. `Haswell`.
    public var core: String
    /// Why these kernels, in a few words for the report.
    public var reason: String

    public var description: String { "\(core) kernels, \(reason)" }

    /// The kernels of this process, chosen once before the first product.
    public static let active = select(environment: ProcessInfo.processInfo.environment, features: .detected)

    /// The variable through which a user names OpenBLAS's kernels.
    static let override = "OPENBLAS_CORETYPE"

    /// Switches OpenBLAS to the kernels `environment` and `features` call for, when it runs others.
    static func select(environment: [String: String], features: VectorFeatures) -> BLASKernels {
        let running = currentCore
        if let requested = environment[override], !requested.isEmpty {
            if running.caseInsensitiveCompare(requested) != .orderedSame { _ = switchOpenBLAS(to: requested) }
            let core = currentCore, setting = "\(override)=\(shown(requested))"
            // OpenBLAS silently keeps its own choice for a name it does not know or cannot run here.
            guard core.caseInsensitiveCompare(requested) == .orderedSame else {
                return BLASKernels(core: core, reason: "OpenBLAS's choice: it does not run the kernels \(setting) names here")
            }
            return BLASKernels(core: core, reason: "as \(setting) asks")
        }
        guard let wanted = features.kernels else {
            return BLASKernels(core: running, reason: "OpenBLAS's choice for a CPU without AVX")
        }
        let reason = "chosen for \(wanted.features)"
        if running == wanted.core { return BLASKernels(core: running, reason: reason) }
        guard switchOpenBLAS(to: wanted.core) else {
            return BLASKernels(core: currentCore, reason: "OpenBLAS's choice: it could not switch to \(wanted.core) for \(wanted.features)")
        }
        return BLASKernels(core: currentCore, reason: "\(reason) (OpenBLAS had picked \(running))")
    }

    /// A value from the environment as the report shows it: at most 40 characters, quoted and
    /// with control characters escaped when it holds anything but letters, digits, `_` and `-`.
    static func shown(_ value: String) -> String {
        let kept = String(value.prefix(40))
        let plain = kept.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-") }
        let text = plain ? kept : String(reflecting: kept)
        return value.count > 40 ? text + "…" : text
    }

    /// OpenBLAS's name for the kernels it runs now.
    static var currentCore: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// OpenBLAS reads `OPENBLAS_CORETYPE` only while it loads, in `gotoblas_dynamic_init`; a
    /// build with run-time kernel selection (DYNAMIC_ARCH, as Debian's) exports that function
    /// and its inverse, and calling both with the variable set switches the kernels in place.
    /// The variable is put back as it was, so child processes choose for themselves. Returns
    /// whether OpenBLAS now runs `core`; call it before any product, never during one.
    @discardableResult
    static func switchOpenBLAS(to core: String) -> Bool {
        let everything = UnsafeMutableRawPointer(bitPattern: 0)   // RTLD_DEFAULT: every loaded library
        guard let quit = dlsym(everything, "gotoblas_dynamic_quit"), let initialize = dlsym(everything, "gotoblas_dynamic_init") else { return false }
        typealias Entry = @convention(c) () -> Void
        let previous = getenv(override).map { String(cString: $0) }
        setenv(override, core, 1)
        unsafeBitCast(quit, to: Entry.self)()
        unsafeBitCast(initialize, to: Entry.self)()
        if let previous { setenv(override, previous, 1) } else { unsetenv(override) }
        return currentCore.caseInsensitiveCompare(core) == .orderedSame
    }
}

/// The x86 vector extensions that decide which kernels can run (cpuid, and whether the
/// operating system saves their registers).
struct VectorFeatures: Sendable, Equatable {
    var avx = false, fma = false, avx2 = false
    var avx512f = false, avx512dq = false, avx512bw = false, avx512vl = false

    static let detected: VectorFeatures = {
        let f = cpu_vector_features_detect()
        return VectorFeatures(avx: f.avx, fma: f.fma, avx2: f.avx2,
                              avx512f: f.avx512f, avx512dq: f.avx512dq, avx512bw: f.avx512bw, avx512vl: f.avx512vl)
    }()

    /// The kernel set for these features (see `BLASKernels`), with the features it needs; nil
    /// when only OpenBLAS's oldest kernels fit.
    var kernels: (core: String, features: String)? {
        if avx512f && avx512dq && avx512bw && avx512vl && avx2 && fma { return ("SkylakeX", "AVX-512 F, DQ, BW and VL") }
        if avx2 && fma { return ("Haswell", "AVX2 and FMA") }
        if avx { return ("Sandybridge", "AVX") }
        return nil
    }
}
