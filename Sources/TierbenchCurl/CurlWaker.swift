import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Wakes a ``CurlLoop`` blocked in `epoll_wait`, from any thread, by writing to the loop's eventfd.
///
/// The lock only guards the descriptor's lifetime: the loop invalidates its waker before closing the eventfd, after
/// which `wake()` does nothing (and can never write to a descriptor number reused by someone else).
public final class CurlWaker: Sendable {
    /// The loop's eventfd; nil once invalidated.
    private let descriptor: Mutex<Int32?>

    init(eventFD: Int32) {
        descriptor = Mutex(eventFD)
    }

    /// Makes the loop's current or next `epoll_wait` return at once, so it ticks its driver.
    public func wake() {
        descriptor.withLock { fd in
            guard let fd else { return }
            var one: UInt64 = 1
            // EAGAIN (the counter is full) still leaves the eventfd readable: the wake-up is not lost.
            _ = write(fd, &one, MemoryLayout<UInt64>.size)
        }
    }

    /// Detaches the waker from an eventfd that is about to be closed.
    func invalidate() {
        descriptor.withLock { $0 = nil }
    }
}
