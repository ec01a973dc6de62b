import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Threads kept from one of the engine's parallel loops to the next.
///
/// A training step runs dozens of short loops (a dense autoencoder's step takes about 2 ms in
/// all). Handing each to threads that have gone to sleep costs a wake-up per thread per loop,
/// which on a virtual machine can take as long as the loop. These threads instead watch for the
/// next loop for a fraction of a millisecond after each one, yielding the CPU as they watch, and
/// only then sleep.
///
/// `run(_:_:)` calls `body(i)` once for each i in 0..<count, as `DispatchQueue.concurrentPerform`
/// does, with the calling thread taking part. One loop at a time: a call made while another runs
/// (from a loop's body, or from another thread) runs its iterations on the calling thread, one
/// after the other. Which thread runs an iteration never changes what it computes.
///
/// ```swift
/// WorkerPool.shared.run(2) { worker in
///     print("worker", worker)
/// }
/// ```
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool()

    /// How long a thread watches for the next loop before it sleeps, in nanoseconds.
    static let watchNanoseconds: UInt64 = 300_000

    /// The loop being run: its generation (upper 32 bits), its count (next 16) and the next
    /// iteration to hand out (lower 16). One word, so that a thread takes an iteration of the
    /// loop it saw, never of the one after it.
    private let ticket = Atomic<Int>(0)
    private let completed = Atomic<Int>(0)
    private let busy = Atomic<Bool>(false)
    /// The body of the running loop; set before its ticket is published, cleared after its last
    /// iteration completes.
    nonisolated(unsafe) private var body: ((Int) -> Void)?
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let wakeUp: UnsafeMutablePointer<pthread_cond_t>
    /// Threads started so far (changed only with `mutex` held).
    private let started = Atomic<Int>(0)

    /// The most iterations a loop may have (`count` takes 16 bits of the ticket).
    static let largestCount = 0xFFFF

    private init() {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        wakeUp = .allocate(capacity: 1)
        pthread_cond_init(wakeUp, nil)
    }

    func run(_ count: Int, _ body: (Int) -> Void) {
        guard count > 1, count <= Self.largestCount,
              busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else {
            for i in 0..<max(count, 0) { body(i) }
            return
        }
        startThreads(count - 1)
        withoutActuallyEscaping(body) { body in
            self.body = body
            completed.store(0, ordering: .relaxed)
            // 31 bits, so that the ticket stays positive and `>> 32` gives the generation back.
            let generation = ((ticket.load(ordering: .relaxed) >> 32) + 1) & 0x7FFF_FFFF
            ticket.store(generation << 32 | count << 16, ordering: .releasing)
            // Threads still watching see the ticket; wake as many sleeping ones as the loop can use.
            pthread_mutex_lock(mutex)
            for _ in 1..<count { pthread_cond_signal(wakeUp) }
            pthread_mutex_unlock(mutex)
            takeIterations(of: generation)
            // The iterations other threads took are running: wait for them.
            while completed.load(ordering: .acquiring) < count { sched_yield() }
            self.body = nil
        }
        busy.store(false, ordering: .releasing)
    }

    /// Runs iterations of the loop of `generation` until none is left to take.
    private func takeIterations(of generation: Int) {
        while true {
            let current = ticket.load(ordering: .acquiring)
            let count = (current >> 16) & 0xFFFF, next = current & 0xFFFF
            guard current >> 32 == generation, next < count else { return }
            guard ticket.compareExchange(expected: current, desired: current + 1, ordering: .acquiringAndReleasing).exchanged else { continue }
            runIteration(next)
            completed.add(1, ordering: .releasing)
        }
    }

    /// A function of its own, so that this thread's hold on the body ends before the iteration
    /// counts as completed: `run` then checks, on leaving `withoutActuallyEscaping`, that
    /// nothing holds the body any more.
    @inline(never)
    private func runIteration(_ i: Int) {
        body?(i)
    }

    private func startThreads(_ wanted: Int) {
        // Every loop but the first finds its threads there, without taking the lock.
        guard started.load(ordering: .relaxed) < wanted else { return }
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while started.load(ordering: .relaxed) < wanted {
            var thread = pthread_t()
            let pool = Unmanaged.passUnretained(self).toOpaque()
            guard pthread_create(&thread, nil, { pool in
                Unmanaged<WorkerPool>.fromOpaque(pool!).takeUnretainedValue().work()
                return nil
            }, pool) == 0 else { return }  // Without another thread the caller runs every iteration itself.
            pthread_detach(thread)
            started.add(1, ordering: .relaxed)
        }
    }

    /// A pool thread: takes part in each loop, watching for the next for a while, then sleeping.
    private func work() {
        var seen = ticket.load(ordering: .acquiring) >> 32
        while true {
            var watchedSince: UInt64?
            var generation = ticket.load(ordering: .acquiring) >> 32
            while generation == seen {
                let now = Self.nanoseconds()
                if let since = watchedSince, now - since > Self.watchNanoseconds {
                    pthread_mutex_lock(mutex)
                    while ticket.load(ordering: .acquiring) >> 32 == seen { pthread_cond_wait(wakeUp, mutex) }
                    pthread_mutex_unlock(mutex)
                    watchedSince = nil
                } else {
                    if watchedSince == nil { watchedSince = now }
                    sched_yield()
                }
                generation = ticket.load(ordering: .acquiring) >> 32
            }
            seen = generation
            takeIterations(of: generation)
        }
    }

    private static func nanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
