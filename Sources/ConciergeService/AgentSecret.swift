import Crypto
import Foundation
import Synchronization

/// Where new agents' secrets and salts come from: the system's cryptographic generator in
/// production, a seeded sequence in tests so a test knows the secret it will be handed.
public protocol SecretSource: Sendable {
    /// `count` random bytes.
    func bytes(_ count: Int) -> [UInt8]
}

/// The operating system's cryptographically secure generator (`getrandom` on Linux).
public struct SystemSecretSource: SecretSource {
    public init() {}

    public func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}

/// Bytes from a counter: the same sequence every run, for tests only.
public final class CountingSecretSource: SecretSource {
    private let next = Mutex<UInt8>(0)

    public init() {}

    public func bytes(_ count: Int) -> [UInt8] {
        next.withLock { value in
            (0..<count).map { _ in
                value &+= 1
                return value
            }
        }
    }
}

/// An agent's secret: made, hashed and checked here, so the store only ever holds a salt and a hash.
///
/// A secret is 128 random bits written as 32 hex digits. The store keeps `SHA-256(salt ‖ secret)`
/// with a 128-bit random salt per agent. A fast hash is enough for a secret this long and random
/// (no dictionary to try); the salt makes equal secrets hash differently, and the comparison takes
/// the same time wherever the digests differ.
///
/// ```swift
/// let secret = AgentSecret.make(from: SystemSecretSource())
/// let (salt, hash) = AgentSecret.hashed(secret, source: SystemSecretSource())
/// AgentSecret.matches(secret, salt: salt, hash: hash)   // true
/// ```
public enum AgentSecret {
    /// Random bytes in a secret and in a salt.
    static let byteCount = 16

    /// A new secret: 32 hex digits.
    public static func make(from source: any SecretSource) -> String { hex(source.bytes(byteCount)) }

    /// A new salt and the hash of `secret` with it, both hex.
    public static func hashed(_ secret: String, source: any SecretSource) -> (salt: String, hash: String) {
        let salt = hex(source.bytes(byteCount))
        return (salt, hex(Array(digest(secret, salt: salt))))
    }

    /// True when `secret` hashes to `hash` with `salt`. Compares the digests in constant time.
    public static func matches(_ secret: String, salt: String, hash: String) -> Bool {
        let actual = Array(digest(secret.trimmingCharacters(in: .whitespacesAndNewlines), salt: salt))
        let expected = Array(hash.utf8)
        let written = Array(hex(actual).utf8)
        guard written.count == expected.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(written, expected) { difference |= a ^ b }
        return difference == 0
    }

    private static func digest(_ secret: String, salt: String) -> SHA256.Digest {
        var hasher = SHA256()
        hasher.update(data: Data(salt.utf8))
        hasher.update(data: Data(secret.utf8))
        return hasher.finalize()
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
