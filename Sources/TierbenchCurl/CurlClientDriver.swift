import TierbenchCore

/// The ``CurlClient`` loop's driver: moves jobs from the inbox into free slots and collects each response.
final class CurlClientDriver: CurlDriver {
    private let inbox: CurlClientInbox
    private var waiting: [CurlClientJob] = []
    private var waitingHead = 0
    private var running: [CurlClientJob?]
    private var headers: [[String]]
    private var bodies: [[UInt8]]
    private var shuttingDown = false

    init(inbox: CurlClientInbox, slots: Int) {
        self.inbox = inbox
        running = Array(repeating: nil, count: slots)
        headers = Array(repeating: [], count: slots)
        bodies = Array(repeating: [], count: slots)
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
        bodies[slot].append(contentsOf: data)
    }

    func completed(slot: Int, result: TransferResult, now: UInt64) {
        guard let job = running[slot] else { return }
        running[slot] = nil
        job.continuation.resume(returning: (result, headers[slot], bodies[slot]))
        headers[slot] = []
        bodies[slot] = []
    }
}
