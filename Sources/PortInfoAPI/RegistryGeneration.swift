import HostState
import Registry
import Synchronization

/// One registry as the API serves it, with everything derived from it: its stores, the rendered
/// `/ports` answers, the ETags, `/registry`'s bodies, the local-host report's tables. The API
/// answers each request from the generation current when it began, and a new registry is a new
/// generation put in place at once: no answer ever pairs one registry's ETag with another's body,
/// and requests in flight finish on the registry they began on.
final class RegistryGeneration: Sendable {
    let image: RegistryImage
    let metadata: RegistryMetadata
    let stores: RegistryStorePool
    let portAnswers = PortAnswerCache()
    let compactTag: EntityTag
    let prettyTag: EntityTag
    let htmlTag: EntityTag
    let registryBodies: (compact: [UInt8], pretty: [UInt8])
    /// `/registry` tells when the registry was seeded, which the registry's tags do not cover.
    let registryBodyTags: (compact: EntityTag, pretty: EntityTag)
    /// With local-host reporting: this registry's names for the host's listeners.
    let localHostReport: LocalHostReport?
    /// What SQLite's quick_check found wrong with the registry; nil when sound.
    let damage: String?
    /// The database file it came from, as it was when loaded; nil for the built-in snapshot.
    let file: DatabaseFileState?
    /// The site file whose records it holds, as it was when loaded.
    let siteFile: DatabaseFileState?
    /// Site records that claim a port IANA assigns to another service.
    let clashes: [SiteClash]

    /// What loading may take: the whole-registry reads (the check, the local-host tables) are not
    /// requests, and must not fail on a busy machine for a request's budget.
    static let loadingBudget: Duration = .seconds(30)

    init(image: RegistryImage, file: DatabaseFileState?, siteFile: DatabaseFileState?, clashes: [SiteClash],
         configuration: APIConfiguration, scanner: ListenerScanner?) throws {
        self.image = image
        self.file = file
        self.siteFile = siteFile
        self.clashes = clashes
        let loader = try RegistryStore(image: image, statementBudget: Self.loadingBudget)
        metadata = try loader.metadata()
        let stores = try RegistryStorePool(image: image, count: configuration.queryThreads, statementBudget: configuration.queryTimeBudget)
        self.stores = stores
        compactTag = EntityTag(registry: metadata, representation: .json(.compact))
        prettyTag = EntityTag(registry: metadata, representation: .json(.pretty))
        htmlTag = EntityTag(registry: metadata, representation: .html)
        registryBodies = (APIJSON.registryMetadata(metadata, format: .compact), APIJSON.registryMetadata(metadata, format: .pretty))
        registryBodyTags = (EntityTag(digestOf: registryBodies.compact, format: .compact),
                            EntityTag(digestOf: registryBodies.pretty, format: .pretty))
        localHostReport = try scanner.map { try LocalHostReport(store: loader, scanner: $0) }
        damage = try loader.quickCheck()
    }

    func tag(_ representation: Representation) -> EntityTag {
        switch representation {
        case .json(.compact): compactTag
        case .json(.pretty): prettyTag
        case .html: htmlTag
        }
    }
}
