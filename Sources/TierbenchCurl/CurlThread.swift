#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts a dedicated OS thread (pthread, detached) for a blocking event loop, outside Swift's cooperative pool.
public enum CurlThread {
    /// Runs `body` on a new detached thread.
    /// - Throws: `CurlError` (code = the pthread error) when the thread cannot be created.
    public static func detach(_ body: @escaping @Sendable () -> Void) throws(CurlError) {
        let box = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
        #if canImport(Glibc)
        var thread = pthread_t()
        #else
        var thread: pthread_t? = nil
        #endif
        let code = pthread_create(&thread, nil, { context in
            guard let context else { return nil }
            let body = Unmanaged<ThreadBody>.fromOpaque(context).takeRetainedValue()
            body.run()
            return nil
        }, box)
        guard code == 0 else {
            Unmanaged<ThreadBody>.fromOpaque(box).release()
            throw CurlError(code: code, message: "pthread_create failed: \(String(cString: strerror(code)))")
        }
        #if canImport(Glibc)
        pthread_detach(thread)
        #else
        if let thread { pthread_detach(thread) }
        #endif
    }
}

/// What a new thread runs, handed over through `pthread_create`'s context pointer.
private final class ThreadBody {
    let run: @Sendable () -> Void

    init(_ run: @escaping @Sendable () -> Void) { self.run = run }
}
