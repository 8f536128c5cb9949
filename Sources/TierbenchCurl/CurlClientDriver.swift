#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TierbenchCore

/// The ``CurlClient`` loop's driver: moves jobs from the inbox into free slots and collects each response.
final class CurlClientDriver: CurlDriver {
    private let inbox: CurlClientInbox
    private var waiting: [CurlClientJob] = []
    private var waitingHead = 0
    private var running: [CurlClientJob?]
    private var headers: [[String]]
    private var bodies: [[UInt8]]
    /// Per slot: the file the body goes to (`CurlClient.send(_:bodyTo:)`), and the errno of a failed write.
    private var sinks: [Int32?]
    private var sinkErrors: [Int32?]
    private var shuttingDown = false

    init(inbox: CurlClientInbox, slots: Int) {
        self.inbox = inbox
        running = Array(repeating: nil, count: slots)
        headers = Array(repeating: [], count: slots)
        bodies = Array(repeating: [], count: slots)
        sinks = Array(repeating: nil, count: slots)
        sinkErrors = Array(repeating: nil, count: slots)
    }

    var isFinished: Bool { shuttingDown }

    func tick(_ loop: CurlLoop, now: UInt64) -> UInt64? {
        let (jobs, isShutDown) = inbox.take()
        waiting.append(contentsOf: jobs)
        if isShutDown {
            shuttingDown = true
            for job in waiting[waitingHead...] {
                job.continuation.resume(returning: CurlClientInbox.failed("client shut down"))
            }
            waiting.removeAll()
            waitingHead = 0
            loop.abortAll()
            return nil
        }
        for slot in 0..<running.count where running[slot] == nil && waitingHead < waiting.count {
            let job = waiting[waitingHead]
            waitingHead += 1
            running[slot] = job
            headers[slot].removeAll()
            bodies[slot].removeAll()
            sinks[slot] = job.sink
            sinkErrors[slot] = nil
            loop.start(slot: slot, request: job.request)
        }
        if waitingHead == waiting.count {
            waiting.removeAll(keepingCapacity: true)
            waitingHead = 0
        }
        return nil
    }

    func receivedHeader(slot: Int, line: UnsafeRawBufferPointer) {
        var bytes = line[...]
        while let last = bytes.last, last == 10 || last == 13 { bytes = bytes.dropLast() }
        if !bytes.isEmpty { headers[slot].append(String(decoding: bytes, as: UTF8.self)) }
    }

    func received(slot: Int, data: UnsafeRawBufferPointer, now: UInt64) {
        guard let fd = sinks[slot] else {
            bodies[slot].append(contentsOf: data)
            return
        }
        guard sinkErrors[slot] == nil, let base = data.baseAddress else { return }
        var offset = 0
        while offset < data.count {
            let written = write(fd, base + offset, data.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                sinkErrors[slot] = errno
                return
            }
            offset += written
        }
    }

    func completed(slot: Int, result: TransferResult, now: UInt64) {
        guard let job = running[slot] else { return }
        running[slot] = nil
        var result = result
        if let code = sinkErrors[slot] {
            result.errorClass = .other
            result.errorMessage = "cannot write the response body to its file: \(String(cString: strerror(code)))"
        }
        sinks[slot] = nil
        sinkErrors[slot] = nil
        job.continuation.resume(returning: (result, headers[slot], bodies[slot]))
        headers[slot] = []
        bodies[slot] = []
    }
}
