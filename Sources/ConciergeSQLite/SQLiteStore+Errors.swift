import ConciergeStore
import GRDB

extension SQLiteStore {
    /// The ``StoreError`` for a failure while doing `action` on the database at `location`: what went
    /// wrong and what to do, never a statement's arguments (they may hold customer data).
    static func storeError(_ error: any Error, location: String, doing action: String) -> StoreError {
        switch error {
        case let error as StoreError:
            return error
        case let error as DatabaseError:
            let reason = "\(error.message ?? "SQLite error") (\(error.resultCode))"
            switch error.resultCode {
            case .SQLITE_NOTADB, .SQLITE_CORRUPT:
                return .corrupt(
                    "\(location) is not a Concierge database or is damaged: \(reason); give another path, or restore the file from a backup")
            case .SQLITE_BUSY, .SQLITE_LOCKED:
                return .unavailable(
                    "cannot \(action): \(location) stayed locked by another connection for over 10 seconds: \(reason); retry, or stop the process that holds it")
            case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN, .SQLITE_AUTH:
                return .unavailable(
                    "cannot \(action): \(location) cannot be opened for reading and writing: \(reason); check that the path is a file and that you may write it and its folder")
            case .SQLITE_FULL:
                return .unavailable("cannot \(action): the disk holding \(location) is full: \(reason); free some space and retry")
            case .SQLITE_IOERR:
                return .unavailable("cannot \(action): reading or writing \(location) failed: \(reason); check the disk")
            case .SQLITE_CONSTRAINT:
                return .unavailable(
                    "cannot \(action) in \(location): the database refused the write: \(reason); it refers to a record that does not exist, or repeats an id")
            default:
                return .unavailable("cannot \(action) in \(location): \(reason)")
            }
        default:
            // Decoding errors describe the row they failed on: never repeat them. The schema was
            // checked when the store opened (a newer one is refused there), so the row is damaged
            // or was changed outside Concierge.
            return .corrupt(
                "\(location) holds a row this version of Concierge cannot read (\(type(of: error))); it was damaged or changed outside Concierge: restore a backup")
        }
    }
}
