import Dispatch
import Synchronization

/// Splits independent work across the CPU's cores.
///
/// Only work whose pieces do not interact goes through here (per-sample im2col, element-wise
/// kernels, optimiser updates, blocks of a matrix product), so results are bit-identical whatever
/// the thread count.
public enum Parallel {
    /// Threads for the engine's loops and matrix products (`Engine.threads` sets it).
    nonisolated(unsafe) static var threads = BLAS.processorCount

    /// Below this many elements, one thread is faster than waking another.
    static let minimumElements = 32_768

    /// The `minimum` of `chunks` for pieces that each cost `weight` elements' work (a sample's
    /// values, a column's rows, a value's parts).
    static func minimumPieces(weighing weight: Int) -> Int { max(1, minimumElements / max(weight, 1)) }

    /// Calls `body(range)` on disjoint ranges covering 0..<count, concurrently when worth it.
    static func chunks(_ count: Int, minimum: Int = minimumElements, _ body: (Range<Int>) -> Void) {
        let parts = min(threads, max(1, count / max(minimum, 1)))
        if parts <= 1 { body(0..<count); return }
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let start = count * part / parts, end = count * (part + 1) / parts
            body(start..<end)
        }
    }

    /// Calls `body(i)` for i in 0..<count, on at most `threads` threads: which thread runs a
    /// piece never changes what it computes.
    static func each(_ count: Int, _ body: (Int) -> Void) {
        eachOnWorkers(count) { i, _ in body(i) }
    }

    /// How many workers `eachOnWorkers` uses for `count` pieces: at least 1.
    static func workers(for count: Int) -> Int { max(1, min(threads, count)) }

    /// As `each`, also passing the worker (0..<workers(for: count)) that runs piece i, so that
    /// a piece can work in that worker's scratch memory instead of memory of its own.
    ///
    /// Each worker takes the next piece nobody has taken yet: on a shared machine a worker that
    /// the system sets aside for a while leaves its pieces to the others instead of holding
    /// them all up. Which worker runs a piece still never changes what the piece computes.
    static func eachOnWorkers(_ count: Int, _ body: (Int, Int) -> Void) {
        let workers = workers(for: count)
        if workers <= 1 { for i in 0..<count { body(i, 0) }; return }
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            while true {
                let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard i < count else { return }
                body(i, worker)
            }
        }
    }

    /// Calls `body(samples, block, worker)` for consecutive blocks of `size` samples covering
    /// 0..<count. The blocks depend on `count` and `size` alone, never on the thread count;
    /// `worker` is as in `eachOnWorkers`, for `blockCount(count, size:)` pieces.
    static func blocks(_ count: Int, size: Int, _ body: (Range<Int>, Int, Int) -> Void) {
        let size = max(1, size)
        eachOnWorkers(blockCount(count, size: size)) { block, worker in
            body((block * size)..<min(count, (block + 1) * size), block, worker)
        }
    }

    /// How many blocks `blocks(count, size:)` cuts 0..<count into.
    static func blockCount(_ count: Int, size: Int) -> Int {
        let size = max(1, size)
        return (count + size - 1) / size
    }

    /// dst[i] = Σ over parts p, in order, of parts[p · count + i]: a reduction whose order is
    /// fixed, split across threads by element. Each element costs `partCount` additions, so the
    /// split goes by the whole reduction's size (a convolution's 128 kernel-gradient parts of
    /// 18,432 values are worth two threads, though one part is not).
    static func sumParts(_ parts: UnsafePointer<Float>, count partCount: Int, length: Int, into dst: UnsafeMutablePointer<Float>) {
        chunks(length, minimum: minimumPieces(weighing: partCount)) { range in
            for p in 0..<partCount {
                let part = parts + p * length
                for i in range { dst[i] += part[i] }
            }
        }
    }

    /// Calls `body(i)` for every sample index, samples split across threads.
    static func samples(_ batch: Int, elementsPerSample: Int, _ body: (Int) -> Void) {
        chunks(batch, minimum: minimumPieces(weighing: elementsPerSample)) { range in
            for i in range { body(i) }
        }
    }
}
