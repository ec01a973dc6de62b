import Synchronization
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import Engine

/// `Parallel.blocks(_:size:_:foldingInOrder:)`: whatever the thread count and however long each
/// block takes, every block is folded once, in block order, after its own body, and a slot is
/// never given to a block while the block before it in that slot is still unfolded.
final class OrderedFoldTests: XCTestCase {
    /// What the bodies and folds did, in the order the folds ran.
    private struct Log {
        var folds: [Int] = []
        var bodiesDone: Set<Int> = []
        var slotInUse: [Int: Int] = [:]
        var problems: [String] = []
    }

    /// The log of one run, or nil when the folds did not finish within a minute: a fold that
    /// waits for a block that never comes fails the test instead of hanging it.
    private func run(count: Int, size: Int, threads: Int) -> Log? {
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        Parallel.threads = threads
        let log = Mutex(Log())
        guard finishesWithinAMinute({ self.foldBlocks(count: count, size: size, into: log) }) else { return nil }
        return log.withLock { $0 }
    }

    private func foldBlocks(count: Int, size: Int, into log: borrowing Mutex<Log>) {
        let slots = Parallel.partSlots(forBlocks: Parallel.blockCount(count, size: size))
        Parallel.blocks(count, size: size) { samples, slot, worker in
            let block = samples.lowerBound / size
            log.withLock { log in
                if let other = log.slotInUse[slot] { log.problems.append("block \(block) given slot \(slot), still held by block \(other)") }
                if slot >= slots { log.problems.append("slot \(slot) of \(slots)") }
                if worker >= Parallel.workers(for: Parallel.blockCount(count, size: size)) { log.problems.append("worker \(worker)") }
                log.slotInUse[slot] = block
            }
            // Uneven work, so that blocks finish out of order, and one block far longer than the
            // rest, so that the other workers run through every slot while it is unfolded.
            var x = 0.0
            for i in 0..<((block * 7919) % 5 * 20_000) { x += Double(i) }
            if x < 0 { print(x) }
            if block == 1 { usleep(20_000) }
            log.withLock { _ = $0.bodiesDone.insert(block) }
        } foldingInOrder: { block, slot in
            log.withLock { log in
                if !log.bodiesDone.contains(block) { log.problems.append("block \(block) folded before its body finished") }
                if log.slotInUse[slot] != block { log.problems.append("block \(block) folded from slot \(slot), which holds \(String(describing: log.slotInUse[slot]))") }
                log.slotInUse[slot] = nil
                log.folds.append(block)
            }
        }
    }

    func testBlocksAreFoldedInOrderWhateverTheThreadCount() {
        for threads in [1, 2, 3, 8, 40] {
            for (count, size) in [(0, 1), (1, 1), (5, 2), (128, 1), (300, 3)] {
                guard let log = run(count: count, size: size, threads: threads) else {
                    return XCTFail("\(threads) threads, \(count) samples by \(size): the folds did not finish in a minute")
                }
                XCTAssertEqual(log.folds, Array(0..<Parallel.blockCount(count, size: size)), "\(threads) threads, \(count) samples by \(size)")
                XCTAssertEqual(log.problems, [], "\(threads) threads, \(count) samples by \(size)")
            }
        }
    }

    func testSlotsAreAFewPerWorkerAndAtMost64() {
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        Parallel.threads = 2
        XCTAssertEqual(Parallel.partSlots(forBlocks: 0), 1)
        XCTAssertEqual(Parallel.partSlots(forBlocks: 3), 3)
        XCTAssertEqual(Parallel.partSlots(forBlocks: 128), 8)
        Parallel.threads = 40
        XCTAssertEqual(Parallel.partSlots(forBlocks: 1000), 64)
    }
}
