import HostState
import PortInfoReports
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
    /// `/registry/changes` tells what the seed changed, which the registry's tags do not cover
    /// (two seeds of one CSV over different registries change different records).
    let changesTags: (compact: EntityTag, pretty: EntityTag)
    /// The database file it came from, as it was when loaded; nil for the built-in snapshot.
    let file: WatchedFileState?
    /// The site file whose records it holds, as it was when loaded.
    let siteFile: WatchedFileState?
    /// Site records that claim a port IANA assigns to another service.
    let clashes: SiteClashes

    /// Made within `load`: the whole-registry reads (the check, the local-host tables) count
    /// against the load's budget, not against a request's.
    init(image: RegistryImage, file: WatchedFileState?, siteFile: WatchedFileState?, clashes: SiteClashes,
         configuration: APIConfiguration, scanner: ListenerScanner?, load: RegistryLoad) throws {
        self.image = image
        self.file = file
        self.siteFile = siteFile
        self.clashes = clashes
        let loader = try load.store(of: image)
        damage = try load.withinBudget { try loader.quickCheck() }
        metadata = try load.withinBudget { try loader.metadata() }
        let stores = try RegistryStorePool(image: image, count: configuration.queryThreads, statementBudget: configuration.statementBudget)
        self.stores = stores
        compactTag = EntityTag(registry: metadata, representation: .json(.compact))
        prettyTag = EntityTag(registry: metadata, representation: .json(.pretty))
        htmlTag = EntityTag(registry: metadata, representation: .html)
        registryBodies = (APIJSON.registryMetadata(metadata, format: .compact), APIJSON.registryMetadata(metadata, format: .pretty))
        registryBodyTags = (EntityTag(digestOf: registryBodies.compact, format: .compact),
                            EntityTag(digestOf: registryBodies.pretty, format: .pretty))
        let changes = try load.withinBudget { try loader.changesSHA256() }
        changesTags = (EntityTag(registry: metadata, changes: changes, format: .compact),
                       EntityTag(registry: metadata, changes: changes, format: .pretty))
        localHostReport = try load.withinBudget { try scanner.map { try LocalHostReport(store: loader, scanner: $0) } }
    }

    /// What tells two registries apart for everything served from them: a new one with the
    /// same identity changes no answer, and is not switched to.
    var identity: [String] {
        [compactTag.value, changesTags.compact.value, registryBodyTags.compact.value]
    }

    func tag(_ representation: Representation) -> EntityTag {
        switch representation {
        case .json(.compact): compactTag
        case .json(.pretty): prettyTag
        case .html: htmlTag
        }
    }
}
