import Foundation

/// libpq's password file, `~/.pgpass` (or `PGPASSFILE`): one
/// `hostname:port:database:username:password` per line, `*` matching anything in the first
/// four fields, `\:` and `\\` escaping a colon or a backslash, `#` starting a comment. The
/// first matching line wins.
///
/// As libpq does, a file that its group or others may read is ignored (it would hand every
/// local user the password); a note on standard error says so.
enum PostgresPassFile {
    /// One parsed line.
    struct Entry: Equatable {
        var fields: [String]  // host, port, database, user, password

        func matches(host: String, port: Int, database: String, user: String) -> Bool {
            let wanted = [host, String(port), database, user]
            return zip(fields.prefix(4), wanted).allSatisfy { field, value in
                field == "*" || field == value || (field == "localhost" && Self.isLoopback(value))
            }
        }

        /// libpq matches `localhost` for Unix sockets; a TCP URL to 127.0.0.1 is the same
        /// machine, so it is matched too.
        private static func isLoopback(_ host: String) -> Bool { host == "127.0.0.1" || host == "::1" }
    }

    /// The password for a connection, or nil when no readable file has a matching line.
    static func password(host: String, port: Int, database: String, user: String, environment: [String: String]) -> String? {
        guard let path = path(environment: environment), let text = readPrivateFile(path) else { return nil }
        return entries(in: text).first { $0.matches(host: host, port: port, database: database, user: user) }?.fields[4]
    }

    /// Every well-formed line of a password file's text (lines without five fields are skipped).
    static func entries(in text: String) -> [Entry] {
        text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline).compactMap { line in
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            guard !trimmed.hasPrefix("#") else { return nil }
            let fields = splitFields(String(line))
            return fields.count == 5 ? Entry(fields: fields) : nil
        }
    }

    /// Splits a line at unescaped colons; `\x` stands for `x`. Like libpq, a fifth field keeps
    /// everything up to the end of the line, colons included.
    static func splitFields(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" && fields.count < 4 {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }

    private static func path(environment: [String: String]) -> String? {
        if let path = environment["PGPASSFILE"], !path.isEmpty { return path }
        guard let home = environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path as String? else { return nil }
        return (home as NSString).appendingPathComponent(".pgpass")
    }

    /// The file's text, or nil when it is missing, not a plain file, or readable by others.
    static func readPrivateFile(_ path: String, warn: (String) -> Void = warnOnStandardError) -> String? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        guard (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        if status.st_mode & (S_IRWXG | S_IRWXO) != 0 {
            warn(
                "footprint: note: ignoring the password file \(path): its group or others may read it; "
                    + "`chmod 0600 \(path)` to use it (libpq ignores it too)")
            return nil
        }
        return try? String(contentsOfFile: path, encoding: .utf8)
    }

    private static func warnOnStandardError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
