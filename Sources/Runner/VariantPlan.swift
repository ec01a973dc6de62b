import Sharding

/// Which challenge variants a run measures itself, and where the outcomes of the others come
/// from. Variants are numbered from 0 across all the lab's challenges in document order.
enum VariantPlan {
    /// A one-process run: every variant.
    case all
    /// `run --shard`: only the shard's variants, each recorded for its partial; the challenge's
    /// table in this run's own (unused) report lists no others.
    case share(Shard)
    /// `merge`: none; every outcome comes from the partials, by variant number.
    case recorded([Int: VariantRecord])
}
