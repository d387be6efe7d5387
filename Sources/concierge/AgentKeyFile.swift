import ConciergeService
import Foundation

/// The keyring of a SQLite store its owner alone can open: a 0600 JSON file beside the database
/// (`concierge.sqlite-agents`), mapping each agent Concierge enrolled by itself to their secret.
///
/// Reads take a shared `flock` on the file and writes an exclusive one (the file is rewritten in
/// place, under the lock); enrolment holds an exclusive `flock` on the folder, so consoles started
/// at once for one new name make one agent.
final class AgentKeyFile: AgentKeyring {
    /// The keyring's path.
    let path: String
    /// The folder it and the store live in.
    let folder: String

    /// The keyring of the store at `storePath`.
    init(storePath: String) {
        path = storePath + "-agents"
        folder = URL(fileURLWithPath: storePath).deletingLastPathComponent().path
    }

    func secret(for name: String) throws -> String? {
        try withFile(lock: LOCK_SH) { descriptor in try Self.read(descriptor, path: path)[name] }
    }

    func keep(_ secret: String?, for name: String) throws {
        try withFile(lock: LOCK_EX) { descriptor in
            var secrets = try Self.read(descriptor, path: path)
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
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("lock the folder of") }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX) == 0 else { throw failure("lock the folder of") }
        defer { flock(descriptor, LOCK_UN) }
        return try await body()
    }

    /// Opens the file (creating it 0600), locks it with `lock`, and runs `body` on it.
    private func withFile<T>(lock: Int32, _ body: (Int32) throws -> T) throws -> T {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw failure("open") }
        defer { close(descriptor) }
        fchmod(descriptor, 0o600)
        guard flock(descriptor, lock) == 0 else { throw failure("lock") }
        defer { flock(descriptor, LOCK_UN) }
        return try body(descriptor)
    }

    private static func read(_ descriptor: Int32, path: String) throws -> [String: String] {
        guard lseek(descriptor, 0, SEEK_SET) == 0 else { throw KeyFileError("cannot read \(path)") }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            guard count >= 0 else { throw KeyFileError("cannot read \(path)") }
            if count == 0 { break }
            data.append(contentsOf: buffer[0..<count])
        }
        if data.isEmpty { return [:] }
        guard let secrets = try? JSONDecoder().decode([String: String].self, from: data) else {
            throw KeyFileError(
                "\(path) is damaged; delete it, then `concierge agents reset NAME` gives each agent a new secret")
        }
        return secrets
    }

    private func failure(_ doing: String) -> KeyFileError {
        KeyFileError("cannot \(doing) \(path): \(String(cString: strerror(errno))); check that the folder is yours and writable")
    }
}

/// A keyring file that cannot be read or written; the message names it and says what to do.
struct KeyFileError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
