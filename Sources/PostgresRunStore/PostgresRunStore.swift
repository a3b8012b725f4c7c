import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import RunStore
import Synchronization

/// The run store on a PostgreSQL server shared by a team: the same runs, rules and errors as
/// the SQLite file (``RunDatabase``), reached through one connection.
///
/// ```swift
/// let store = try PostgresRunStore.open(url: "postgres://footprint@db.lab:5432/footprint")
/// let id = try store.insertRun(RunRecord(name: "mlp", kind: .train, startedAt: Date(), host: "n1"))
/// ```
///
/// ``RunStorage`` is synchronous, so every call waits on a SwiftNIO future (`wait()`) on the
/// caller's thread while the connection's event loop does the I/O. Blocking on a future needs
/// no other thread of the caller's, unlike a `Task` awaited through a semaphore, which can
/// deadlock Swift's cooperative pool when called from async code on a two-core machine. Calls
/// share the one connection one at a time (a lock); each is one statement or one transaction.
/// When the connection has dropped (a server restart), the call reconnects and runs once more.
///
/// The URL may carry `sslmode=disable|prefer|require` (TLS without certificate checks, as
/// libpq's `require`; default `disable`) and `schema=NAME`, a schema created on first use that
/// keeps Footprint's tables apart from others in the same database.
public final class PostgresRunStore: RunStorage, @unchecked Sendable {
    // @unchecked: `connection` and `isClosed` are only touched with `lock` held.

    /// The server, user, database and schema, without the password.
    public let locationDescription: String
    /// How long opening a connection may take before the server counts as unreachable.
    public let connectTimeoutSeconds: Double
    let address: PostgresAddress
    let hostName: String
    let processTable: ProcessTable
    private let lock = NSLock()
    private var connection: PostgresConnection?
    private var isClosed = false

    /// The connect timeout used unless another is given.
    public static let defaultConnectTimeoutSeconds = 5.0
    /// How long one call may wait for the server's answer before its connection is closed (and
    /// the call retried once on a new one): a server that hangs without closing the connection
    /// (a network partition, a frozen host) must not stall a training run forever. The recording
    /// commands then fail over to the local file.
    public static let defaultStatementTimeoutSeconds = 30.0
    /// This store's limit (see ``defaultStatementTimeoutSeconds``).
    public var statementTimeoutSeconds = defaultStatementTimeoutSeconds
    /// The schema version this build reads and writes.
    public static let schemaVersion = PostgresSchema.knownVersion

    /// PostgresNIO logs through swift-log; Footprint's output stays its own, so its logs are
    /// dropped (a logged statement could otherwise reach a terminal).
    static let logger = Logger(label: "footprint.postgres") { _ in SwiftLogNoOpLogHandler() }

    /// Opens the store at `url`, creating or upgrading its tables.
    ///
    /// - Parameters:
    ///   - url: `postgres://user[:password]@host[:port]/database[?sslmode=…&schema=…]`.
    ///   - connectTimeoutSeconds: How long to wait for the server before giving up.
    /// - Returns: The open store.
    /// - Throws: ``RunStoreError/server(location:detail:advice:)`` when the server cannot be
    ///   reached, refuses the login or lacks the database; ``RunStoreError/newerSchema(path:databaseVersion:knownVersion:)``
    ///   for a database a newer Footprint wrote; ``RunStoreError/invalidLocation(location:reason:)``
    ///   for a malformed URL.
    public static func open(url: String, connectTimeoutSeconds: Double = defaultConnectTimeoutSeconds) throws -> PostgresRunStore {
        let store = try PostgresRunStore(
            address: PostgresAddress(url: url), connectTimeoutSeconds: connectTimeoutSeconds, processTable: ProcessTable())
        do {
            try store.migrate()
        } catch {
            try? store.close()
            throw error
        }
        return store
    }

    init(address: PostgresAddress, connectTimeoutSeconds: Double, processTable: ProcessTable) throws {
        self.address = address
        self.locationDescription = address.redacted
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.processTable = processTable
        self.hostName = ProcessIdentity.currentHostName()
    }

    /// A store released without ``close()`` still closes its connection (PostgresNIO treats a
    /// connection that is never closed as a bug).
    deinit {
        if let connection, !connection.isClosed { try? connection.close().wait() }
    }

    /// Closes the connection; later calls fail.
    ///
    /// - Throws: Nothing in practice: a connection that cannot close cleanly is dropped.
    public func close() throws {
        lock.lock()
        defer { lock.unlock() }
        isClosed = true
        if let connection { try? connection.close().wait() }
        connection = nil
    }

    // MARK: Running statements

    /// Runs `body` with the connection, opening it first when needed. A body that fails
    /// because the connection dropped runs once more on a new connection: each body is one
    /// statement or one transaction, which a dropped connection rolled back. (Only a COMMIT
    /// whose acknowledgement was lost would run twice; inserts then fail on the unique UUID.)
    @discardableResult
    func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        guard !isClosed else {
            throw RunStoreError.server(
                location: locationDescription, detail: "the store was closed", advice: "Open it again to go on.")
        }
        var retried = false
        while true {
            let live: PostgresConnection
            if let connection, !connection.isClosed {
                live = connection
            } else {
                connection = nil
                live = try connect()
                connection = live
            }
            // Closing the connection fails the query's future, so `body`'s wait returns.
            let timedOut = Mutex(false)
            let watchdog = live.eventLoop.scheduleTask(in: .milliseconds(Int64((statementTimeoutSeconds * 1000).rounded()))) {
                timedOut.withLock { $0 = true }
                live.close().whenComplete { _ in }
            }
            defer { watchdog.cancel() }
            do {
                return try body(live)
            } catch is PSQLError where timedOut.withLock({ $0 }) && retried {
                throw RunStoreError.server(
                    location: locationDescription,
                    detail: "PostgreSQL at \(address.endpoint) gave no answer within \(Int(statementTimeoutSeconds)) s, twice",
                    advice: "Check the server and the network to it; the runs recorded so far are kept.")
            } catch let error as PSQLError where PostgresFailure.isConnectionLoss(error) && !retried {
                retried = true
                try? live.close().wait()
                connection = nil
            } catch {
                throw PostgresFailure.translating(error, address: address)
            }
        }
    }

    /// Runs `body` between BEGIN and COMMIT, rolling back when it throws.
    func inTransaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try withConnection { connection in
            try connection.run("BEGIN")
            do {
                let result = try body(connection)
                try connection.run("COMMIT")
                return result
            } catch {
                if !connection.isClosed { _ = try? connection.run("ROLLBACK") }
                throw error
            }
        }
    }

    private func connect() throws -> PostgresConnection {
        var configuration = PostgresConnection.Configuration(
            host: address.host, port: address.port, username: address.user, password: address.password,
            database: address.database, tls: try tls())
        configuration.options.connectTimeout = .milliseconds(Int64((connectTimeoutSeconds * 1000).rounded()))
        // Any startup parameter the server does not reserve sets that setting for the session.
        if let schema = address.schema { configuration.options.additionalStartupParameters = [("search_path", schema)] }
        do {
            return try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: 1, logger: Self.logger
            ).wait()
        } catch {
            throw PostgresFailure.translating(error, address: address, connectTimeoutSeconds: connectTimeoutSeconds)
        }
    }

    private func tls() throws -> PostgresConnection.Configuration.TLS {
        guard address.tlsMode != .disable else { return .disable }
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        let context = try NIOSSLContext(configuration: configuration)
        return address.tlsMode == .require ? .require(context) : .prefer(context)
    }
}

extension PostgresConnection {
    /// Runs one statement and returns its rows.
    @discardableResult
    func rows(_ query: PostgresQuery) throws -> [PostgresRow] {
        try self.query(query, logger: PostgresRunStore.logger).wait().rows
    }

    /// Runs one statement and returns how many rows it changed.
    @discardableResult
    func run(_ query: PostgresQuery) throws -> Int {
        try self.query(query, logger: PostgresRunStore.logger).wait().metadata.rows ?? 0
    }
}
