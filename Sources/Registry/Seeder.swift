import Glibc

/// What a completed seed did.
public struct SeedReport: Sendable {
    /// The database file, or nil for a registry built in memory only.
    public let path: String?
    public let metadata: RegistryMetadata
    public let duration: Duration
    /// nil when there was no previous database to compare with.
    public let changes: RegistryChanges?
    /// Site records claiming a port IANA assigns to another service (reported, not refused).
    public let clashes: [SiteClash]
    /// False when the target was already seeded from the same CSV and site file, and left alone.
    public let replaced: Bool

    /// The one-line summary `portinfo seed` ends with.
    public var summary: String {
        let target = path ?? "the registry in memory"
        let site = metadata.site.map { " and \($0.source) (sha256 \($0.sha256))" } ?? ""
        guard replaced else {
            return "\(target) is unchanged: already seeded from this CSV (sha256 \(metadata.csvSHA256))\(site), \(metadata.recordCount) records"
        }
        let seconds = Double(duration.components.attoseconds) / 1e18 + Double(duration.components.seconds)
        let siteRecords = metadata.site.map { " (\($0.recordCount) from \($0.source))" } ?? ""
        var line = "seeded \(target): \(metadata.recordCount) records\(siteRecords), CSV sha256 \(metadata.csvSHA256), "
            + "newest IANA date \(metadata.newestIANADate ?? "none"), in \(Int((seconds * 1000).rounded())) ms"
        if let changes {
            line += "; since the previous database: \(changes.added) added, \(changes.removed) removed, \(changes.changed) changed"
        }
        return line
    }

    /// A line for each site record that claims a port IANA assigns to another service.
    public var clashLines: [String] {
        clashes.map { "\(metadata.site?.source ?? "site ports") \($0)" }
    }
}

/// Builds a registry database from IANA's CSV (and a site's own ports). The new database is built
/// in memory, written to a temporary file beside the target and renamed over it only once it is
/// complete and verified, so a failed or killed seed leaves the previous database as it was.
/// Temporary files left by a killed seed are removed by the next seed of the same target.
public struct Seeder {
    public let targetPath: String

    public init(targetPath: String) {
        self.targetPath = targetPath
    }

    /// The temporary file a seed running as process `pid` writes: hidden, beside the target.
    public static func temporaryPath(forTarget target: String, pid: Int32) -> String {
        let (directory, name) = split(target)
        return "\(directory)/.\(name).seed-\(pid)"
    }

    /// Replaces the target with a registry seeded from `input`; unless `force`, only when the
    /// target was not seeded from the same CSV and site file by this schema (then it is left
    /// alone, and the report says so): a timer may run it as often as it likes.
    public func seed(_ input: SeedInput, force: Bool = false) throws -> SeedReport {
        let started = ContinuousClock.now
        let exists = access(targetPath, F_OK) == 0
        let schemaVersion = exists ? try replaceableSchemaVersion() : nil
        removeStaleTemporaryFiles()
        if !force, schemaVersion == Migration.latestVersion,
           let current = try? RegistryStore(path: targetPath).metadata(), current.isSeeded(from: input) {
            return SeedReport(path: targetPath, metadata: current, duration: ContinuousClock.now - started, changes: nil,
                              clashes: [], replaced: false)
        }
        let built = try RegistryBuilder(input: input).build(comparingWith: exists ? targetPath : nil)
        let temporary = Self.temporaryPath(forTarget: targetPath, pid: getpid())
        unlink(temporary)
        defer { unlink(temporary) }
        do {
            try built.image.write(to: temporary)
        } catch {
            throw RegistryError.seedFailed(path: targetPath, reason: "cannot write the new database: \(error.message)")
        }
        try Self.syncToDisk(temporary)
        guard rename(temporary, targetPath) == 0 else {
            throw RegistryError.seedFailed(path: targetPath, reason: "cannot rename the new database into place: \(String(cString: strerror(errno)))")
        }
        Self.syncToDisk(directoryOf: targetPath)
        return SeedReport(path: targetPath, metadata: built.metadata, duration: ContinuousClock.now - started,
                          changes: built.changes, clashes: built.clashes, replaced: true)
    }

    /// A registry seeded from `input` in memory only, for when there is no file to keep it in.
    public static func image(of input: SeedInput) throws -> (RegistryImage, SeedReport) {
        let started = ContinuousClock.now
        let built = try RegistryBuilder(input: input).build(comparingWith: nil)
        return (built.image, SeedReport(path: nil, metadata: built.metadata, duration: ContinuousClock.now - started,
                                        changes: nil, clashes: built.clashes, replaced: true))
    }

    /// An existing target is replaced only when it is a portinfo registry this binary understands:
    /// the schema version it was migrated to.
    private func replaceableSchemaVersion() throws -> Int {
        let existing: Database
        do {
            existing = try Database(path: targetPath, mode: .readOnly)
            guard try existing.hasTable("schema_migrations"), try existing.hasTable("records") else {
                throw RegistryError.notARegistry(path: targetPath, reason: "no portinfo tables; refusing to replace it")
            }
        } catch let error as SQLiteError {
            throw RegistryError.notARegistry(path: targetPath, reason: "\(error.message); refusing to replace it")
        }
        let version = try Migrator.appliedVersion(of: existing)
        if version > Migration.latestVersion {
            throw MigrationError.newerThanBinary(path: targetPath, databaseVersion: version, binaryVersion: Migration.latestVersion)
        }
        return version
    }

    /// Removes temporary files that seeds of this target left when they were killed.
    private func removeStaleTemporaryFiles() {
        let (directory, name) = Self.split(targetPath)
        guard let listing = opendir(directory) else { return }
        defer { closedir(listing) }
        let prefix = ".\(name).seed-"
        while let entry = readdir(listing) {
            let fileName = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            guard fileName.hasPrefix(prefix), let pid = Int32(fileName.dropFirst(prefix.count)) else { continue }
            // A live process of that pid may be another seed at work: leave its file alone.
            if kill(pid, 0) != 0, errno == ESRCH { unlink("\(directory)/\(fileName)") }
        }
    }

    private static func syncToDisk(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0, fsync(descriptor) == 0 else {
            let reason = String(cString: strerror(errno))
            if descriptor >= 0 { close(descriptor) }
            throw RegistryError.seedFailed(path: path, reason: "cannot flush the new database to disk: \(reason)")
        }
        close(descriptor)
    }

    /// Makes the rename durable; a directory that cannot be synced is no reason to fail the seed.
    private static func syncToDisk(directoryOf path: String) {
        let descriptor = open(split(path).directory, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    private static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }
}
