//! Hash tables for the hot paths of a run: files by path, references by path, cache entries
//! by digest, CA certificates by DER. Looking files up by path was a tenth of every rule's time
//! with std's SipHash; foldhash is several times faster on such keys.
//!
//! The keys come from the checked repository (paths, certificate bytes), so a hostile one could
//! try to make them collide. foldhash seeds every table from a per-process secret (address
//! space layout, time), which a repository written beforehand cannot know, and edgelint shows
//! no hash or table order that would reveal it: this is the "non-interactive" case foldhash is
//! made for.

pub type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::quality::RandomState>;
pub type FastSet<K> = std::collections::HashSet<K, foldhash::quality::RandomState>;

/// An empty map with room for `n` entries.
pub fn map_with_capacity<K, V>(n: usize) -> FastMap<K, V> {
    FastMap::with_capacity_and_hasher(n, Default::default())
}
