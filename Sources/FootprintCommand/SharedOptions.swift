import ArgumentParser
import Carbon
import Energy
import Footprint
import FootprintMetrics
import Foundation
import PostgresRunStore
import Reporting
import RunStore
import RunModel
import Vocabulary

/// `--db`, shared by every command that reads or writes runs.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .customLong("db"),
        help: ArgumentHelp(
            "The run store: a SQLite file or a postgres://user@host:port/database URL (password from PGPASSWORD or ~/.pgpass) (default: $FOOTPRINT_DB, else ./footprint.sqlite).",
            valueName: "path|url"))
    var databasePath: String?

    var resolvedPath: String {
        RunDatabase.resolvedPath(explicitPath: databasePath, environment: ProcessInfo.processInfo.environment)
    }

    /// The file or server `--db` / `FOOTPRINT_DB` names.
    var location: RunStoreLocation { RunStoreLocation(resolvedPath) }

    func validate() throws {
        // `mysql://…` or `sqlite://…` would otherwise be taken for a file name.
        if case .file(let path) = location, let scheme = path.range(of: "://").map({ path[..<$0.lowerBound] }),
            !scheme.isEmpty, scheme.allSatisfy({ $0.isLetter || $0 == "+" })
        {
            let source = databasePath == nil ? "FOOTPRINT_DB" : "--db"
            throw ValidationError(
                "\(source) names a \(scheme):// store; Footprint keeps runs in a SQLite file (a path) or PostgreSQL (postgres://user@host:port/database)."
            )
        }
    }

    /// Opens the store a reading command works on. A missing file is not created: reading
    /// commands leave no empty database behind in whatever directory they ran from.
    func open() throws -> any RunStorage {
        if case .file(let path) = location, !FileManager.default.fileExists(atPath: path) {
            printError(
                "footprint: no run database at \(path) yet. Record a run first (footprint train, footprint wrap -- CMD), or point --db or FOOTPRINT_DB at an existing one."
            )
            throw ExitCode(1)
        }
        return try PostgresRunStore.readingOpener(location, TrackerOptions.busyTimeout())
    }

    /// Opens stores for the commands that record runs (train, wrap, demo): a PostgreSQL store
    /// is wrapped so that, should the server stop answering mid-run, the run goes on into the
    /// local file (`FOOTPRINT_FALLBACK_DB`, else ./footprint.sqlite) instead of failing.
    static let recordingOpener: RunStoreOpener = { location, busyTimeoutSeconds in
        let store = try PostgresRunStore.opener(location, busyTimeoutSeconds)
        guard let server = store as? PostgresRunStore else { return store }
        let environment = ProcessInfo.processInfo.environment
        let fallbackPath = environment["FOOTPRINT_FALLBACK_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "./" + RunDatabase.defaultFileName
        return FallbackRunStorage(
            primary: server, primaryName: server.serverDescription, fallbackDescription: fallbackPath,
            openFallback: { try RunDatabase.open(path: fallbackPath, busyTimeoutSeconds: busyTimeoutSeconds) },
            notice: { printError($0) })
    }
}

/// Carbon accounting flags, with `FOOTPRINT_COUNTRY`, `FOOTPRINT_INTENSITY`, `FOOTPRINT_PUE`.
struct CarbonOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp("ISO 3166 alpha-3 country of the grid (default: $FOOTPRINT_COUNTRY, else the world average).", valueName: "ISO3")
    )
    var country: String?

    @Option(help: ArgumentHelp("Grid intensity in gCO2e/kWh; overrides the country's ($FOOTPRINT_INTENSITY).", valueName: "g"))
    var intensity: Double?

    @Option(
        help: ArgumentHelp(
            "Power usage effectiveness, a number or a preset: local (1.0, default), datacentre (1.56), gcp, aws, azure ($FOOTPRINT_PUE).",
            valueName: "P"))
    var pue: String?

    @Option(
        name: .customLong("embodied-kg"),
        help: ArgumentHelp("Embodied carbon of the hardware in kgCO2e, amortised over --lifetime-years.", valueName: "kg"))
    var embodiedKilograms: Double?

    @Option(
        name: .customLong("lifetime-years"), help: ArgumentHelp("Hardware lifetime for the embodied share (default 4).", valueName: "years")
    )
    var lifetimeYears: Double?

    func settings() throws -> CarbonSettings {
        var settings = try CarbonSettings.fromEnvironment()
        if let country { settings.countryCode = country }
        if let intensity { settings.intensityOverrideGramsPerKilowattHour = intensity }
        if let pue {
            if let value = Double(pue) {
                settings.pue = value
            } else if let preset = PUEPreset(named: pue) {
                settings.pue = preset.value
            } else {
                throw ValidationError(
                    "Unknown --pue '\(pue)': give a number ≥ 1 or one of \(PUEPreset.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
        }
        if let embodiedKilograms {
            settings.embodiedKilogramsCO2e = embodiedKilograms
            settings.lifetimeYears = lifetimeYears ?? 4
        } else if lifetimeYears != nil {
            throw ValidationError("--lifetime-years needs --embodied-kg.")
        }
        do {
            try settings.validate()
            _ = try AppliedIntensity.resolve(settings)
        } catch {
            throw ValidationError("\(error)")
        }
        return settings
    }
}

extension MeterKind: ExpressibleByArgument {}

/// `--meter NAME` (repeatable) and `FOOTPRINT_METERS`: which meters of the chain may be used.
struct MeterChoice: ParsableArguments {
    @Option(
        name: .customLong("meter"),
        help: ArgumentHelp(
            "Use only this meter (repeatable): \(MeterKind.knownNames). Default: $FOOTPRINT_METERS, else the whole chain.",
            valueName: "name"))
    var meters: [MeterKind] = []

    func validate() throws {
        do {
            _ = try MeterOptions.meterChoice(from: ProcessInfo.processInfo.environment)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// The chosen meters: `--meter` first, else `FOOTPRINT_METERS`, else nil (all of them).
    var allowed: Set<MeterKind>? {
        if !meters.isEmpty { return Set(meters) }
        return try? MeterOptions.meterChoice(from: ProcessInfo.processInfo.environment)
    }
}

/// Energy measurement flags.
struct MeterFlags: ParsableArguments {
    @OptionGroup var choice: MeterChoice

    @Option(
        name: .customLong("interval"),
        help: ArgumentHelp(
            "Longest gap between power samples (default 1 s): sampling starts at 10 ms and slows towards this as the run goes, so short runs still get about 20 samples.",
            valueName: "s"))
    var intervalSeconds: Double?

    @Option(
        name: .customLong("baseline"),
        help: ArgumentHelp("Measure idle power for this many seconds first, to report net energy.", valueName: "s"))
    var baselineSeconds: Double?

    @Option(
        name: .customLong("powercap-root"),
        help: ArgumentHelp(
            "Read RAPL zones under this directory instead of /sys/class/powercap ($FOOTPRINT_POWERCAP_ROOT).", valueName: "path"))
    var powercapRoot: String?

    @Option(
        name: .customLong("cpu-watts"),
        help: ArgumentHelp("CPU power for the estimate when no meter can be read, in watts (overrides the TDP table).", valueName: "W"))
    var cpuWatts: Double?

    @Flag(name: .customLong("psys"), help: "Use the RAPL psys (whole SoC) zone instead of package + dram.")
    var preferPsys = false

    func validate() throws {
        if let intervalSeconds, !(intervalSeconds >= 0.01 && intervalSeconds <= 3600) {
            throw ValidationError("--interval must be between 0.01 and 3600 seconds, got \(intervalSeconds).")
        }
        if let baselineSeconds, !(baselineSeconds > 0 && baselineSeconds <= 3600) {
            throw ValidationError("--baseline must be between 0 and 3600 seconds, got \(baselineSeconds).")
        }
        if let cpuWatts, !(cpuWatts > 0 && cpuWatts < 10_000) {
            throw ValidationError("--cpu-watts must be a positive number of watts, got \(cpuWatts).")
        }
    }

    func meterOptions() -> MeterOptions {
        var options = MeterOptions.fromEnvironment(ProcessInfo.processInfo.environment)
        if let powercapRoot { options.usePowercapRoot(powercapRoot) }
        if let intervalSeconds { options.samplingIntervalSeconds = intervalSeconds }
        if let cpuWatts { options.cpuWatts = cpuWatts }
        if preferPsys { options.preferPsys = true }
        options.allowedMeters = choice.allowed
        return options
    }
}

/// `--job KEY`: the job a recording is one rank of.
struct JobOption: ParsableArguments {
    @Option(
        name: .customLong("job"),
        help: ArgumentHelp(
            "Record this run as one rank of job KEY (default: slurm:$SLURM_JOB_ID[.$SLURM_STEP_ID], else torchelastic:$TORCHELASTIC_RUN_ID). Rank and node come from RANK/SLURM_PROCID, LOCAL_RANK/SLURM_LOCALID and the host name; local rank 0 reads the node's host meters.",
            valueName: "key"))
    var key: String?

    func validate() throws {
        if let key, key.trimmingCharacters(in: .whitespaces).isEmpty || key.count > 200 {
            throw ValidationError("--job needs a key of 1 to 200 characters, got '\(key)'.")
        }
    }

    /// The job from `--job` and the launcher's variables, or nil.
    var context: JobContext? { JobContext.detect(explicitKey: key) }
}

/// The options a recording command turns into a tracker.
///
/// - Parameters:
///   - job: The job this process is a rank of (`--job`, Slurm, torchrun), or nil.
///   - live: Receives the runs' live snapshots (`--metrics-port`, `--pushgateway`).
func makeTracker(
    store: StoreOptions, carbon: CarbonOptions, meters: MeterFlags, job: JobContext? = nil, live: LiveMetricsPublisher? = nil
) throws -> Tracker {
    var options = TrackerOptions(
        databasePath: store.resolvedPath, meters: meters.meterOptions(), carbon: try carbon.settings(),
        baselineSeconds: meters.baselineSeconds,
        // A `--db postgres://user:password@…` argument is stored without its password.
        commandLine: CommandLine.arguments.map(RunStoreLocation.redacting).joined(separator: " "))
    options.busyTimeoutSeconds = TrackerOptions.busyTimeout()
    options.job = job
    if let live { options.liveObserver = { live.observe($0) } }
    options.storeOpener = StoreOptions.recordingOpener
    return try Tracker(options: options)
}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// True when standard error is a terminal (progress lines go there).
var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
var standardInputIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }

/// Writes a report with `write`, printing the Markdown path; a write failure is one line and
/// exit status 1.
func writeReport(to path: String, _ write: (String) throws -> [String]) throws {
    do {
        _ = try write(path)
    } catch let error as ReportingError {
        printError("footprint: \(error)")
        throw ExitCode(1)
    }
    print(path)
}

/// `--repeat N` and `--json-output FILE`, shared by `train` and `wrap`.
struct RecordingOutputOptions: ParsableArguments {
    @Option(
        name: .customLong("repeat"),
        help: ArgumentHelp(
            "Run N trials, each recorded as a run and tagged as one group; prints the median and 95% interval of energy, time, CO2e and quality (with --json: {runs, summary}).",
            valueName: "N"))
    var repeatCount: Int = 1

    @Option(
        name: .customLong("json-output"),
        help: ArgumentHelp(
            "Also write the JSON object (--json's) to this file: safe to parse even when the program prints to stdout.",
            valueName: "file"))
    var jsonOutput: String?

    func validate() throws {
        if repeatCount < 1 || repeatCount > 1000 { throw ValidationError("--repeat must be between 1 and 1000, got \(repeatCount).") }
        if let jsonOutput {
            if jsonOutput.isEmpty || jsonOutput.hasSuffix("/") {
                throw ValidationError("--json-output needs a file name, got '\(jsonOutput)'.")
            }
            let directory = (jsonOutput as NSString).deletingLastPathComponent
            var isDirectory: ObjCBool = false
            if !directory.isEmpty, !(FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) && isDirectory.boolValue)
            {
                throw ValidationError("--json-output: the directory \(directory) does not exist.")
            }
        }
    }

    /// Reads a finished run back and writes its JSON to `--json-output`, if given.
    ///
    /// - Returns: The run's document and its JSON text, for `--json` or a table.
    func finishedRun(_ id: Int64, in database: any RunStorage) throws -> (document: RunDocument, json: String) {
        let document = try RunDocument.load(id: id, from: database)
        let text = try document.jsonText()
        try writeJSON(text, databasePath: database.locationDescription, runNumbers: [database.storedRunNumber(id)])
        return (document, text)
    }

    /// Writes `text` to `--json-output`, if given; a failure is one line and exit status 1
    /// naming the file, the reason, and the run numbers the runs were recorded under, since
    /// they are recorded all the same.
    ///
    /// - Parameter runNumbers: the stored numbers of the runs `text` describes.
    func writeJSON(_ text: String, databasePath: String, runNumbers: [Int64] = []) throws {
        guard let jsonOutput else { return }
        if let reason = Self.writeAtomically(Data((text + "\n").utf8), to: jsonOutput) {
            printError(Self.jsonOutputFailure(path: jsonOutput, reason: reason, databasePath: databasePath, runNumbers: runNumbers))
            throw ExitCode(1)
        }
    }

    /// The one line printed when `--json-output` cannot be written.
    static func jsonOutputFailure(path: String, reason: String, databasePath: String, runNumbers: [Int64]) -> String {
        let recorded: String
        switch runNumbers.count {
        case 0:
            recorded = "The run was recorded in \(databasePath) all the same; `footprint runs` lists it."
        case 1:
            recorded =
                "The run was recorded all the same, as run \(runNumbers[0]) in \(databasePath): "
                + "`footprint show \(runNumbers[0]) --json` prints the same object."
        default:
            let numbers = runNumbers.map(String.init).joined(separator: ", ")
            recorded =
                "The runs were recorded all the same, as runs \(numbers) in \(databasePath): "
                + "`footprint show N --json` prints each one's object."
        }
        return "footprint: cannot write --json-output \(path): \(reason). " + recorded
    }

    /// Writes `data` to `path` through a temporary file beside it and a rename, so a reader
    /// never sees half an object.
    ///
    /// - Returns: nil when written, else the reason ("Permission denied (errno 13)").
    static func writeAtomically(_ data: Data, to path: String) -> String? {
        func reason(_ code: Int32) -> String { "\(String(cString: strerror(code))) (errno \(code))" }
        var template = Array((path + ".footprint-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { buffer -> Int32 in buffer.baseAddress.map { mkstemp($0) } ?? -1 }
        guard fd >= 0 else { return reason(errno) }
        let temporary = String(cString: template)
        var failure: Int32 = 0
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(fd, bytes.baseAddress?.advanced(by: offset), bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        // mkstemp creates 0600; give the file the mode a plain create would (0666 less the umask).
        let mask = umask(0)
        umask(mask)
        if failure == 0, fchmod(fd, 0o666 & ~mask) != 0 { failure = errno }
        if close(fd) != 0, failure == 0 { failure = errno }
        if failure == 0, rename(temporary, path) != 0 { failure = errno }
        if failure != 0 {
            unlink(temporary)
            return reason(failure)
        }
        return nil
    }
}
