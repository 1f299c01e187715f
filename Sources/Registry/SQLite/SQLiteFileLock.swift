import Glibc

/// SQLite's shared lock on a database file (as its unix VFS takes one), held by a descriptor of
/// ours: while it is held, no SQLite connection can write the file, so the bytes read under it
/// are one committed state of the database. Never waits: a writer at work means try again later.
enum SQLiteFileLock {
    /// SQLite's lock bytes, at 1 GiB into the file (a registry never reaches them).
    private static let pendingByte = off_t(0x4000_0000)
    private static let sharedFirst = pendingByte + 2
    private static let sharedSize = off_t(510)

    /// Takes the shared lock: false when a writer holds or is waiting for the file.
    static func shared(_ descriptor: Int32) -> Bool {
        // As SQLite: the pending byte first, so that no writer is about to take the file.
        guard set(descriptor, F_RDLCK, from: pendingByte, count: 1) else { return false }
        defer { _ = set(descriptor, F_UNLCK, from: pendingByte, count: 1) }
        return set(descriptor, F_RDLCK, from: sharedFirst, count: sharedSize)
    }

    static func release(_ descriptor: Int32) {
        _ = set(descriptor, F_UNLCK, from: sharedFirst, count: sharedSize)
    }

    private static func set(_ descriptor: Int32, _ type: Int32, from start: off_t, count: off_t) -> Bool {
        var lock = flock()
        lock.l_type = Int16(type)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = start
        lock.l_len = count
        return fcntl(descriptor, F_SETLK, &lock) == 0
    }
}
