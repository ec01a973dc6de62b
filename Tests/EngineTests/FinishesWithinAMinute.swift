import Dispatch

/// Runs `body` on another thread and waits for it at most a minute: false when it has not
/// returned by then. A test of code that could wait forever (a lost wake-up, a fold that never
/// comes) then fails instead of hanging the suite.
func finishesWithinAMinute(_ body: @escaping @Sendable () -> Void) -> Bool {
    let finished = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
        body()
        finished.signal()
    }
    return finished.wait(timeout: .now() + 60) == .success
}
