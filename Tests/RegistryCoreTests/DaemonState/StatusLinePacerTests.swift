import RegistryCore
import Testing

@Suite("STATUS= paced: at once on a phase change, else at most once a second, the last change never lost")
struct StatusLinePacerTests {
    @Test("the first line goes at once; a burst's changes wait for the second and the timer is armed for it")
    func burst() {
        var pacer = StatusLinePacer<String>()
        #expect(pacer.dueAt == nil && !pacer.isDue(phase: "listening", now: 0))
        pacer.owe()
        #expect(pacer.isDue(phase: "listening", now: 5_000))
        pacer.didSend(phase: "listening", now: 5_000)
        #expect(pacer.dueAt == nil, "nothing owed: no timer")
        for now in stride(from: UInt64(6_000), to: 1_000_000, by: 50_000) {
            pacer.owe()
            #expect(!pacer.isDue(phase: "listening", now: now))
        }
        #expect(pacer.dueAt == 1_005_000, "the burst's last counts: due a second after the last line")
        #expect(pacer.isDue(phase: "listening", now: 1_005_000))
        pacer.didSend(phase: "listening", now: 1_005_000)
        #expect(pacer.dueAt == nil && !pacer.isOwed)
    }

    @Test("a phase change goes at once, whenever the last line was sent")
    func phaseChange() {
        var pacer = StatusLinePacer<String>()
        pacer.owe()
        pacer.didSend(phase: "listening", now: 10)
        pacer.owe()
        #expect(!pacer.isDue(phase: "listening", now: 20))
        #expect(pacer.isDue(phase: "waiting for PostgreSQL", now: 20))
    }

    @Test("after another STATUS= replaced the line, the next one goes at once")
    func replaced() {
        var pacer = StatusLinePacer<String>()
        pacer.owe()
        pacer.didSend(phase: "listening", now: 10)
        pacer.replaced()
        #expect(!pacer.isDue(phase: "listening", now: 20), "nothing owed yet")
        pacer.owe()
        #expect(pacer.isDue(phase: "listening", now: 20))
        #expect(pacer.dueAt == 0)
    }
}
