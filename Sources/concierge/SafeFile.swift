import ArgumentParser
import Foundation

/// Writes a text file the careful way: only ever a regular file, never over a device, a FIFO, a
/// symbolic link or a folder, never over an existing file unless asked to, and never creating
/// folders outside the current one.
///
/// ```swift
/// try SafeFile.write(text, to: "transcripts/new.transcript", replacing: false, confinedToCurrentFolder: true)
/// ```
///
/// The text goes to a new file beside the target (created exclusively, readable by its owner only)
/// and is renamed over it once complete, so a reader never sees half a file and a failed write
/// leaves what was there.
enum SafeFile {
    /// Why a file was not written, said so the user knows what to type instead.
    enum Refusal: Error, CustomStringConvertible, Equatable {
        /// The file exists and replacing it was not asked for.
        case exists(String)
        /// The path names something that is not a regular file.
        case notARegularFile(String, kind: String)
        /// The path leaves the current folder where it must stay inside it.
        case outsideCurrentFolder(String)
        /// The folder to write in does not exist and is outside the current folder.
        case missingFolder(String)
        /// The system refused (permissions, a full disk...).
        case failed(String, reason: String)

        var description: String {
            switch self {
            case .exists(let path): return "\(path) already exists; give another name, or replace it on purpose"
            case .notARegularFile(let path, let kind): return "\(path) is \(kind), not a regular file; give the path of a new file"
            case .outsideCurrentFolder(let path): return "\(path) is outside the current folder; give a path inside it, for example transcripts/mine.transcript"
            case .missingFolder(let folder): return "the folder \(folder) does not exist; create it first or write inside the current folder"
            case .failed(let path, let reason): return "cannot write \(path) (\(reason)); give a writable path"
            }
        }
    }

    /// Writes `text` to `path`.
    ///
    /// - Parameters:
    ///   - replacing: Replace an existing regular file (never anything else).
    ///   - confinedToCurrentFolder: Refuse absolute paths and paths that climb out with `..`.
    static func write(_ text: String, to path: String, replacing: Bool, confinedToCurrentFolder: Bool) throws(Refusal) {
        let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL
        let target = URL(fileURLWithPath: path, relativeTo: current).standardizedFileURL
        let inside = target.path.hasPrefix(current.path.hasSuffix("/") ? current.path : current.path + "/")
        if confinedToCurrentFolder && !inside { throw .outsideCurrentFolder(path) }
        switch kind(of: target.path) {
        case nil: break
        case "a regular file"?: if !replacing { throw .exists(path) }
        case let other?: throw .notARegularFile(path, kind: other)
        }
        let folder = target.deletingLastPathComponent()
        switch kind(of: folder.path) {
        case "a folder"?: break
        case nil:
            guard inside else { throw .missingFolder(folder.path) }
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw .failed(path, reason: "cannot create the folder \(folder.path)")
            }
        case let other?: throw .notARegularFile(folder.path, kind: other)
        }
        let temporary = folder.appendingPathComponent(".\(target.lastPathComponent).\(getpid()).partial").path
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .failed(path, reason: String(cString: strerror(errno))) }
        var bytes = Array(text.utf8)
        var written = 0
        var failure: Int32 = 0
        bytes.withUnsafeMutableBytes { buffer in
            while written < buffer.count {
                let count = Foundation.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                written += count
            }
        }
        if failure == 0 && fsync(descriptor) != 0 { failure = errno }
        close(descriptor)
        if failure == 0 {
            // Checked again just before the rename: nothing may have appeared in between.
            if !replacing, kind(of: target.path) != nil {
                unlink(temporary)
                throw .exists(path)
            }
            if rename(temporary, target.path) != 0 { failure = errno }
        }
        if failure != 0 {
            unlink(temporary)
            throw .failed(path, reason: String(cString: strerror(failure)))
        }
    }

    /// Checks, before any work, that `path` could be written: a usage error naming `option` if not.
    static func check(_ path: String, replacing: Bool, option: String) throws {
        switch kind(of: path) {
        case nil: return
        case "a regular file"?:
            if !replacing { throw ValidationError("\(option) \(path): the file already exists; add --force to replace it, or give another name") }
        case let other?:
            throw ValidationError("\(option) \(path) is \(other), not a regular file; give the path of a new file")
        }
    }

    /// What `path` names, without following a symbolic link: nil when nothing.
    static func kind(of path: String) -> String? {
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return "a regular file"
        case S_IFDIR: return "a folder"
        case S_IFLNK: return "a symbolic link"
        case S_IFCHR, S_IFBLK: return "a device"
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        default: return "a special file"
        }
    }
}
