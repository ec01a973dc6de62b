import Dispatch
import Synchronization
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import Engine

/// `WorkerPool`: every iteration of every loop runs once, whether the pool's threads are
/// watching, asleep or busy with another loop, and a loop never hangs. Each case runs on another
/// thread under a timeout, so that a lost wake-up fails the test instead of hanging it.
final class WorkerPoolTests: XCTestCase {
    /// How many times each iteration of one loop of `count` ran.
    private static func runCounts(_ count: Int) -> [Int] {
        let runs = Mutex([Int](repeating: 0, count: count))
        WorkerPool.shared.run(count) { i in runs.withLock { $0[i] += 1 } }
        return runs.withLock { $0 }
    }

    func testEveryIterationRunsOnceInLoopAfterLoop() {
        let problems = Mutex<[String]>([])
        XCTAssertTrue(finishesWithinAMinute {
            for loop in 0..<2_000 {
                let count = 1 + loop % 9
                let runs = Self.runCounts(count)
                if runs != [Int](repeating: 1, count: count) { problems.withLock { $0.append("loop \(loop): \(runs)") } }
            }
        }, "the loops did not finish in a minute")
        XCTAssertEqual(problems.withLock { $0 }, [])
    }

    /// After a pause longer than the threads watch, they are asleep and must be woken.
    func testLoopsAfterThePoolHasGoneToSleep() {
        let problems = Mutex<[String]>([])
        XCTAssertTrue(finishesWithinAMinute {
            for loop in 0..<5 {
                usleep(UInt32(WorkerPool.watchNanoseconds / 1000) * 4)
                let runs = Self.runCounts(4)
                if runs != [1, 1, 1, 1] { problems.withLock { $0.append("loop \(loop): \(runs)") } }
            }
        }, "a loop after a pause did not finish in a minute")
        XCTAssertEqual(problems.withLock { $0 }, [])
    }

    /// A loop run from inside a loop, and loops started from several threads at once, run on
    /// their callers' threads instead of waiting for the pool.
    func testNestedAndConcurrentLoopsRunOnTheirCallers() {
        let inner = Mutex([Int](repeating: 0, count: 3 * 5))
        let outer = Mutex([Int](repeating: 0, count: 8 * 6))
        XCTAssertTrue(finishesWithinAMinute {
            WorkerPool.shared.run(3) { i in
                WorkerPool.shared.run(5) { j in inner.withLock { $0[i * 5 + j] += 1 } }
            }
            DispatchQueue.concurrentPerform(iterations: 8) { caller in
                for _ in 0..<50 {
                    WorkerPool.shared.run(6) { i in outer.withLock { $0[caller * 6 + i] += 1 } }
                }
            }
        }, "nested or concurrent loops did not finish in a minute")
        XCTAssertEqual(inner.withLock { $0 }, [Int](repeating: 1, count: 15))
        XCTAssertEqual(outer.withLock { $0 }, [Int](repeating: 50, count: 48))
    }

    /// More iterations than cores, each blocking for a while: they all run, once each.
    func testIterationsThatBlock() {
        let runs = Mutex([Int](repeating: 0, count: 40))
        XCTAssertTrue(finishesWithinAMinute {
            WorkerPool.shared.run(40) { i in
                usleep(1_000)
                runs.withLock { $0[i] += 1 }
            }
        }, "40 iterations did not finish in a minute")
        XCTAssertEqual(runs.withLock { $0 }, [Int](repeating: 1, count: 40))
    }
}
