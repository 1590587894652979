@testable import RegistryCore
import Testing

/// A sweep read in pages (`PagedSweep`, kept by `SweepSchedule` as the sweep in progress):
/// where each page starts, when the last one has come, what ends or abandons it.
@Suite struct PagedSweepTests {
    @Test func aFullPageAsksForTheRowsAfterItsLastIDAShortOneEndsTheSweep() {
        var sweep = PagedSweep(policy: .repairSweep, pageRows: 3)
        #expect(sweep.isFirstPage)
        #expect(sweep.read(.init(rows: 3, lastID: 7, created: 3)) == .page(after: 7))
        #expect(!sweep.isFirstPage)
        #expect(sweep.read(.init(rows: 3, lastID: 12, rewritten: 1, failed: 1)) == .page(after: 12))
        #expect(sweep.read(.init(rows: 2, lastID: 15, created: 2)) == .lastPass)
        #expect(sweep.total == PagedSweep.Page(rows: 8, lastID: nil, created: 5, rewritten: 1, failed: 1))
        #expect(sweep.pages == 3 && sweep.lastID == 15)
    }

    @Test func aTableOfExactlyFullPagesEndsWithAnEmptyOne() {
        var sweep = PagedSweep(policy: .check, pageRows: 2)
        #expect(sweep.read(.init(rows: 2, lastID: 2)) == .page(after: 2))
        #expect(sweep.read(.init(rows: 0, lastID: nil)) == .lastPass)
        var empty = PagedSweep(policy: .check, pageRows: 2)
        #expect(empty.read(.init(rows: 0, lastID: nil)) == .lastPass)
    }

    @Test func theStateMachineKeepsTheSweepInProgressFromItsFirstPageToItsEnd() {
        var state = serving(StateFixtures.quiet)
        #expect(state.sweeps.current == nil)
        #expect(state.sweepPageRead(.init(rows: 1, lastID: 1)) == nil, "no sweep in progress: the page is left alone")
        state.note(.sweepSent(.check), now: 10)
        #expect(state.sweeps.current?.policy == .check && state.sweeps.current?.isFirstPage == true)
        let full = PagedSweep.defaultPageRows
        #expect(state.sweepPageRead(.init(rows: full, lastID: full)) == .page(after: full))
        #expect(state.sweepPageRead(.init(rows: 1, lastID: full + 1)) == .lastPass)
        #expect(state.sweeps.current?.total.rows == full + 1)
        _ = state.handle(.sweepFinished, now: 20)
        #expect(state.sweeps.current == nil && state.sweeps.at == 20 + StateFixtures.quiet.sweepIntervalMicroseconds)
    }

    @Test func aSweepInProgressEndsWhenItFailsOrGoesWithTheConnection() {
        var state = serving(StateFixtures.quiet)
        state.note(.sweepSent(.repairSweep), now: 10)
        _ = state.handle(.sweepFailed(.repairSweep), now: 20, delay: StateFixtures.fixed)
        #expect(state.sweeps.current == nil)
        #expect(state.debounce.repairOwed, "a repairing sweep is still owed")
        state.note(.sweepSent(.check), now: 30)
        _ = state.handle(.disconnected, now: 40, delay: StateFixtures.fixed)
        #expect(state.sweeps.current == nil, "the reconnect's repairing sweep begins anew")
        _ = state.handle(.connected, now: 50)
        state.note(.sweepSent(.repairSweep), now: 50)
        #expect(state.sweeps.current?.isFirstPage == true)
    }

    @Test func aReloadWaitsForTheEndOfTheRepairingSweepSentAfterItNotForItsFirstPage() {
        var state = serving(StateFixtures.quiet)
        _ = state.handle(.reload, now: 10)
        state.note(.sweepSent(.repairSweep), now: 10)
        #expect(state.sweepPageRead(.init(rows: PagedSweep.defaultPageRows, lastID: 5_000)) == .page(after: 5_000))
        #expect(state.readiness.owed == .sweepToEnd)
        #expect(state.sweepPageRead(.init(rows: 0, lastID: nil)) == .lastPass)
        #expect(state.handle(.sweepFinished, now: 30).contains(.notifyReady))
    }

    @Test func aRecordKeepsTheFirstRepairsOfEveryPageAndCountsTheRest() {
        let persona = Persona(id: 1, slug: "developer-con-1", name: "Con", role: "developer", roleID: 1, status: .active,
                              description: nil, createdAt: "2026-11-24T17:22:53Z")
        let repair = RepairResult(action: .createDirectory(persona), outcome: MaterializeOutcome())
        var record = RepairSweepRecord(startedMicroseconds: 5)
        record.add(Array(repeating: repair, count: RepairSweepRecord.entryLimit - 1))
        record.add([repair, repair, repair])
        #expect(record.entries.count == RepairSweepRecord.entryLimit && record.omitted == 2)
        #expect(RepairSweepRecord(fileText: record.fileText) == record)
    }
}
