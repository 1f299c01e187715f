/// One page of a search, best first, with how many records match in all; beside the records,
/// the known uses the query matches.
public struct SearchResults: Equatable, Sendable {
    /// Records matching, on every page.
    public let total: Int
    /// This page's records, each with how it matched.
    public let hits: [RecordHit]
    /// Every known use the query matches, best first (at most `RegistryStore.maximumKnownUseHits`),
    /// the same on every page: known uses are not paged.
    public let knownUses: [KnownUseHit]

    public var records: [Record] { hits.map(\.record) }

    /// The page's records and the known uses in one order: by rank, a known use after the records
    /// of its rank. What "the first results" of a search means: the search-quality suite scores
    /// the first three of these.
    public var ranked: [SearchHit] {
        var merged: [SearchHit] = []
        var uses = knownUses[...]
        for hit in hits {
            while let use = uses.first, use.rank < hit.rank {
                merged.append(.knownUse(use))
                uses.removeFirst()
            }
            merged.append(.record(hit))
        }
        return merged + uses.map(SearchHit.knownUse)
    }
}

/// A record a search found, and how.
public struct RecordHit: Equatable, Sendable {
    public let record: Record
    public let rank: SearchRank
    /// The everyday name the query is, when the record was found through it (rank `.everydayName`).
    public let everydayName: EverydayName?
}

/// A known use a search found, and how.
public struct KnownUseHit: Equatable, Sendable {
    public let knownUse: KnownUse
    public let rank: SearchRank
}

/// A search result of either kind.
public enum SearchHit: Equatable, Sendable {
    case record(RecordHit)
    case knownUse(KnownUseHit)

    public var rank: SearchRank {
        switch self {
        case let .record(hit): hit.rank
        case let .knownUse(hit): hit.rank
        }
    }
}
