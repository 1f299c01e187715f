/// One load of a registry, from its files to stores ready to query, under one TimeBudget: the
/// database file read and checked, the site file read and its records put in, and whatever the
/// caller reads of the result to describe it. A server loads on its registry watcher's thread; a
/// load past its budget is abandoned with `RegistryError.loadTimedOut`, and what it served before
/// is served still. One-shot commands load with no budget. Use a load on one thread only.
public final class RegistryLoad {
    /// A sound registry loads in well under a second (a site file of 100,000 rows in a few), so
    /// ten seconds of CPU time is a load gone wrong; the wall-clock backstop is for a thread the
    /// machine does not run at all.
    public static let serverBudget = TimeBudget(cpu: .seconds(10), wall: .seconds(30))
    /// The largest database file a load reads: IANA's registry takes about 2.5 MB, with a large
    /// site file some 25 MB. Past it, the file is refused unread.
    public static let defaultMaximumDatabaseBytes = 64 << 20

    let budget: StatementBudget?
    public let maximumDatabaseBytes: Int
    /// The images this load made, which leave its budget when it ends.
    private var images: [RegistryImage] = []

    /// `budget` nil: the load takes as long as it takes (a command the operator runs).
    public init(budget: TimeBudget?, maximumDatabaseBytes: Int = defaultMaximumDatabaseBytes) {
        self.budget = budget.map { StatementBudget($0, scope: .wholeWork) }
        self.maximumDatabaseBytes = maximumDatabaseBytes
    }

    deinit {
        images.forEach { $0.endBudget() }
    }

    /// The registry in the database file at `path`, which must be of this binary's schema.
    public func image(fromDatabase path: String) throws -> RegistryImage {
        try withinBudget {
            let image = try RegistryImage.load(from: path, maximumBytes: maximumDatabaseBytes, budget: budget).image
            images.append(image)
            return image
        }
    }

    /// Another image holding the same registry as `image`, to change without touching it.
    public func copy(of image: RegistryImage) throws -> RegistryImage {
        try withinBudget {
            let copy = try image.copy(budget: budget)
            images.append(copy)
            return copy
        }
    }

    /// The site file at `path`, read and checked (`SitePortsFile`).
    public func sitePorts(at path: String) throws -> SitePortsFile {
        try withinBudget { try SitePortsFile(path: path, budget: budget) }
    }

    /// Puts the site file's records in place of those `image` holds (`RegistryImage.replaceSitePorts`).
    public func replaceSitePorts(in image: RegistryImage, with sitePorts: SitePortsFile?) throws -> SiteClashes {
        try withinBudget { try image.replaceSitePorts(with: sitePorts) }
    }

    /// A store of `image` whose queries count against this load's budget.
    public func store(of image: RegistryImage) throws -> RegistryStore {
        try withinBudget { try RegistryStore(image: image, loadBudget: budget) }
    }

    /// How IANA's records in `new` differ from those in `old`.
    public func changes(from old: RegistryImage, to new: RegistryImage) throws -> RegistryChanges {
        try withinBudget { try RegistryChanges.between(old, and: new, budget: budget) }
    }

    /// Runs `work`; whatever it throws once the budget is spent is the budget's doing, however
    /// the error surfaced (an interrupted statement inside a check, say).
    public func withinBudget<Result>(_ work: () throws -> Result) throws -> Result {
        do {
            return try work()
        } catch {
            if let budget, let limit = budget.exceeded { throw RegistryError.loadTimedOut(budget: budget.budget, limit: limit) }
            throw error
        }
    }

    /// Whether the budget is spent, for work of the caller's outside SQLite (false with no budget).
    public func isOverdue() -> Bool {
        budget?.check() ?? false
    }
}
