internal import CCurl
import Synchronization

/// Wakes a ``CurlLoop`` blocked in `curl_multi_poll`, from any thread.
///
/// `curl_multi_wakeup` is documented as callable from any thread (libcurl ≥ 7.68). The lock only guards the
/// handle's lifetime: the loop invalidates its waker before `curl_multi_cleanup`, after which `wake()` does nothing.
public final class CurlWaker: Sendable {
    /// The multi handle as an address (not a pointer, so the state is plainly `Sendable`); nil once invalidated.
    private let multi: Mutex<UInt?>

    init(multi: UnsafeMutableRawPointer) {
        self.multi = Mutex(UInt(bitPattern: multi))
    }

    /// Makes the loop's current or next `curl_multi_poll` return at once, so it ticks its driver.
    public func wake() {
        multi.withLock { address in
            if let address, let handle = UnsafeMutableRawPointer(bitPattern: address) {
                _ = curl_multi_wakeup(handle)
            }
        }
    }

    /// Detaches the waker from a multi handle that is about to be cleaned up.
    func invalidate() {
        multi.withLock { $0 = nil }
    }
}
