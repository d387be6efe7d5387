public import ConciergeEngine
public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Compiled knowledge on disk: what building an engine computes (spelling tables, the trained
/// classifier and its calibration, the retrieval index) kept in one file per knowledge base, so the
/// next start maps it instead of training again.
///
/// ```swift
/// let cache = CompiledCache(directory: URL(fileURLWithPath: ".concierge/cache"))
/// let (engine, outcome) = cache.engine(for: loaded.knowledge)   // .hit, .built or .rebuilt(reason)
/// ```
///
/// A file is named by its key: a hash of what the engine compiles from (the knowledge's texts, the
/// settings it reads, the classifier's configuration, the word-vector table) and the engine's format
/// version, so any change to the knowledge names another file. Every file carries a checksum of its
/// bytes; a file that is truncated, corrupt, of another format or compiled from other knowledge is
/// rebuilt, never used. Files are written to a temporary name and renamed, so a reader never sees
/// half a file; the oldest beyond `keep` are removed.
public struct CompiledCache: Sendable {
    /// Where the files are.
    public var directory: URL
    /// How many compiled files are kept (the most recently used).
    public var keep = 8

    /// The cache folder commands use unless told otherwise: beside the default store.
    public static let defaultDirectory = ".concierge/cache"
    /// The environment variable that names another folder, or `off` for no cache.
    public static let environmentVariable = "CONCIERGE_CACHE"
    /// The file name extension.
    public static let fileExtension = "ckc"

    public init(directory: URL) {
        self.directory = directory
    }

    /// What happened when an engine was asked of the cache.
    public enum Outcome: Sendable, Equatable, CustomStringConvertible {
        /// The compiled file was read.
        case hit
        /// There was none: the engine was built and its file written.
        case built
        /// A file was there but could not be used (the reason); the engine was built and the file replaced.
        case rebuilt(String)
        /// The engine was built but its file could not be written (the reason).
        case notWritten(String)

        public var description: String {
            switch self {
            case .hit: "read the compiled knowledge"
            case .built: "compiled the knowledge"
            case .rebuilt(let reason): "compiled the knowledge again (\(reason))"
            case .notWritten(let reason): "compiled the knowledge; the cache was not written (\(reason))"
            }
        }
    }

    /// The file that holds the compiled form of `knowledge`.
    public func url(for knowledge: KnowledgeBase, classifier: IntentClassifier.Configuration = .init()) -> URL {
        directory.appendingPathComponent(Self.key(for: knowledge, classifier: classifier) + "." + Self.fileExtension)
    }

    /// The file name's key: the engine's format version and its fingerprint of the knowledge, in hex.
    public static func key(for knowledge: KnowledgeBase, classifier: IntentClassifier.Configuration = .init()) -> String {
        let fingerprint = Engine.compiledFingerprint(of: knowledge, classifier: classifier)
        return "v\(Engine.compiledFormatVersion)-" + String(fingerprint, radix: 16).leftPadded(to: 16)
    }

    /// An engine for `knowledge`: read from its compiled file when there is a sound one, else built
    /// and written for next time. Never fails: a cache that cannot be read or written only costs time.
    public func engine(for knowledge: KnowledgeBase, classifier: IntentClassifier.Configuration = .init()) -> (Engine, Outcome) {
        let file = url(for: knowledge, classifier: classifier)
        var reason: String?
        switch Self.read(file) {
        case .success(let storage):
            do {
                let engine = try Engine(knowledge: knowledge, compiled: storage, classifier: classifier)
                touch(file)
                return (engine, .hit)
            } catch {
                reason = error.description
            }
        case .failure(.missing): break
        case .failure(let failure): reason = failure.description
        }
        let engine = Engine(knowledge: knowledge, classifier: classifier)
        if let problem = write(engine.compiled(), to: file) { return (engine, .notWritten(problem)) }
        return (engine, reason.map(Outcome.rebuilt) ?? .built)
    }

    /// Compiles `knowledge` and writes its file whatever is there; the file's URL, or why it was not written.
    public func compile(_ knowledge: KnowledgeBase, classifier: IntentClassifier.Configuration = .init()) -> Result<URL, WriteFailure> {
        let file = url(for: knowledge, classifier: classifier)
        let engine = Engine(knowledge: knowledge, classifier: classifier)
        if let problem = write(engine.compiled(), to: file) { return .failure(WriteFailure(reason: problem)) }
        return .success(file)
    }

    /// Why a compiled file was not written.
    public struct WriteFailure: Error, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    // MARK: The file

    /// The file's layout: a 48-byte header, then the engine's bytes.
    ///
    /// | bytes | what |
    /// | --- | --- |
    /// | 0..<8 | `CKCACHE1` |
    /// | 8..<12 | the engine's format version (little-endian) |
    /// | 12..<16 | reserved, 0 |
    /// | 16..<24 | the payload's length |
    /// | 24..<32 | the payload's checksum (`Checksum.of`) |
    /// | 32..<48 | reserved, 0 |
    static let magic = Array("CKCACHE1".utf8)
    static let headerSize = 48

    /// Why a file could not be read.
    enum ReadFailure: Error, CustomStringConvertible {
        case missing
        case unreadable(String)
        case damaged(String)

        var description: String {
            switch self {
            case .missing: "no compiled file"
            case .unreadable(let why): "the compiled file cannot be read: \(why)"
            case .damaged(let why): "the compiled file is damaged: \(why)"
            }
        }
    }

    /// The payload of a compiled file, mapped, after its header and checksum are checked.
    static func read(_ url: URL) -> Result<ByteStorage, ReadFailure> {
        let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            return errno == ENOENT ? .failure(.missing) : .failure(.unreadable(String(cString: strerror(errno))))
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return .failure(.unreadable(String(cString: strerror(errno)))) }
        let size = Int(status.st_size)
        guard (status.st_mode & S_IFMT) == S_IFREG else { return .failure(.unreadable("not a regular file")) }
        guard size >= headerSize else { return .failure(.damaged("truncated (\(size) bytes)")) }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED else {
            return .failure(.unreadable(String(cString: strerror(errno))))
        }
        let whole = UnsafeRawBufferPointer(start: mapped, count: size)
        let release: @Sendable () -> Void = { [address = UInt(bitPattern: mapped)] in
            _ = munmap(UnsafeMutableRawPointer(bitPattern: address), size)
        }
        guard whole.prefix(8).elementsEqual(magic) else {
            release()
            return .failure(.damaged("not a compiled knowledge file"))
        }
        let version = whole.loadUnaligned(fromByteOffset: 8, as: UInt32.self).littleEndian
        let length = Int(whole.loadUnaligned(fromByteOffset: 16, as: UInt64.self).littleEndian)
        let checksum = whole.loadUnaligned(fromByteOffset: 24, as: UInt64.self).littleEndian
        guard version == Engine.compiledFormatVersion else {
            release()
            return .failure(.damaged("format \(version), this build writes \(Engine.compiledFormatVersion)"))
        }
        guard length == size - headerSize else {
            release()
            return .failure(.damaged("truncated (\(size - headerSize) of \(length) bytes)"))
        }
        let payload = UnsafeRawBufferPointer(rebasing: whole[headerSize...])
        // Checked a slice at a time, each slice's pages given back as soon as it is read: the engine
        // touches only a small part of the file (a message reads a few rows of the classifier's
        // weights), so the rest must not stay in memory because the checksum once read it.
        let verified = Checksum.of(payload) { slice in
            let page = Int(sysconf(Int32(_SC_PAGESIZE)))
            let start = (Int(bitPattern: slice.baseAddress) + page - 1) / page * page
            let end = (Int(bitPattern: slice.baseAddress) + slice.count) / page * page
            if end > start { _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, Int32(MADV_DONTNEED)) }
        }
        guard verified == checksum else {
            release()
            return .failure(.damaged("the checksum does not match"))
        }
        return .success(ByteStorage(unsafeBytes: payload, release: release))
    }

    /// Writes a compiled file atomically (a temporary file, then a rename); nil when written, else why not.
    func write(_ payload: [UInt8], to url: URL) -> String? {
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            return "cannot create \(directory.path): \(error.localizedDescription)"
        }
        var header = [UInt8](repeating: 0, count: Self.headerSize)
        header.replaceSubrange(0..<8, with: Self.magic)
        func put<T: FixedWidthInteger>(_ value: T, at offset: Int) {
            withUnsafeBytes(of: value.littleEndian) { header.replaceSubrange(offset..<(offset + $0.count), with: $0) }
        }
        put(Engine.compiledFormatVersion, at: 8)
        put(UInt64(payload.count), at: 16)
        put(payload.withUnsafeBytes { Checksum.of($0) }, at: 24)
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { return "cannot write \(temporary.path): \(String(cString: strerror(errno)))" }
        var written = true
        for part in [header, payload] where written {
            written = part.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let n = systemWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                    if n < 0 && errno == EINTR { continue }
                    guard n > 0 else { return false }
                    offset += n
                }
                return true
            }
        }
        let problem = written ? nil : String(cString: strerror(errno))
        close(descriptor)
        guard written, rename(temporary.path, url.path) == 0 else {
            unlink(temporary.path)
            return "cannot write \(url.path): \(problem ?? String(cString: strerror(errno)))"
        }
        prune(keeping: url)
        return nil
    }

    /// Marks a file as just used, so pruning keeps it.
    func touch(_ url: URL) {
        _ = utimes(url.path, nil)
    }

    /// Removes compiled files beyond the `keep` most recently used.
    func prune(keeping current: URL) {
        let manager = FileManager.default
        guard
            let files = try? manager.contentsOfDirectory(
                at: directory, includingPropertiesForKeys: [.contentModificationDateKey], options: [.skipsHiddenFiles])
        else { return }
        let compiled = files.filter { $0.pathExtension == Self.fileExtension && $0.lastPathComponent != current.lastPathComponent }
        let dated = compiled.map { url in
            (url, (try? url.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate) ?? .distantPast)
        }
        for (url, _) in dated.sorted(by: { $0.1 > $1.1 }).dropFirst(max(0, keep - 1)) { try? manager.removeItem(at: url) }
    }
}

/// A fast 64-bit checksum of bytes (eight at a time over four lanes, then mixed): it tells a damaged
/// or truncated file from a sound one; it is not a defence against someone who can write the cache
/// folder (they could as well write the knowledge).
enum Checksum {
    /// The bytes' checksum; `read` is called with each slice of about a megabyte once it is read.
    static func of(_ bytes: UnsafeRawBufferPointer, read: ((UnsafeRawBufferPointer) -> Void)? = nil) -> UInt64 {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var lanes: (UInt64, UInt64, UInt64, UInt64) = (0x243F_6A88_85A3_08D3, 0x1319_8A2E_0370_7344, 0xA409_3822_299F_31D0, 0x082E_FA98_EC4E_6C89)
        let count = bytes.count
        var i = 0
        @inline(__always) func round(_ lane: UInt64, _ word: UInt64) -> UInt64 {
            let mixed = (lane ^ word) &* multiplier
            return (mixed << 29) | (mixed >> 35)
        }
        let slice = 1 << 20
        var sliceStart = 0
        while i + 32 <= count {
            lanes.0 = round(lanes.0, bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            lanes.1 = round(lanes.1, bytes.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self))
            lanes.2 = round(lanes.2, bytes.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self))
            lanes.3 = round(lanes.3, bytes.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self))
            i += 32
            if let read, i - sliceStart >= slice {
                read(UnsafeRawBufferPointer(rebasing: bytes[sliceStart..<i]))
                sliceStart = i
            }
        }
        if let read, i > sliceStart { read(UnsafeRawBufferPointer(rebasing: bytes[sliceStart..<i])) }
        var h = lanes.0 ^ (lanes.1 &* 3) ^ (lanes.2 &* 5) ^ (lanes.3 &* 7) ^ UInt64(count)
        while i < count {
            h = round(h, UInt64(bytes[i]))
            i += 1
        }
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        return h
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}

#if canImport(Glibc)
    private let systemWrite = Glibc.write
#elseif canImport(Darwin)
    private let systemWrite = Darwin.write
#endif
