import Testing
import TierbenchCore

/// The machine's CPU counters from `/proc/stat` text, the busy share between two samples, and the self-check rule.
@Suite("Self-check: machine CPU")
struct MachineCPUTimesTests {
    @Test("the aggregate cpu line: busy is everything but idle and iowait, guest time not counted twice")
    func parsesTheCPULine() throws {
        let text = """
            cpu  100 5 50 800 20 3 2 10 7 0
            cpu0 50 2 25 400 10 1 1 5 3 0
            intr 12345
            """
        let times = try #require(MachineCPUTimes.parse(procStat: text))
        // total = 100+5+50+800+20+3+2+10 = 990; busy = 990 − 800 − 20 = 170
        #expect(times == MachineCPUTimes(busy: 170, total: 990))
        #expect(MachineCPUTimes.parse(procStat: "intr 1\n") == nil)
        #expect(MachineCPUTimes.parse(procStat: "cpu  1 x 3 4\n") == nil)
    }

    @Test("busy share between samples, and the 90 % rule")
    func busyShareAndRule() {
        let start = MachineCPUTimes(busy: 170, total: 990)
        // +200 ticks, 190 of them busy → 0.95
        let end = MachineCPUTimes(busy: 360, total: 1_190)
        #expect(MachineCPUTimes.busyShare(from: start, to: end) == 0.95)
        #expect(MachineCPUTimes.busyShare(from: end, to: start) == nil)
        var busy = SelfCheckMeasurement(
            loopLag: DurationHistogram(), processCPUSeconds: 0.2, wallSeconds: 1, busiestLoadThreadCPU: 0.1,
            coresAvailable: 2)
        busy.machineCPUBusy = 0.95
        let check = SelfCheckRules.evaluate(busy, itlP50Ms: nil)
        #expect(!check.trusted && check.machineCPUBusy == 0.95)
        #expect(check.problems == [check.problems[0]] && check.problems[0].hasPrefix("machine CPU 95 % busy over the run"))
        busy.machineCPUBusy = 0.85
        #expect(SelfCheckRules.evaluate(busy, itlP50Ms: nil).trusted)
    }
}
