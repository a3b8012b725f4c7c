import Foundation
import GRDB
import NIOCore
import PostgresNIO

/// The bridge that keeps one definition of every column: records are encoded by GRDB
/// (`databaseDictionary`, with the same date and JSON strategies as in SQLite) and bound as
/// PostgreSQL parameters; rows read back are turned into GRDB `Row`s and decoded by the
/// records' own `init(row:)`. So a column added to a record reaches both engines at once.
enum PostgresRecordCoding {
    /// The columns and values GRDB would write for `record`, in column-name order, so the same
    /// record type always gives the same SQL text.
    static func columns(of record: some EncodableRecord, excluding excluded: Set<String> = []) throws -> [(String, DatabaseValue)] {
        try record.databaseDictionary.filter { !excluded.contains($0.key) }.sorted { $0.key < $1.key }
    }

    /// Appends a GRDB value as a PostgreSQL parameter: integers as `int8`, reals as `float8`,
    /// text as `text`, NULL untyped (the server infers it from the column).
    static func bind(_ value: DatabaseValue, into bindings: inout PostgresBindings) {
        switch value.storage {
        case .null: bindings.appendNull()
        case .int64(let integer): bindings.append(integer)
        case .double(let real): bindings.append(real)
        case .string(let text): bindings.append(text)
        case .blob(let data): bindings.append(ByteBuffer(bytes: data))
        }
    }

    /// `INSERT INTO table (a, b, …) VALUES ($1, $2, …)` for one record, with its bindings.
    static func insert(_ record: some EncodableRecord & TableRecord, excluding excluded: Set<String> = [], suffix: String = "")
        throws -> PostgresQuery
    {
        let pairs = try columns(of: record, excluding: excluded)
        var bindings = PostgresBindings(capacity: pairs.count)
        for (_, value) in pairs { bind(value, into: &bindings) }
        let names = pairs.map(\.0).joined(separator: ", ")
        let marks = (1...pairs.count).map { "$\($0)" }.joined(separator: ", ")
        let table = type(of: record).databaseTableName
        return PostgresQuery(unsafeSQL: "INSERT INTO \(table) (\(names)) VALUES (\(marks))\(suffix)", binds: bindings)
    }

    /// PostgreSQL's limit on the parameters of one statement.
    static let maximumParameters = 65_535

    /// `INSERT INTO table (a, b, …) VALUES ($1, $2, …), (…), …` statements for several records
    /// of one table, each of at most `rowsPerStatement` rows and ``maximumParameters``
    /// parameters: one round trip per statement instead of one per row. The columns are every
    /// column any record writes (a record whose optional fields are nil may write fewer), in
    /// name order; a column a record lacks is bound as NULL.
    static func insertStatements<Record: EncodableRecord & TableRecord>(rows records: [Record], rowsPerStatement: Int) throws
        -> [PostgresQuery]
    {
        guard !records.isEmpty else { return [] }
        let dictionaries = try records.map { try $0.databaseDictionary }
        let names = Set(dictionaries.flatMap(\.keys)).sorted()
        let prefix = "INSERT INTO \(Record.databaseTableName) (\(names.joined(separator: ", "))) VALUES "
        let size = max(1, min(rowsPerStatement, maximumParameters / max(1, names.count)))
        return stride(from: 0, to: dictionaries.count, by: size).map { start in
            let chunk = dictionaries[start..<min(start + size, dictionaries.count)]
            var bindings = PostgresBindings(capacity: names.count * chunk.count)
            var sql = prefix
            sql.reserveCapacity(prefix.utf8.count + chunk.count * names.count * 8)
            for (row, dictionary) in chunk.enumerated() {
                sql += row == 0 ? "(" : ", ("
                for (column, name) in names.enumerated() {
                    bind(dictionary[name] ?? .null, into: &bindings)
                    sql += (column == 0 ? "$" : ", $") + String(bindings.count)
                }
                sql += ")"
            }
            return PostgresQuery(unsafeSQL: sql, binds: bindings)
        }
    }

    /// An upsert: inserts `record`, or replaces every other column of the row with the same
    /// `key` (SQLite's `INSERT OR REPLACE` for these tables).
    static func upsert(_ record: some EncodableRecord & TableRecord, key: [String]) throws -> PostgresQuery {
        let others = try columns(of: record).map(\.0).filter { !key.contains($0) }
        let updates = others.map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", ")
        let action = updates.isEmpty ? "DO NOTHING" : "DO UPDATE SET \(updates)"
        return try insert(record, suffix: " ON CONFLICT (\(key.joined(separator: ", "))) \(action)")
    }

    /// `UPDATE table SET a = $1, … WHERE id = $n` for every column but `id`.
    static func update(_ record: some EncodableRecord & TableRecord, id: Int64) throws -> PostgresQuery {
        let pairs = try columns(of: record, excluding: ["id"])
        var bindings = PostgresBindings(capacity: pairs.count + 1)
        for (_, value) in pairs { bind(value, into: &bindings) }
        bindings.append(id)
        let sets = pairs.enumerated().map { "\($1.0) = $\($0 + 1)" }.joined(separator: ", ")
        let table = type(of: record).databaseTableName
        return PostgresQuery(unsafeSQL: "UPDATE \(table) SET \(sets) WHERE id = $\(pairs.count + 1)", binds: bindings)
    }

    /// A PostgreSQL row as the GRDB row the same query returns from SQLite.
    static func row(_ row: PostgresRow) throws -> Row {
        var values: [String: (any DatabaseValueConvertible)?] = [:]
        for cell in row { values[cell.columnName] = try databaseValue(cell) }
        return Row(values)
    }

    /// Decodes rows into records with the records' own `init(row:)`.
    static func records<Record: FetchableRecord>(_ type: Record.Type, from rows: [PostgresRow]) throws -> [Record] {
        try rows.map { try Record(row: row($0)) }
    }

    /// One cell as a GRDB value: the types Footprint's schema uses (BIGINT, DOUBLE PRECISION,
    /// TEXT) and what aggregates return (counts, booleans).
    static func databaseValue(_ cell: PostgresCell) throws -> DatabaseValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int8, .int4, .int2: return try cell.decode(Int64.self).databaseValue
        case .float8, .float4: return try cell.decode(Double.self).databaseValue
        case .bool: return try cell.decode(Bool.self).databaseValue
        case .bytea: return try Data(buffer: cell.decode(ByteBuffer.self)).databaseValue
        default: return try cell.decode(String.self).databaseValue
        }
    }
}
