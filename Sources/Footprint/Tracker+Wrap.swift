import Foundation
import RunStore
import Synchronization
import RunModel

/// How a wrapped command ended.
public struct WrappedCommand: Sendable {
    public var runID: Int64
    /// The command's exit status, or 128 + the signal that killed it; 127 when it could not start.
    public var exitStatus: Int32
    public var record: RunRecord
    /// The first malformed event lines that were skipped, described (at most
    /// ``EventLimits/reportedProblems``: the rest are only counted).
    public var ignoredEventLines: [String]
    /// Every event line skipped.
    public var ignoredEventLineCount: Int
    /// Epochs the store could not take (a full disk); the run keeps those it took.
    public var unrecordedEpochCount: Int
    /// Why the run's end could not be stored (a disk too full for even its own row): the run
    /// then stays `running` in the store until a later listing marks it crashed. `record` is the
    /// run as it would have been stored.
    public var finishFailure: String?
    /// The MLflow run the program logs to, from its last `tracking` event; nil when it sent none.
    public var mlflowRunID: String? = nil
    /// That run's tracking URI as the program sent it (it may hold credentials: show it only
    /// through `MLflowRedaction.uriWithoutCredentials`); nil when it sent none.
    public var mlflowTrackingURI: String? = nil
}

/// The process id of the running child, for the signal handlers to forward to.
private let childProcess = Atomic<Int32>(0)
/// A SIGINT or SIGTERM that arrived while no child was running (during the meters' probe, say):
/// the child is then not started, or receives it as soon as it is.
private let pendingSignal = Atomic<Int32>(0)

extension Tracker {
    /// Runs `command` with inherited standard streams, measuring it as a run of kind `wrap`.
    ///
    /// The child gets `FOOTPRINT_EVENTS`, the path of a FIFO where it may write JSON lines
    /// (`{"event":"epoch","index":1,"loss":0.3}`) that become epochs with their own energy and
    /// time, and `FOOTPRINT_RUN_ID`. SIGTERM, and SIGINT sent by another process, are forwarded
    /// to the child (a terminal's Ctrl-C already reaches it, being sent to the whole process
    /// group, so it is not sent twice).
    ///
    /// - Parameters:
    ///   - command: The program and its arguments; the program is looked up in `PATH`.
    ///   - name: Run name (default: the command line).
    ///   - tags: Extra tags.
    ///   - warn: Receives warnings, such as a malformed event line.
    /// - Returns: The run id, the exit status and the stored record.
    /// - Throws: `RunStoreError` when the run cannot be recorded.
    public func wrap(command: [String], name: String? = nil, tags: [String] = [], warn: @escaping @Sendable (String) -> Void = { _ in })
        throws -> WrappedCommand
    {
        // Handlers first: a signal during start-up (the probe, opening the store) must not kill
        // footprint with the run left `running`.
        pendingSignal.store(0, ordering: .relaxed)
        Self.installForwarding()
        var record = RunRecord(name: name ?? command.joined(separator: " "), kind: .wrap, startedAt: Date(), host: "")
        record.command = JSONText.encode(command)
        record.modelDescription = command.first
        record.tags = tags
        let childCPU = ChildProcessCPU()
        let session = try RunSession(
            database: database, options: options, record: record, processCPUSeconds: { childCPU.seconds() }, calculator: carbonCalculator)
        session.flushPeriodically(everySeconds: flushIntervalSeconds)
        let intake = EventIntake(session: session, warn: warn)
        let channel: EventChannel?
        do {
            channel = try EventChannel()
        } catch {
            warn("\(error); per-epoch events are disabled for this run")
            channel = nil
        }
        channel?.start { intake.receive($0) }
        var added = ["FOOTPRINT_RUN_ID": "\(session.id)"]
        if let channel { added["FOOTPRINT_EVENTS"] = channel.path }
        let environment = ChildIsolation.environment(from: ProcessInfo.processInfo.environment, adding: added)

        let pending = pendingSignal.load(ordering: .relaxed)
        let spawned: Result<pid_t, SpawnFailure> =
            pending != 0
            ? .failure(SpawnFailure("not started: signal \(pending) arrived before the command started"))
            : Self.spawn(command, environment: environment)
        let exitStatus: Int32
        var errorText: String?
        var childCPUSeconds: Double?
        switch spawned {
        case .failure(let reason):
            exitStatus = pending != 0 ? 128 + pending : 127
            errorText = reason.description
        case .success(let pid):
            childCPU.follow(pid)
            childProcess.store(pid, ordering: .relaxed)
            // A signal that arrived between the check above and the store is passed on now.
            let late = pendingSignal.exchange(0, ordering: .relaxed)
            if late != 0 { kill(pid, late) }
            exitStatus = Self.waitForExit(pid)
            childProcess.store(0, ordering: .relaxed)
            childCPUSeconds = Self.childrenCPUSeconds()
            if exitStatus != 0 {
                errorText = exitStatus > 128 ? "killed by signal \(exitStatus - 128)" : "exited with status \(exitStatus)"
            }
        }
        channel?.stop()
        session.addNotes(intake.finish())
        let facts = intake.facts
        storeProgramFacts(facts, of: session, warn: warn)
        let status: RunStatus =
            switch exitStatus {
            case 0: .completed
            case 128 + SIGINT, 128 + SIGTERM: .interrupted
            default: .failed
            }
        // The command has run: a store that cannot take the run's end is reported with the
        // outcome, which keeps the command's exit status.
        let finished: RunRecord
        var finishFailure: String?
        do {
            finished = try session.finish(status: status, errorText: errorText, exitStatus: exitStatus, processCPUSeconds: childCPUSeconds)
        } catch {
            finishFailure = "\(error)"
            finished = session.record
        }
        return WrappedCommand(
            runID: session.id, exitStatus: exitStatus, record: finished, ignoredEventLines: intake.firstIgnoredLines,
            ignoredEventLineCount: intake.ignoredLineCount, unrecordedEpochCount: intake.unrecordedEpochCount, finishFailure: finishFailure,
            mlflowRunID: facts.mlflowRunID, mlflowTrackingURI: facts.mlflowTrackingURI)
    }

    /// Writes what the program said about itself into its run before the end: its model and
    /// FLOPs, samples and extra facts into the row, its final quality (the result event's, else
    /// the last epoch's) as the run's metrics. A store that refuses is noted; `finish` writes
    /// the row again.
    private func storeProgramFacts(_ facts: WrappedProgramFacts, of session: RunSession, warn: @Sendable (String) -> Void) {
        do {
            try session.update { facts.apply(to: &$0) }
            if let quality = facts.finalQuality {
                try session.database.insertMetrics(MetricRecord.rows(runID: session.id, quality: quality))
            }
        } catch {
            let problem = "the program's model facts or final quality were not stored: \(error)"
            warn(problem)
            session.addNotes([problem])
        }
    }

    /// Seconds between two flushes of a wrapped run's samples, energy and CO2e so far.
    public static let wrapFlushIntervalSeconds = 5.0

    private var flushIntervalSeconds: Double { options.flushIntervalSeconds ?? Self.wrapFlushIntervalSeconds }

    /// Starts the child with inherited standard streams.
    private static func spawn(_ command: [String], environment: [String: String]) -> Result<pid_t, SpawnFailure> {
        guard let program = command.first else { return .failure(SpawnFailure("no command given")) }
        let arguments = command.map { strdup($0) } + [nil]
        let variables = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            arguments.forEach { free($0) }
            variables.forEach { free($0) }
        }
        // The child starts with an empty signal mask and default handlers for the signals a
        // wrapper's own parent may have blocked or ignored, so `kill -TERM` reaches it as usual.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var emptyMask = sigset_t()
        sigemptyset(&emptyMask)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGPIPE, SIGXFSZ] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigmask(&attributes, &emptyMask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        // Standard streams only: no socket, database, listener or FIFO of Footprint's.
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        ChildIsolation.closeInheritedDescriptors(in: &actions)
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, program, &actions, &attributes, arguments, variables)
        guard result == 0 else {
            let reason =
                result == ENOENT
                ? "command not found: '\(program)' is not in PATH or does not exist"
                : "cannot start '\(program)': \(String(cString: strerror(result)))"
            return .failure(SpawnFailure(reason))
        }
        return .success(pid)
    }

    /// Waits for the child; returns its exit status or 128 + the signal that killed it.
    private static func waitForExit(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return 1 }
        }
        let low = status & 0x7F
        if low == 0 { return (status >> 8) & 0xFF }  // WIFEXITED → WEXITSTATUS
        return 128 + low  // WIFSIGNALED → 128 + WTERMSIG
    }

    /// CPU seconds of the waited-for children (the wrapped command and its descendants).
    private static func childrenCPUSeconds() -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)  // glibc imports the constant as an enum
        #else
        getrusage(RUSAGE_CHILDREN, &usage)
        #endif
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    /// Forwards SIGTERM, and SIGINT from another process, to the child; while no child runs,
    /// keeps the signal for it (see `pendingSignal`).
    private static func installForwarding() {
        StopSignal.unblock()
        var action = sigaction()
        let handler: @convention(c) (Int32, UnsafeMutablePointer<siginfo_t>?, UnsafeMutableRawPointer?) -> Void = { signal, info, _ in
            let child = childProcess.load(ordering: .relaxed)
            guard child > 0 else {
                pendingSignal.store(signal, ordering: .relaxed)
                return
            }
            // A terminal's Ctrl-C has si_pid 0 and already reached the child's process group.
            #if os(Linux)
            let sender = info?.pointee._sifields._kill.si_pid  // glibc's siginfo_t layout
            #else
            let sender = info?.pointee.si_pid
            #endif
            if signal == SIGINT, sender == 0 { return }
            kill(child, signal)
        }
        #if os(Linux)
        action.__sigaction_handler.sa_sigaction = handler
        #else
        action.__sigaction_u.__sa_sigaction = handler
        #endif
        action.sa_flags = SA_SIGINFO | SA_RESTART
        sigemptyset(&action.sa_mask)
        sigaction(SIGINT, &action, nil)
        sigaction(SIGTERM, &action, nil)
    }
}

private struct SpawnFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
