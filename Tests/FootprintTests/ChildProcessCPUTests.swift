import Testing

@testable import Footprint

/// The wrapped child's CPU time from its /proc stat line, which the sampler reads at every sample.
@Suite struct ChildProcessCPUTests {
    @Test func cpuTimeIsUserSystemAndWaitedChildrensTicksEvenWithParenthesesInTheName() throws {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime …
        let line = "4242 (py (train) x) S 1 4242 4242 0 -1 4194304 900 0 0 0 150 50 30 20 20 0 1 0 123 4096 100\n"
        let seconds = try #require(ChildProcessCPU.parse(line))
        #expect(abs(seconds - 250 / ChildProcessCPU.ticksPerSecond) < 1e-12)
    }

    @Test func aCutOrGarbledStatLineGivesNothing() {
        #expect(ChildProcessCPU.parse("4242 (python) S 1 2 3") == nil)
        #expect(ChildProcessCPU.parse("no parenthesis here 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15") == nil)
        #expect(ChildProcessCPU.parse("1 (x) S 1 1 1 0 -1 0 0 0 0 0 ten 50 30 20 20 0 1 0 1 1 1") == nil)
    }
}
