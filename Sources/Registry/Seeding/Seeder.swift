import Basics
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
    public let clashes: SiteClashes
    /// False when the target was already seeded from the same CSV and site file, and left alone.
    public let replaced: Bool

    /// The one-line summary `portinfo seed` ends with.
    public var summary: String {
        let target = path ?? "the registry in memory"
        // The names come from the database, which may be anyone's: escaped.
        let site = metadata.site.map { " and \(PrintableText.escaping($0.source)) (sha256 \(PrintableText.escaping($0.sha256)))" } ?? ""
        guard replaced else {
            return "\(target) is unchanged: already seeded from this CSV (sha256 \(PrintableText.escaping(metadata.csvSHA256)))\(site), \(metadata.recordCount) records"
        }
        let seconds = duration.seconds
        let siteRecords = metadata.site.map { " (\($0.recordCount) from \(PrintableText.escaping($0.source)))" } ?? ""
        var line = "seeded \(target): \(metadata.recordCount) records\(siteRecords), CSV sha256 \(metadata.csvSHA256), "
            + "newest IANA date \(PrintableText.escaping(metadata.newestIANADate ?? "none")), in \(Int((seconds * 1000).rounded())) ms"
        if let changes {
            line += "; since the previous database: \(changes.added) added, \(changes.removed) removed, \(changes.changed) changed"
        }
        return line
    }

    /// A line for each site record that claims a port IANA assigns to another service.
    public var clashLines: [String] {
        clashes.lines(prefix: "\(metadata.site.map { PrintableText.escaping($0.source) } ?? "site ports") ")
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
        try checkTargetFolder()
        let previous = try replaceableRegistry()
        removeStaleTemporaryFiles()
        if !force, let previous, previous.version == Migration.latestVersion,
           let current = try? RegistryStore(image: previous.image, statementBudget: nil).metadata(), current.isSeeded(from: input) {
            return SeedReport(path: targetPath, metadata: current, duration: ContinuousClock.now - started, changes: nil,
                              clashes: .none, replaced: false)
        }
        let built = try RegistryBuilder(input: input).build(comparingWith: previous?.image)
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

    /// The registry the target holds, loaded as any registry is (`RegistryImage.load`), with its
    /// schema version; nil when there is none. A target that is not a registry of a schema this
    /// binary knows (a file of someone else's, a FIFO, a newer portinfo's) is never replaced.
    private func replaceableRegistry() throws -> (image: RegistryImage, version: Int)? {
        do {
            return try RegistryImage.load(from: targetPath, maximumBytes: RegistryLoad.defaultMaximumDatabaseBytes, version: nil, budget: nil)
        } catch RegistryError.missingDatabase {
            return nil
        } catch let error as RegistryError {
            let reason = switch error {
            case let .unreadableDatabase(access): "it \(access.reason)"
            case let .notARegistry(_, reason): reason
            case let .unexpectedSchema(_, difference): "it \(difference)"
            default: "\(error)"
            }
            throw RegistryError.notARegistry(path: targetPath, reason: "\(reason); refusing to replace it")
        }
    }

    /// The folder the target goes in must be there: a seed makes the file, not its folders.
    private func checkTargetFolder() throws {
        let directory = Self.split(targetPath).directory
        var status = stat()
        guard stat(directory, &status) == 0 else {
            throw RegistryError.seedFailed(path: targetPath, reason: errno == ENOENT || errno == ENOTDIR
                ? "the directory \(directory) does not exist: make it first"
                : "the directory \(directory) cannot be used: \(String(cString: strerror(errno)))")
        }
        guard (status.st_mode & S_IFMT) == S_IFDIR else {
            throw RegistryError.seedFailed(path: targetPath, reason: "\(directory) is not a directory")
        }
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
