import ConciergeService
import Foundation
import Synchronization

/// The keyring of a SQLite store only its owner can open: a 0600 JSON file beside the database
/// (`concierge.sqlite-agents`), mapping each agent Concierge enrolled by itself to their secret.
///
/// The file is opened without following links and used only while it is a regular file of this
/// user's that nobody else may read or write (in a shared folder such as /tmp, someone else may
/// have made a file of that name first: it is refused, never written to). Reads take a shared
/// `flock`, writes an exclusive one and rewrite the file in place; ``exclusively(_:)`` holds the
/// exclusive lock for a whole enrolment, so consoles started at once for one new name make one agent.
final class AgentKeyFile: AgentKeyring {
    /// The keyring's path.
    let path: String
    /// The descriptor ``exclusively(_:)`` holds locked, which reads and writes inside it use.
    private let held = Mutex<Int32?>(nil)

    /// The keyring of the store at `storePath`.
    init(storePath: String) {
        path = storePath + "-agents"
    }

    func secret(for name: String) throws -> String? {
        if held.withLock({ $0 }) == nil, !FileManager.default.fileExists(atPath: path) { return nil }
        return try withFile(lock: LOCK_SH) { descriptor in try read(descriptor)[name] }
    }

    func keep(_ secret: String?, for name: String) throws {
        if secret == nil, held.withLock({ $0 }) == nil, !FileManager.default.fileExists(atPath: path) { return }
        try withFile(lock: LOCK_EX) { descriptor in
            var secrets = try read(descriptor)
            guard secrets[name] != secret else { return }
            secrets[name] = secret
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            let data = try encoder.encode(secrets)
            guard ftruncate(descriptor, 0) == 0, lseek(descriptor, 0, SEEK_SET) == 0 else { throw failure("write") }
            let written = data.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            guard written == data.count, fsync(descriptor) == 0 else { throw failure("write") }
        }
    }

    func exclusively<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        let descriptor = try openChecked()
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX) == 0 else { throw failure("lock") }
        held.withLock { $0 = descriptor }
        defer {
            held.withLock { $0 = nil }
            flock(descriptor, LOCK_UN)
        }
        return try await body()
    }

    /// Runs `body` on the file: on the descriptor ``exclusively(_:)`` holds, or on one of its own
    /// locked with `lock`.
    private func withFile<T>(lock: Int32, _ body: (Int32) throws -> T) throws -> T {
        if let descriptor = held.withLock({ $0 }) { return try body(descriptor) }
        let descriptor = try openChecked()
        defer { close(descriptor) }
        guard flock(descriptor, lock) == 0 else { throw failure("lock") }
        defer { flock(descriptor, LOCK_UN) }
        return try body(descriptor)
    }

    /// Opens (or makes, 0600) the file and checks it is this user's regular file, closed to others.
    private func openChecked() throws -> Int32 {
        let previous = umask(0o077)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        umask(previous)
        guard descriptor >= 0 else { throw failure("open") }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_uid == geteuid(), status.st_mode & 0o077 == 0
        else {
            close(descriptor)
            throw KeyFileError(
                "\(path) is not a file only you can read (someone else's, or open to others); remove it, or give each agent their secret with `concierge agents reset NAME`")
        }
        return descriptor
    }

    private func read(_ descriptor: Int32) throws -> [String: String] {
        guard lseek(descriptor, 0, SEEK_SET) == 0 else { throw failure("read") }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            guard count >= 0 else { throw failure("read") }
            if count == 0 { break }
            data.append(contentsOf: buffer[0..<count])
        }
        if data.isEmpty { return [:] }
        guard let secrets = try? JSONDecoder().decode([String: String].self, from: data) else {
            throw KeyFileError("\(path) is damaged; delete it, then `concierge agents reset NAME` gives each agent a new secret")
        }
        return secrets
    }

    private func failure(_ doing: String) -> KeyFileError {
        KeyFileError("cannot \(doing) \(path): \(String(cString: strerror(errno))); check that the folder is yours and writable")
    }
}

/// A keyring file that cannot be used; the message names it and says what to do.
struct KeyFileError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
