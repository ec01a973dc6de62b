import Dispatch

/// Splits independent work across the CPU's cores.
///
/// Only work whose pieces do not interact goes through here (per-sample im2col, element-wise
/// kernels, optimiser updates), so results are bit-identical whatever the thread count.
public enum Parallel {
    /// Threads for the engine's own loops; `BLAS.threads` sets OpenBLAS's.
    nonisolated(unsafe) public static var threads = max(1, BLAS.threads)

    /// Below this many elements, one thread is faster than waking another.
    static let minimumElements = 32_768

    /// Calls `body(range)` on disjoint ranges covering 0..<count, concurrently when worth it.
    static func chunks(_ count: Int, minimum: Int = minimumElements, _ body: (Range<Int>) -> Void) {
        let parts = min(threads, max(1, count / max(minimum, 1)))
        if parts <= 1 { body(0..<count); return }
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let start = count * part / parts, end = count * (part + 1) / parts
            body(start..<end)
        }
    }

    /// Calls `body(i)` for every sample index, samples split across threads.
    static func samples(_ batch: Int, elementsPerSample: Int, _ body: (Int) -> Void) {
        chunks(batch, minimum: max(1, minimumElements / max(elementsPerSample, 1))) { range in
            for i in range { body(i) }
        }
    }
}
