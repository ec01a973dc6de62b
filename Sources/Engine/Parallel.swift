import Synchronization
#if canImport(Glibc)
import Glibc
#endif

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
        WorkerPool.shared.run(parts) { part in
            let start = count * part / parts, end = count * (part + 1) / parts
            body(start..<end)
        }
    }

    /// Calls `body(i)` for i in 0..<count, on at most `threads` threads (the engine's, as
    /// `SWIFT_LAB_THREADS` sets them): which thread runs a piece never changes what it computes.
    ///
    /// ```swift
    /// var squares = [Double](repeating: 0, count: 100)
    /// squares.withUnsafeMutableBufferPointer { out in
    ///     let out = out
    ///     Parallel.each(out.count) { i in out[i] = Double(i * i) }
    /// }
    /// ```
    public static func each(_ count: Int, _ body: (Int) -> Void) {
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
        WorkerPool.shared.run(workers) { worker in
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

    /// As `blocks`, for a sum over the blocks whose order must not depend on the threads: `body`
    /// leaves its block's part of the sum in a slot of scratch (0..<`partSlots(forBlocks:)`),
    /// and `fold(block, slot)` adds it to the total. The folds run in block order, one at a
    /// time, each as soon as its block and every earlier one are done, on whichever worker
    /// gets there first; a slot is used again once its block is folded.
    ///
    /// So the parts are added in block order whatever the thread count, each while it is still
    /// in the cache, and a batch needs a few slots per worker instead of one part per block.
    /// `body` gets the slot and, as in `blocks`, the worker running it.
    ///
    /// ```swift
    /// let slots = Parallel.partSlots(forBlocks: Parallel.blockCount(batch, size: 4))
    /// Parallel.blocks(batch, size: 4) { samples, slot, worker in
    ///     computePart(samples, into: parts + slot * length)
    /// } foldingInOrder: { _, slot in
    ///     Parallel.add(parts + slot * length, into: gradient, count: length)
    /// }
    /// ```
    static func blocks(_ count: Int, size: Int, _ body: (Range<Int>, Int, Int) -> Void, foldingInOrder fold: (Int, Int) -> Void) {
        let size = max(1, size), blocks = blockCount(count, size: size), slots = partSlots(forBlocks: blocks)
        // Bit s of `ready`: the block in slot s is done and not yet folded. A slot holds block b
        // only once block b − slots is folded, so the bit of slot f % slots is block f's.
        let folded = Atomic<Int>(0), ready = Atomic<UInt64>(0), folding = Atomic<Bool>(false)
        func bit(_ block: Int) -> UInt64 { 1 << UInt64(block % slots) }
        func foldReady() {
            while folding.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged {
                var f = folded.load(ordering: .relaxed)
                while f < blocks, ready.load(ordering: .acquiring) & bit(f) != 0 {
                    fold(f, f % slots)
                    ready.bitwiseAnd(~bit(f), ordering: .relaxed)
                    f += 1
                    folded.store(f, ordering: .releasing)
                }
                folding.store(false, ordering: .releasing)
                // A block done after the test above and before the release: look again.
                guard f < blocks, ready.load(ordering: .acquiring) & bit(f) != 0 else { return }
            }
        }
        // Blocks are taken in order, so the block a worker waits for is running or done.
        eachOnWorkers(blocks) { block, worker in
            while folded.load(ordering: .acquiring) <= block - slots { foldReady(); sched_yield() }
            body((block * size)..<min(count, (block + 1) * size), block % slots, worker)
            ready.bitwiseOr(bit(block), ordering: .releasing)
            foldReady()
        }
        // Every block is done: what no worker folded, in order.
        for block in folded.load(ordering: .acquiring)..<blocks { fold(block, block % slots) }
    }

    /// Slots of scratch for the parts of `blocks(_:size:_:foldingInOrder:)`, for `blockCount`
    /// blocks: four per worker, so that a worker seldom waits for a fold, and at most 64.
    static func partSlots(forBlocks blockCount: Int) -> Int {
        max(1, min(blockCount, 4 * workers(for: blockCount), 64))
    }

    /// dst[i] += part[i] for i < count: one part of an ordered sum (`blocks(_:size:_:foldingInOrder:)`).
    static func add(_ part: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, count: Int) {
        if VectorMathKernels.available { return VectorMathKernels.add(part, into: dst, count: count) }
        for i in 0..<count { dst[i] += part[i] }
    }

    /// How many blocks `blocks(count, size:)` cuts 0..<count into.
    static func blockCount(_ count: Int, size: Int) -> Int {
        let size = max(1, size)
        return (count + size - 1) / size
    }

    /// Calls `body(i)` for every sample index, samples split across threads.
    static func samples(_ batch: Int, elementsPerSample: Int, _ body: (Int) -> Void) {
        chunks(batch, minimum: minimumPieces(weighing: elementsPerSample)) { range in
            for i in range { body(i) }
        }
    }
}
