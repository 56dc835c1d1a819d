//! The model: every directive of the program with its parent, context and table entry, indexed
//! by name, and the effective value of any directive at any block after inheritance.
//!
//! Built once per program from the include-following walk: a file included at two sites gives
//! two sets of nodes, each with its own parents, because nginx evaluates it twice.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use crate::syntax::Directive;

use super::context::Context;
use super::directives::{DirectiveSpec, Merge, Version, default_for};
use super::include::{FileId, Program};

pub type NodeId = u32;

/// A hasher for short keys (directive names), FNV-1a: the model and the directive table hash
/// a name per node and per effective-value question, where SipHash's setup cost dominates.
pub(crate) type FnvBuild = std::hash::BuildHasherDefault<Fnv>;

#[derive(Default)]
pub(crate) struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// A hasher for directive names in the maps that are only looked up, never iterated, and whose
/// keys are ngxlint's own (the directive table's index): eight bytes per step where FNV takes
/// one (a name is ~12 bytes, hashed per node and per question). Unseeded, so never for keys
/// taken from a configuration (the model's maps use foldhash's seeded hasher). The
/// multiply-and-rotate of rustc's FxHasher (rustc-hash 2): the rotation brings the well-mixed
/// high bits of the last product down to the bits that pick a bucket.
pub(crate) type NameBuild = std::hash::BuildHasherDefault<NameHasher>;

#[derive(Default)]
pub(crate) struct NameHasher(u64);

const NAME_K: u64 = 0xf135_7aea_2e62_a9c5;

impl std::hash::Hasher for NameHasher {
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = (self.0 ^ bytes.len() as u64).wrapping_mul(NAME_K);
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(c);
            h = (h ^ u64::from_le_bytes(word)).wrapping_mul(NAME_K);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            h = (h ^ u64::from_le_bytes(word)).wrapping_mul(NAME_K);
        }
        self.0 = h;
    }
    fn write_u8(&mut self, b: u8) {
        self.0 = (self.0 ^ u64::from(b)).wrapping_mul(NAME_K);
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0 ^ n as u64).wrapping_mul(NAME_K);
    }
}

/// No node: the sentinel of [`Node`]'s parent and include links (a program has fewer
/// directives than ids).
const NO_NODE: NodeId = NodeId::MAX;

/// No table entry: the sentinel of [`Node`]'s entry number.
const NO_SPEC: u16 = u16::MAX;

/// One directive of the program, 24 bytes: the rules walk hundreds of thousands of them, so
/// what a node links to is a 4-byte number (parent, name, first child) and its children, name,
/// table entry, file and include are served by the model ([`Model::children`],
/// [`Model::name`], [`Model::spec`], [`Model::file_of`], [`Model::included_via`]) from arrays
/// shared by all nodes.
#[derive(Debug)]
pub struct Node<'p> {
    pub directive: &'p Directive,
    /// The enclosing block directive ([`NO_NODE`] at the main file's top level).
    parent: NodeId,
    /// The directive name's number (index of the model's distinct names).
    name_id: u32,
    /// Where this node's children start in the model's `child_order` and `child_index`
    /// (they end where the next node's start): four bytes of what was padding, where a table
    /// of level ends cost four more per node.
    children_start: u32,
    /// The context the directive sits in.
    pub context: Context,
    /// The context this node's block opens, worked out once when the model is built (`None`
    /// for a directive without a block: [`Model::block_context`] computes it when asked).
    opens: Option<Context>,
    /// The table entry nginx would use here, as its place in the model's `spec_table`
    /// ([`NO_SPEC`] if none).
    spec: u16,
}

impl Node<'_> {
    /// The enclosing block directive (`None` at the main file's top level). An `include` is
    /// never a parent: included directives are children of the block holding the include.
    #[inline]
    pub fn parent(&self) -> Option<NodeId> {
        (self.parent != NO_NODE).then_some(self.parent)
    }
}

/// A run of nodes read from one file through one `include` (or none): the walk numbers nodes in
/// order, so an expansion's nodes are consecutive until it includes another file or returns.
/// One entry per run instead of eight bytes per node (issue #13).
#[derive(Clone, Copy, Debug)]
struct FileRun {
    /// The run's first node.
    start: NodeId,
    file: FileId,
    /// The `include` directive the run was reached through ([`NO_NODE`] if none).
    included_via: NodeId,
}

/// What the walk building the model carries: which includes were expanded, and directive
/// names by their text as written.
#[derive(Default)]
struct BuildWalk<'p> {
    once: super::walk::ExpandOnce,
    /// Names of up to 16 bytes (nearly all), by [`short_name_key`]: looked up without hashing
    /// or comparing bytes (a `memcmp` call per directive was a quarter of the walk's time on
    /// the 50 MB generated configuration).
    by_short_text: foldhash::HashMap<(u64, u64, u8), u32>,
    /// Longer names.
    by_text: foldhash::HashMap<&'p [u8], u32>,
    /// The number of the name `include`, once met (a number compared per directive instead
    /// of the name).
    include: Option<u32>,
}

impl<'p> BuildWalk<'p> {
    /// The number of the name written `text`, if met before.
    #[inline]
    fn name_id(&self, text: &[u8]) -> Option<u32> {
        match short_name_key(text) {
            Some(key) => self.by_short_text.get(&key).copied(),
            None => self.by_text.get(text).copied(),
        }
    }

    fn remember(&mut self, text: &'p [u8], id: u32) {
        match short_name_key(text) {
            Some(key) => self.by_short_text.insert(key, id),
            None => self.by_text.insert(text, id),
        };
    }
}

/// What tells apart every text of at most 16 bytes: its first and its last eight bytes
/// (overlapping below 16; below 8, the text zero-padded and no second word), and its length.
/// `None` for a longer text.
#[inline]
fn short_name_key(text: &[u8]) -> Option<(u64, u64, u8)> {
    let len = text.len();
    let word = |b: &[u8]| u64::from_le_bytes(b.try_into().expect("eight bytes"));
    let (first, last) = match len {
        0..8 => {
            let mut padded = 0u64;
            for (i, &b) in text.iter().enumerate() {
                padded |= u64::from(b) << (8 * i);
            }
            (padded, 0)
        }
        8..=16 => (word(&text[..8]), word(&text[len - 8..])),
        _ => return None,
    };
    Some((first, last, len as u8))
}

/// Levels with at most this many children are searched for a name by one pass instead of a
/// binary search.
const SHORT_LEVEL: usize = 8;

/// The target nginx version when the user gives none: the last stable line before 1.29.7
/// changed `proxy_http_version`, the upstream `Connection` header and upstream keepalive.
pub const DEFAULT_VERSION: Version = Version(1, 28, 0);

/// The fewest nodes whose indices are built on two threads ([`Model::index`]): below, a
/// thread costs more than it saves.
const PARALLEL_INDEX_FROM: usize = 50_000;

/// [`Model::children_index`]'s result: where each level's run starts (the top level's at 0,
/// node `id`'s block's at `id + 1`), the runs in walk order, and the runs sorted by name.
struct ChildIndex {
    starts: Vec<u32>,
    order: Vec<NodeId>,
    index: Vec<NodeId>,
}

/// [`Model::upstream_index`]'s result: each upstream name's run in the list of blocks.
type UpstreamIndex<'p> = (foldhash::HashMap<Cow<'p, str>, (u32, u32)>, Vec<NodeId>);

#[derive(Debug)]
pub struct Model<'p> {
    pub program: &'p Program,
    pub version: Version,
    pub nodes: Vec<Node<'p>>,
    /// Top-level nodes of the main file (and of what it includes at top level).
    pub roots: Vec<NodeId>,
    /// Which file each node comes from and through which `include`, by runs of nodes
    /// ([`Model::file_of`], [`Model::included_via`]), in node order.
    file_runs: Vec<FileRun>,
    /// Every distinct directive name → its number (the index of `by_name`).
    names: foldhash::HashMap<Arc<str>, u32>,
    /// The names of at most 16 bytes (nearly all) again, by [`short_name_key`]: rules ask
    /// for directives by name constantly, and this look-up neither hashes the bytes nor
    /// calls `memcmp` ([`Model::number_of`]).
    short_names: foldhash::HashMap<(u64, u64, u8), u32>,
    /// Name number → the name (lossy: for indexing and messages).
    name_strs: Vec<Arc<str>>,
    /// Name number → every node with that name, in walk order.
    by_name: Vec<Vec<NodeId>>,
    /// Name number → the name's table entries ([`super::directives::lookup`], once per distinct name).
    name_specs: Vec<&'static [&'static DirectiveSpec]>,
    /// The entries of every name met, name after name: what a node's `spec` numbers (one
    /// look-up where finding the entry among its name's cost two).
    spec_table: Vec<&'static DirectiveSpec>,
    /// Name number → where its entries start in `spec_table`.
    spec_base: Vec<u16>,
    /// `upstream NAME {}` blocks by name: each name's run in `upstream_ids` (one array for all
    /// names, where a vector per upstream cost an allocation each). Names borrowed from the
    /// source unless escapes made a copy necessary.
    upstreams: foldhash::HashMap<Cow<'p, str>, (u32, u32)>,
    /// `upstream` blocks grouped by name, in walk order within a name.
    upstream_ids: Vec<NodeId>,
    /// The children of every level, grouped by level (the top level first, then node by node)
    /// and within a level sorted by name number (stable, so walk order within a name): a
    /// level's children named `x` are one contiguous run, found by binary search. Four bytes
    /// per node, where a hash map per block cost ~100.
    child_index: Vec<NodeId>,
    /// The same runs in walk order: each level's children as [`Model::children`] serves them
    /// (four bytes per node, where a vector per block cost 24 and an allocation). A block's
    /// run starts at its node's `children_start` and ends at the next node's (the top level's
    /// run comes first, up to the first node's).
    child_order: Vec<NodeId>,
    /// Each file's text when it is valid UTF-8 (by file id): arguments are borrowed from it.
    file_texts: Vec<Option<&'p str>>,
    /// Each file's path as messages show it (by file id), converted once instead of per
    /// message.
    file_paths: Vec<String>,
    /// Streaming decisions, computed once per model (every streaming rule asks).
    pub(crate) streaming: std::sync::OnceLock<Vec<super::streaming::Streaming>>,
    /// The classification shared out among the rule threads of a run, while they make it.
    pub(crate) streaming_shared: std::sync::OnceLock<super::streaming::SharedClassification>,
    /// No `upstream` name has an uppercase letter: `upstreams` answers for names ignoring
    /// case.
    upstream_names_lowercase: bool,
    /// The `upstream` blocks by lowercased name, built on the first ask when some name has
    /// uppercase letters.
    upstreams_folded: std::sync::OnceLock<foldhash::HashMap<String, Vec<NodeId>>>,
    /// The `set`s and `map`s by the variable they define, built on the first ask.
    pub(crate) variable_sites: std::sync::OnceLock<super::variables::VariableSites>,
    /// The `map $http_upgrade` blocks, found on the first ask.
    pub(crate) upgrade_maps: std::sync::OnceLock<super::streaming::UpgradeMaps>,
    /// The listen addresses servers share, by server list, found on the first ask.
    pub(crate) shared_addresses: std::sync::OnceLock<super::loadtime::SharedAddresses>,
    /// The `server` blocks by each name of their `server_name`s (lowercase), built on the
    /// first ask.
    servers_by_name: std::sync::OnceLock<foldhash::HashMap<String, Vec<NodeId>>>,
    /// The first `location /` directly in each block that has one, built on the first ask.
    root_locations: std::sync::OnceLock<foldhash::HashMap<NodeId, NodeId>>,
    exact_root_locations: std::sync::OnceLock<foldhash::HashMap<NodeId, NodeId>>,
}

/// Where an effective value came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Set in the block asked about.
    Here,
    /// Inherited from this ancestor block (or the top level when `None`).
    Inherited(Option<NodeId>),
    /// Not set anywhere: nginx's default for the target version.
    Default,
}

/// The effective setting of a directive at a block.
#[derive(Clone, Debug)]
pub struct Effective<'m> {
    /// The occurrences that make the value (one for scalars, all of one level for lists);
    /// empty for a default. Borrowed from the model's index of each level's children: a
    /// copy per question made each location under thousands of inherited lines copy them all.
    pub nodes: &'m [NodeId],
    pub origin: Origin,
    /// The default value (`""` if none) when `origin` is `Default`.
    pub default: &'static str,
}

impl Effective<'_> {
    pub fn is_default(&self) -> bool {
        self.origin == Origin::Default
    }
}

impl<'p> Model<'p> {
    pub fn build(program: &'p Program, version: Version) -> Model<'p> {
        let mut model = Model {
            program,
            version,
            nodes: Vec::new(),
            roots: Vec::new(),
            file_runs: Vec::new(),
            names: HashMap::default(),
            short_names: HashMap::default(),
            name_strs: Vec::new(),
            by_name: Vec::new(),
            name_specs: Vec::new(),
            spec_table: Vec::new(),
            spec_base: Vec::new(),
            upstreams: HashMap::default(),
            upstream_ids: Vec::new(),
            child_index: Vec::new(),
            child_order: Vec::new(),
            file_paths: program
                .files
                .iter()
                .map(|f| f.path.to_string_lossy().into_owned())
                .collect(),
            // Validated beside the walk below (which does not read them).
            file_texts: Vec::new(),
            streaming: std::sync::OnceLock::new(),
            streaming_shared: std::sync::OnceLock::new(),
            upstream_names_lowercase: true,
            upstreams_folded: std::sync::OnceLock::new(),
            variable_sites: std::sync::OnceLock::new(),
            upgrade_maps: std::sync::OnceLock::new(),
            shared_addresses: std::sync::OnceLock::new(),
            servers_by_name: std::sync::OnceLock::new(),
            root_locations: std::sync::OnceLock::new(),
            exact_root_locations: std::sync::OnceLock::new(),
        };
        // Sized once from the program's count (capped: the count is exact unless expansion is
        // limited, and a wrong guess only costs a regrowth); what is left over is returned.
        let hint = program.walk_size.min(1 << 26);
        model.nodes.reserve_exact(hint);
        let root_items = &program.file(0).syntax.items;
        let texts = || -> Vec<Option<&'p str>> {
            program
                .files
                .iter()
                .map(|f| std::str::from_utf8(f.model_src()).ok())
                .collect()
        };
        let mut walk = BuildWalk::default();
        let mut add_items = |model: &mut Model<'p>| {
            model.add_items(
                0,
                root_items,
                program.root_context,
                NO_NODE,
                NO_NODE,
                &mut walk,
            );
        };
        // Each file's UTF-8 validation (6 ms of the 50 MB generated configuration) on a second
        // thread while this one walks the tree, on a large program.
        if hint >= PARALLEL_INDEX_FROM && crate::threads::more_than_one() {
            std::thread::scope(|s| {
                let validating = crate::threads::spawn_beside(s, texts);
                add_items(&mut model);
                model.file_texts = match validating {
                    Ok(h) => h.join().expect("validating thread panicked"),
                    // No thread to be had (a process limit): on this one.
                    Err(_) => texts(),
                };
            });
        } else {
            add_items(&mut model);
            model.file_texts = texts();
        }
        drop(walk);
        model.nodes.shrink_to_fit();
        let parallel = model.nodes.len() >= PARALLEL_INDEX_FROM && crate::threads::more_than_one();
        model.index(parallel);
        model
    }

    /// The indices the walk leaves to fill: the nodes of each name, the children of each level
    /// and the upstream blocks by name. The children are independent of the other two: on a
    /// large model the name lists and then the upstreams are built on a second thread while
    /// this one indexes the children (issue #13: 40 ms each of the 80 these took at 50 MB of
    /// configuration).
    fn index(&mut self, parallel: bool) {
        let this = &*self;
        let (children, (by_name, (upstreams, upstream_ids))) = if parallel {
            std::thread::scope(|s| {
                let names = crate::threads::spawn_beside(s, move || {
                    let by_name = this.name_lists();
                    let upstreams = this.upstream_index(&by_name);
                    (by_name, upstreams)
                });
                let children = this.children_index();
                let names = match names {
                    Ok(h) => h.join().expect("model index thread panicked"),
                    // No thread to be had (a process limit): on this one.
                    Err(_) => {
                        let by_name = this.name_lists();
                        let upstreams = this.upstream_index(&by_name);
                        (by_name, upstreams)
                    }
                };
                (children, names)
            })
        } else {
            let by_name = this.name_lists();
            let upstreams = this.upstream_index(&by_name);
            (this.children_index(), (by_name, upstreams))
        };
        let ChildIndex {
            starts,
            order,
            index,
        } = children;
        // Level `id + 1` is node `id`'s block.
        for (n, &start) in self.nodes.iter_mut().zip(&starts[1..]) {
            n.children_start = start;
        }
        self.child_order = order;
        self.child_index = index;
        self.by_name = by_name;
        self.upstreams = upstreams;
        self.upstream_ids = upstream_ids;
        self.upstream_names_lowercase = self
            .upstreams
            .keys()
            .all(|name| !name.bytes().any(|b| b.is_ascii_uppercase()));
    }

    /// Every name's `by_name` list once the walk is done, each list allocated at its exact size
    /// (pushing during the walk grew one vector per name by doubling: reallocations, and up to
    /// half of each unused). Walk order is id order, so the lists come out in walk order.
    fn name_lists(&self) -> Vec<Vec<NodeId>> {
        let mut per_name = vec![0u32; self.by_name.len()];
        for n in &self.nodes {
            per_name[n.name_id as usize] += 1;
        }
        let mut by_name: Vec<Vec<NodeId>> = per_name
            .iter()
            .map(|&c| Vec::with_capacity(c as usize))
            .collect();
        for (id, n) in self.nodes.iter().enumerate() {
            by_name[n.name_id as usize].push(id as NodeId);
        }
        by_name
    }

    /// `child_order`/`child_index` and each level's start: a counting sort of the nodes by
    /// level (walk order within a level), then a copy of it with each level's run sorted by
    /// name number.
    fn children_index(&self) -> ChildIndex {
        // NO_NODE + 1 wraps to 0: the top level.
        let slot = |n: &Node<'_>| n.parent.wrapping_add(1) as usize;
        let len = self.nodes.len();
        // Children per level, then where each level's run ends.
        let mut at = vec![0u32; len + 1];
        for n in &self.nodes {
            at[slot(n)] += 1;
        }
        let mut total = 0;
        for a in &mut at {
            total += *a;
            *a = total;
        }
        // Place the nodes from each run's end down, the last first: each run comes out in walk
        // order, and `at` ends up at each run's start (one table where counting up from the
        // starts needed a second).
        let mut index = vec![0 as NodeId; len];
        for (i, n) in self.nodes.iter().enumerate().rev() {
            let a = &mut at[slot(n)];
            *a -= 1;
            index[*a as usize] = i as NodeId;
        }
        let order = index.clone();
        for (level, &start) in at.iter().enumerate() {
            let end = at.get(level + 1).map_or(len, |&e| e as usize);
            // Most levels are leaves (no children) or hold one: nothing to sort, and a call of
            // the sort per node cost more than the sorting.
            if end - start as usize > 1 {
                let run = &mut index[start as usize..end];
                // Names are numbered in order of first sight, so the blocks that repeat one
                // shape (a location per route) are mostly in order already: one look at each
                // child instead of the sort's steps.
                let name_id = |c: &NodeId| self.nodes[*c as usize].name_id;
                if !run.is_sorted_by_key(name_id) {
                    run.sort_by_key(name_id);
                }
            }
        }
        ChildIndex {
            starts: at,
            order,
            index,
        }
    }

    /// Where the run of `level`'s children (`None` = the top level) starts and ends in
    /// `child_order` and `child_index`.
    #[inline]
    fn level_run(&self, level: Option<NodeId>) -> std::ops::Range<usize> {
        let (start, next) = match level {
            None => (0, 0),
            Some(id) => (self.node(id).children_start, id as usize + 1),
        };
        let end = self
            .nodes
            .get(next)
            .map_or(self.nodes.len(), |n| n.children_start as usize);
        start as usize..end
    }

    /// `upstreams`/`upstream_ids` (given the nodes of each name): count the blocks per name,
    /// give each name its run, then place the blocks in walk order.
    fn upstream_index(&self, by_name: &[Vec<NodeId>]) -> UpstreamIndex<'p> {
        let upstream_blocks = self
            .number_of("upstream")
            .map_or(&[][..], |i| by_name[i as usize].as_slice());
        let named: Vec<(Cow<'p, str>, NodeId)> = upstream_blocks
            .iter()
            .filter(|&&u| self.node(u).directive.block().is_some())
            .filter_map(|&u| Some((self.arg_str(u, 0)?, u)))
            .collect();
        // Room for every name at once: growing by doubling rehashed the table (4 MB at
        // 63,000 upstreams) a dozen times.
        let mut runs: foldhash::HashMap<Cow<'p, str>, (u32, u32)> =
            HashMap::with_capacity_and_hasher(named.len(), Default::default());
        for (name, _) in &named {
            match runs.get_mut(name) {
                Some(run) => run.1 += 1,
                None => {
                    runs.insert(name.clone(), (0, 1));
                }
            }
        }
        // Counts to runs: each name's run starts where the previous one's ends, and its end
        // moves up as its blocks are placed.
        let mut start = 0;
        for run in runs.values_mut() {
            let count = run.1;
            *run = (start, start);
            start += count;
        }
        let mut ids = vec![0 as NodeId; named.len()];
        for (name, id) in &named {
            let run = runs.get_mut(name).expect("counted above");
            ids[run.1 as usize] = *id;
            run.1 += 1;
        }
        (runs, ids)
    }

    /// The number of the name `bytes` (interned on first sight).
    fn intern(&mut self, bytes: &[u8]) -> u32 {
        let lossy = String::from_utf8_lossy(bytes);
        if let Some(&id) = self.names.get(&*lossy) {
            return id;
        }
        let name: Arc<str> = Arc::from(&*lossy);
        let id = self.by_name.len() as u32;
        self.names.insert(name.clone(), id);
        if let Some(key) = short_name_key(name.as_bytes()) {
            self.short_names.insert(key, id);
        }
        self.by_name.push(Vec::new());
        let specs = super::directives::lookup_str(&name);
        // At most every entry of the directive table once (each belongs to one name).
        self.spec_base.push(
            u16::try_from(self.spec_table.len())
                .ok()
                .filter(|&b| b < NO_SPEC)
                .expect("the directive table has fewer than 65,535 entries"),
        );
        self.spec_table.extend_from_slice(specs);
        self.name_specs.push(specs);
        self.name_strs.push(name);
        id
    }

    fn add_items(
        &mut self,
        file: FileId,
        items: &'p [crate::syntax::Element],
        context: Context,
        parent: NodeId,
        included_via: NodeId,
        walk: &mut BuildWalk<'p>,
    ) {
        let program = self.program;
        // Names as the tree has them (a template read past its tags: its masked copy).
        let src: &'p [u8] = program.file(file).model_src();
        for d in items
            .iter()
            .filter_map(crate::syntax::Element::as_directive)
        {
            // The name's number by its text as written (no unquoting, unescaping or UTF-8
            // decoding for a name met before), else interned from its value.
            let text: &'p [u8] = d.name_token().map_or(b"", |t| t.text(src));
            let name_id = match walk.name_id(text) {
                Some(id) => id,
                None => {
                    let id = self.intern(&d.name(src));
                    walk.remember(text, id);
                    if &*self.name_strs[id as usize] == "include" {
                        walk.include = Some(id);
                    }
                    id
                }
            };
            let name = &*self.name_strs[name_id as usize];
            // Block and include names are ASCII keywords: the lossy name matches as the
            // bytes would.
            let block_context = d.block().map(|_| context.child(name.as_bytes()));
            let is_include = walk.include == Some(name_id);
            let specs = self.name_specs[name_id as usize];
            let spec = if context.is_checked() {
                specs
                    .iter()
                    .position(|s| s.contexts & context.bit() != 0)
                    // Below `NO_SPEC`: the table has fewer entries (checked when interned).
                    .map_or(NO_SPEC, |i| self.spec_base[name_id as usize] + i as u16)
            } else {
                NO_SPEC
            };
            let id = NodeId::try_from(self.nodes.len())
                .ok()
                .filter(|&id| id != NO_NODE)
                .expect("fewer than 2^32 - 1 directives");
            match self.file_runs.last() {
                Some(run) if run.file == file && run.included_via == included_via => {}
                _ => self.file_runs.push(FileRun {
                    start: id,
                    file,
                    included_via,
                }),
            }
            self.nodes.push(Node {
                directive: d,
                parent,
                name_id,
                children_start: 0,
                context,
                opens: block_context,
                spec,
            });
            // `children` and `by_name` are filled once the walk is done ([`Model::link`],
            // [`Model::index_children`]).
            if parent == NO_NODE {
                self.roots.push(id);
            }
            if let (Some(block), Some(child)) = (d.block(), block_context) {
                self.add_items(file, &block.items, child, id, included_via, walk);
            } else if is_include {
                // Only an `include` has included files: no look-up for any other directive.
                for &inc in program.included(file, d) {
                    if walk.once.first(program, inc, context) {
                        let items = &program.file(inc).syntax.items;
                        self.add_items(inc, items, context, parent, id, walk);
                    }
                }
            }
        }
    }

    /// How many directives the model holds (ids run from 0 to this).
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    pub fn node(&self, id: NodeId) -> &Node<'p> {
        &self.nodes[id as usize]
    }

    /// The run `id` belongs to.
    #[inline]
    fn file_run(&self, id: NodeId) -> &FileRun {
        // The first run starts at node 0, and ids come from this model's nodes: never empty.
        // A program of one file (most) has one run: no search.
        if let [only] = &self.file_runs[..] {
            return only;
        }
        let i = self.file_runs.partition_point(|r| r.start <= id);
        &self.file_runs[i - 1]
    }

    /// The file node `id` was read from.
    #[inline]
    pub fn file_of(&self, id: NodeId) -> FileId {
        self.file_run(id).file
    }

    /// The `include` directive node `id` was reached through, if any (innermost).
    #[inline]
    pub fn included_via(&self, id: NodeId) -> Option<NodeId> {
        let via = self.file_run(id).included_via;
        (via != NO_NODE).then_some(via)
    }

    /// The directive name of `id`, lossy (for indexing and messages).
    #[inline]
    pub fn name(&self, id: NodeId) -> &str {
        &self.name_strs[self.node(id).name_id as usize]
    }

    /// Direct children of block `id` (none for a directive without a block), includes
    /// flattened, in nginx's order.
    #[inline]
    pub fn children(&self, id: NodeId) -> &[NodeId] {
        &self.child_order[self.level_run(Some(id))]
    }

    /// The children of every level, the top level first and then each node's (empty for a
    /// directive without a block), in id order: what [`Model::roots`] and
    /// [`Model::children`] give, read in one pass.
    pub fn levels(&self) -> impl Iterator<Item = &[NodeId]> + '_ {
        std::iter::once(None)
            .chain((0..self.nodes.len() as NodeId).map(Some))
            .map(|level| &self.child_order[self.level_run(level)])
    }

    /// The table entry nginx would use for `id` (name and context match), if any.
    #[inline]
    pub fn spec(&self, id: NodeId) -> Option<&'static DirectiveSpec> {
        self.spec_table
            .get(usize::from(self.node(id).spec))
            .copied()
    }

    /// Every table entry of `id`'s name (in any context), as [`super::directives::lookup`]
    /// gives them: looked up once per distinct name when the model is built.
    pub fn specs(&self, id: NodeId) -> &'static [&'static DirectiveSpec] {
        self.name_specs[self.node(id).name_id as usize]
    }

    /// `upstream NAME {}` blocks named `name`.
    pub fn upstreams_named(&self, name: &str) -> &[NodeId] {
        self.upstreams.get(name).map_or(&[], |&(start, end)| {
            &self.upstream_ids[start as usize..end as usize]
        })
    }

    /// `upstream NAME {}` blocks whose name is `lower` (lowercase) ignoring ASCII case, in
    /// walk order: how nginx finds the upstream a pass URL's host names
    /// (`ngx_http_upstream_add` compares names case-insensitively).
    pub fn upstreams_named_ignore_case(&self, lower: &str) -> &[NodeId] {
        if self.upstream_names_lowercase {
            return self.upstreams_named(lower);
        }
        self.upstreams_folded()
            .get(lower)
            .map_or(&[], Vec::as_slice)
    }

    /// The `upstream` blocks by lowercased name, built on the first ask.
    fn upstreams_folded(&self) -> &foldhash::HashMap<String, Vec<NodeId>> {
        self.upstreams_folded.get_or_init(|| {
            let mut folded: foldhash::HashMap<String, Vec<NodeId>> = HashMap::default();
            for &u in self.directives_named("upstream") {
                if self.node(u).directive.block().is_some()
                    && let Some(name) = self.arg_str(u, 0)
                {
                    folded.entry(name.to_ascii_lowercase()).or_default().push(u);
                }
            }
            folded
        })
    }

    /// The `server` blocks one of whose `server_name`s is `lower` (lowercase, as written: no
    /// wildcard or regex matching), in walk order.
    pub fn servers_named(&self, lower: &str) -> &[NodeId] {
        self.servers_by_name
            .get_or_init(|| {
                let mut by_name: foldhash::HashMap<String, Vec<NodeId>> = HashMap::default();
                for &n in self.directives_named("server_name") {
                    let Some(server) = self.node(n).parent().filter(|&p| self.name(p) == "server")
                    else {
                        continue;
                    };
                    for i in 0..self.arg_count(n) {
                        if let Some(name) = self.arg_str(n, i) {
                            let list = by_name.entry(name.to_ascii_lowercase()).or_default();
                            if list.last() != Some(&server) {
                                list.push(server);
                            }
                        }
                    }
                }
                by_name
            })
            .get(lower)
            .map_or(&[], Vec::as_slice)
    }

    /// The first `location /` (no modifier) directly in `block` (a server, usually): one
    /// index for every block, where looking through a server's locations for each of its
    /// locations was quadratic.
    pub fn root_location(&self, block: NodeId) -> Option<NodeId> {
        self.root_locations
            .get_or_init(|| {
                self.first_locations(|l| self.arg_count(l) == 1 && self.arg_is(l, 0, "/"))
            })
            .get(&block)
            .copied()
    }

    /// The first `location = /` directly in `block`: indexed once, as [`Model::root_location`].
    pub fn exact_root_location(&self, block: NodeId) -> Option<NodeId> {
        self.exact_root_locations
            .get_or_init(|| {
                self.first_locations(|l| {
                    self.arg_count(l) == 2 && self.arg_is(l, 0, "=") && self.arg_is(l, 1, "/")
                })
            })
            .get(&block)
            .copied()
    }

    /// Each block's first location that `pick` takes, by block.
    fn first_locations(&self, pick: impl Fn(NodeId) -> bool) -> foldhash::HashMap<NodeId, NodeId> {
        let mut first: foldhash::HashMap<NodeId, NodeId> = HashMap::default();
        for &l in self.directives_named("location") {
            if pick(l)
                && let Some(parent) = self.node(l).parent()
            {
                first.entry(parent).or_insert(l);
            }
        }
        first
    }

    /// The `upstream` blocks sharing a name ignoring ASCII case with another, each name's in
    /// walk order, the names in the order of their first block: read off the index of
    /// upstream names, where hashing every name again cost a wait for memory per block on a
    /// large configuration.
    pub fn upstreams_sharing_a_name(&self) -> Vec<&[NodeId]> {
        let mut shared: Vec<&[NodeId]> = if self.upstream_names_lowercase {
            self.upstreams
                .values()
                .filter(|&&(start, end)| end - start > 1)
                .map(|&(start, end)| &self.upstream_ids[start as usize..end as usize])
                .collect()
        } else {
            self.upstreams_folded()
                .values()
                .filter(|run| run.len() > 1)
                .map(Vec::as_slice)
                .collect()
        };
        shared.sort_unstable_by_key(|run| run[0]);
        shared
    }

    /// Every distinct directive name with its nodes in walk order (a rule that asks about a
    /// family of names, `uwsgi_*`, reads the few names a configuration has, not every node).
    pub fn names_with_nodes(&self) -> impl Iterator<Item = (&str, &[NodeId])> + '_ {
        self.name_strs
            .iter()
            .zip(&self.by_name)
            .map(|(name, ids)| (&**name, ids.as_slice()))
    }

    /// Every node named `name`, in walk order.
    pub fn directives_named(&self, name: &str) -> &[NodeId] {
        self.number_of(name)
            .map_or(&[], |i| self.by_name[i as usize].as_slice())
    }

    /// The nodes named `name` numbered within `range`, in walk order: a block's subtree is
    /// the range from it to its [`Model::subtree_end`]. Two binary searches, no walk.
    pub fn directives_named_in(&self, name: &str, range: std::ops::Range<NodeId>) -> &[NodeId] {
        let all = self.directives_named(name);
        let from = all.partition_point(|&n| n < range.start);
        let to = from + all[from..].partition_point(|&n| n < range.end);
        &all[from..to]
    }

    /// The number of the directive name `name`, if any directive has it.
    #[inline]
    fn number_of(&self, name: &str) -> Option<u32> {
        match short_name_key(name.as_bytes()) {
            Some(key) => self.short_names.get(&key).copied(),
            None => self.names.get(name).copied(),
        }
    }

    /// The text of file `file`, if it is valid UTF-8.
    pub(crate) fn file_text(&self, file: FileId) -> Option<&'p str> {
        self.file_texts.get(file as usize).copied().flatten()
    }

    /// The source bytes of the file holding `id`, as the model reads them
    /// ([`super::SourceFile::model_src`]).
    pub fn src(&self, id: NodeId) -> &'p [u8] {
        self.program.file(self.file_of(id)).model_src()
    }

    /// Argument values of `id` as nginx sees them.
    pub fn args(&self, id: NodeId) -> Vec<Cow<'p, [u8]>> {
        let src = self.src(id);
        self.node(id).directive.args(src).collect()
    }

    /// Argument `i` of `id`, lossy, if present.
    pub fn arg(&self, id: NodeId, i: usize) -> Option<String> {
        self.arg_str(id, i).map(Cow::into_owned)
    }

    /// Number of arguments of `id`.
    pub fn arg_count(&self, id: NodeId) -> usize {
        self.node(id).directive.arg_tokens().count()
    }

    /// Children of block `parent` (or of the top level) named `name`.
    pub fn children_named(&self, parent: Option<NodeId>, name: &str) -> Vec<NodeId> {
        self.children_named_slice(parent, name).to_vec()
    }

    /// Like [`Model::children_named`], without allocating: a binary search in the level's
    /// children, so asking an `http` block with thousands of servers stays O(log n) (effective
    /// values ask every level).
    pub fn children_named_slice(&self, parent: Option<NodeId>, name: &str) -> &[NodeId] {
        match self.number_of(name) {
            Some(id) => self.children_with_name_id(parent, id),
            None => &[],
        }
    }

    /// [`Model::children_named_slice`] for a name already looked up: callers asking several
    /// levels for one name hash it once.
    fn children_with_name_id(&self, parent: Option<NodeId>, id: u32) -> &[NodeId] {
        let run = &self.child_index[self.level_run(parent)];
        if run.len() <= SHORT_LEVEL {
            // Most levels hold a handful of children: one pass over them costs less than the
            // two binary searches' steps.
            let name_of = |c: &NodeId| self.nodes[*c as usize].name_id;
            let from = run
                .iter()
                .position(|c| name_of(c) >= id)
                .unwrap_or(run.len());
            let len = run[from..].iter().take_while(|c| name_of(c) == id).count();
            return &run[from..from + len];
        }
        let from = run.partition_point(|&c| self.nodes[c as usize].name_id < id);
        let to = from + run[from..].partition_point(|&c| self.nodes[c as usize].name_id == id);
        &run[from..to]
    }

    /// Enclosing blocks of `id`, innermost first.
    pub fn ancestors(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        std::iter::successors(self.node(id).parent(), |&p| self.node(p).parent())
    }

    /// One past the last node inside `id`'s block (`id + 1` for a directive without one):
    /// nodes are numbered in walk order, so a block's nodes are the numbers between.
    pub fn subtree_end(&self, id: NodeId) -> NodeId {
        let mut last = id;
        while let Some(&c) = self.children(last).last() {
            last = c;
        }
        last + 1
    }

    /// The `location` block directive `id` is written in directly (none where its block is an
    /// `if`, a `limit_except` or a server): the location a `proxy_pass` or `fastcgi_pass` sends.
    #[inline]
    pub fn parent_location(&self, id: NodeId) -> Option<NodeId> {
        self.node(id)
            .parent()
            .filter(|&l| self.name(l) == "location")
    }

    /// The innermost enclosing block of `id` whose name is `name`.
    pub fn enclosing(&self, id: NodeId, name: &str) -> Option<NodeId> {
        self.ancestors(id).find(|&a| self.name(a) == name)
    }

    /// The effective `name` at block `at` (`None` = top level), following nginx's merge: the
    /// nearest level that sets it wins; for list directives, all occurrences of that level;
    /// directives that are not inherited count only at `at` itself.
    pub fn effective(&self, at: Option<NodeId>, name: &str) -> Effective<'_> {
        // The name's number, looked up once for every level asked; a name no directive of the
        // program has is its default at once.
        let name_id = self.number_of(name);
        let specs = match name_id {
            Some(id) => self.name_specs[id as usize],
            None => super::directives::lookup_str(name),
        };
        let spec = self.spec_for_level(at, specs);
        let merge = spec.map_or(Merge::Scalar, |s| s.merge);
        if let Some(id) = name_id {
            let mut level = at;
            loop {
                let here = self.children_with_name_id(level, id);
                if !here.is_empty() {
                    let nodes = match merge {
                        Merge::List => here,
                        // Scalars: nginx takes the last one (duplicates are an error anyway).
                        _ => &here[here.len() - 1..],
                    };
                    let origin = if level == at {
                        Origin::Here
                    } else {
                        Origin::Inherited(level)
                    };
                    return Effective {
                        nodes,
                        origin,
                        default: "",
                    };
                }
                if merge == Merge::None {
                    break;
                }
                match level {
                    Some(l) => level = self.node(l).parent(),
                    None => break,
                }
            }
        }
        Effective {
            nodes: &[],
            origin: Origin::Default,
            default: spec.map_or("", |s| default_for(s, self.version)),
        }
    }

    /// The table entry of `name` for a directive placed in block `at`.
    fn spec_for_level(
        &self,
        at: Option<NodeId>,
        specs: &'static [&'static DirectiveSpec],
    ) -> Option<&'static DirectiveSpec> {
        let ctx = self.block_context(at);
        specs
            .iter()
            .copied()
            .find(|s| s.contexts & ctx.bit() != 0)
            .or_else(|| specs.first().copied())
    }

    /// The context a block opens (`None` = the top level's context).
    pub fn block_context(&self, at: Option<NodeId>) -> Context {
        match at {
            Some(b) => {
                let n = self.node(b);
                n.opens
                    .unwrap_or_else(|| n.context.child(self.name(b).as_bytes()))
            }
            None => self.program.root_context,
        }
    }

    /// 1-based line of a node, for messages ("inherited from server at nginx.conf:12").
    pub fn location(&self, id: NodeId) -> (&str, u32) {
        let file = self.file_of(id);
        (
            // What `display()` shows, converted once per file (borrowed, not copied per call).
            &self.file_paths[file as usize],
            self.program
                .file(file)
                .lines()
                .line(self.node(id).directive.span().start),
        )
    }

    /// How a node's level is described in messages: `location /api`, `server`, `http`.
    pub fn describe_block(&self, at: Option<NodeId>) -> String {
        match at {
            None => "top level".to_owned(),
            Some(b) => {
                let name = self.name(b);
                // Pieces borrowed from the source and put together once (no `format!`).
                match self.arg_str(b, 0) {
                    Some(a) if name == "location" => {
                        let b2 = self.arg_str(b, 1);
                        let len =
                            "location ".len() + a.len() + b2.as_ref().map_or(0, |x| x.len() + 1);
                        let mut s = String::with_capacity(len);
                        s.push_str("location ");
                        s.push_str(&a);
                        if let Some(b2) = b2 {
                            s.push(' ');
                            s.push_str(&b2);
                        }
                        s
                    }
                    _ => name.to_owned(),
                }
            }
        }
    }
}

impl Model<'_> {
    /// An `include` nginx would fail on here (a plain path that is missing or unreadable): what
    /// it would have brought is unknown. A glob matching nothing includes nothing, for nginx as
    /// for us, so it is not a failure.
    pub fn include_failed(&self, include: NodeId) -> bool {
        use super::include::IncludeErrorKind;
        let file = self.file_of(include);
        let span = self.node(include).directive.span();
        self.program.include_errors.iter().any(|e| {
            e.file == file
                && span.start <= e.span.start
                && e.span.end <= span.end
                && !matches!(
                    e.kind,
                    IncludeErrorKind::Cycle { .. } | IncludeErrorKind::Expansion { .. }
                )
        })
    }

    /// Does block `level` (`None`: the top level) hold an `include` that failed
    /// ([`Model::include_failed`])? Then what the level says is not all known.
    pub fn include_failed_at(&self, level: Option<NodeId>) -> bool {
        self.children_named_slice(level, "include")
            .iter()
            .any(|&i| self.include_failed(i))
    }

    /// "set here", "inherited from server at nginx.conf:12", "default for nginx 1.28.0".
    pub fn describe_origin(&self, eff: &Effective) -> String {
        match &eff.origin {
            Origin::Here => {
                let (f, l) = self.location(eff.nodes[0]);
                format!("set here ({f}:{l})")
            }
            Origin::Inherited(level) => {
                let (f, l) = self.location(eff.nodes[0]);
                format!("inherited from {} at {f}:{l}", self.describe_block(*level))
            }
            Origin::Default => format!("the default for nginx {}", self.version),
        }
    }

    /// The effective value's first argument (or the default), lossy.
    pub fn effective_value(&self, eff: &Effective) -> String {
        match eff.nodes.first() {
            // The arguments joined by spaces, written into one string (no vector of them).
            Some(&n) => {
                let mut value = String::new();
                for (k, t) in self.node(n).directive.arg_tokens().enumerate() {
                    if k > 0 {
                        value.push(' ');
                    }
                    value.push_str(&self.token_str(n, t));
                }
                value
            }
            None => eff.default.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::hash::BuildHasher;

    use super::*;

    /// Two texts of at most 16 bytes have the same key only when they are equal: every
    /// text over a small alphabet with a zero byte (a shorter text's padding) up to length
    /// 16 from a few seeds, each length and each byte changed once.
    #[test]
    fn short_name_keys_tell_texts_apart() {
        let mut texts: Vec<Vec<u8>> = vec![Vec::new()];
        for seed in [
            &b"proxy_set_header"[..],
            b"\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
            b"location",
        ] {
            for len in 0..=seed.len() {
                let text = &seed[..len];
                texts.push(text.to_vec());
                for i in 0..len {
                    for b in [0u8, b'a', 0xff] {
                        let mut t = text.to_vec();
                        t[i] = b;
                        texts.push(t);
                    }
                }
            }
        }
        texts.sort();
        texts.dedup();
        let mut seen: HashMap<(u64, u64, u8), &[u8]> = HashMap::new();
        for t in &texts {
            let key = short_name_key(t).expect("at most 16 bytes");
            if let Some(other) = seen.insert(key, t) {
                panic!("{other:?} and {t:?} share a key");
            }
        }
        assert!(texts.len() > 300);
        assert!(short_name_key(b"proxy_set_header_").is_none());
    }

    /// The walk's look-up by text finds each name under its number, short and long.
    #[test]
    fn names_are_numbered_in_order_of_first_sight() {
        let program = program_of(
            b"http { proxy_set_header A b; server { proxy_set_header C d; \
              proxy_headers_hash_bucket_size 64; proxy_headers_hash_bucket_size 64; \
              include x; listen 80; } }\n",
        );
        let model = Model::build(&program, DEFAULT_VERSION);
        let ids: Vec<u32> = model.nodes.iter().map(|n| n.name_id).collect();
        assert_eq!(ids, [0, 1, 2, 1, 3, 3, 4, 5]);
        assert_eq!(model.name(6), "include");
        assert_eq!(model.name(4), "proxy_headers_hash_bucket_size");
    }

    /// The program of one file `t.conf` holding `src`.
    fn program_of(src: &[u8]) -> crate::semantics::Program {
        crate::semantics::Program::from_source(
            "t.conf".into(),
            src.to_vec(),
            &crate::semantics::LoadOptions::default(),
        )
    }

    /// A node is its directive, three 4-byte numbers, two contexts and a 2-byte table entry
    /// number: 24 bytes (32 with its file and include, 80 with its own children vector, shared
    /// name and table pointer).
    #[test]
    fn node_is_twenty_four_bytes() {
        assert_eq!(std::mem::size_of::<Node<'_>>(), 24);
    }

    /// A node numbers its table entry in two bytes: the directive table has fewer entries
    /// than that (the build's `expect` cannot fire).
    #[test]
    fn table_entries_fit_the_node_entry_number() {
        use super::super::directives::{nginx_directives, third_party};
        let entries = nginx_directives().chain(third_party::DIRECTIVES).count();
        assert!((1..usize::from(NO_SPEC)).contains(&entries), "{entries}");
    }

    /// The indices built on two threads are the ones built on one: the nodes of each name,
    /// each level's children (in walk order and by name) and the upstreams by name, on a
    /// configuration with repeated upstream names, nested blocks and names out of order.
    #[test]
    fn indices_built_on_two_threads_are_the_same() {
        let mut src = String::from("http {\n");
        for i in 0..400 {
            src.push_str(&format!(
                "upstream u{} {{ server a:{i}; }}\nserver {{ listen {i}; location /{i} {{ \
                 proxy_pass http://u{}; if ($x) {{ return 404; }} add_header a b; }} \
                 server_name s{i}; }}\n",
                i % 7,
                i % 9
            ));
        }
        src.push_str("}\n");
        let program = program_of(src.as_bytes());
        let serial = Model::build(&program, DEFAULT_VERSION);
        let mut parallel = Model::build(&program, DEFAULT_VERSION);
        for n in &mut parallel.nodes {
            n.children_start = 0;
        }
        parallel.child_index.clear();
        parallel.child_order.clear();
        parallel.by_name.iter_mut().for_each(Vec::clear);
        parallel.upstreams.clear();
        parallel.upstream_ids.clear();
        parallel.index(true);
        let starts = |m: &Model<'_>| m.nodes.iter().map(|n| n.children_start).collect::<Vec<_>>();
        assert_eq!(starts(&parallel), starts(&serial));
        assert_eq!(parallel.child_index, serial.child_index);
        assert_eq!(parallel.child_order, serial.child_order);
        assert_eq!(parallel.by_name, serial.by_name);
        // Where each name's run sits follows the map's (seeded) order; each name's blocks do not.
        assert_eq!(parallel.upstreams.len(), serial.upstreams.len());
        for name in serial.upstreams.keys() {
            assert_eq!(parallel.upstreams_named(name), serial.upstreams_named(name));
        }
        assert_eq!(serial.upstreams.len(), 7);
        assert_eq!(
            serial.upstreams_named("u3").len(),
            (0..400).filter(|i| i % 7 == 3).count()
        );
        assert!(serial.nodes.len() > 4000);
    }

    /// A block's cached context is what the directive's own context and name give.
    #[test]
    fn block_context_cached_as_computed() {
        let src = b"events { } http { server { location / { if ($x) { } limit_except GET { } } } upstream u { server a; } map $a $b { } types { } }\n";
        let program = program_of(src);
        let model = Model::build(&program, DEFAULT_VERSION);
        let mut blocks = 0;
        for id in 0..model.nodes.len() as NodeId {
            let n = model.node(id);
            assert_eq!(
                model.block_context(Some(id)),
                n.context.child(model.name(id).as_bytes()),
                "{}",
                model.name(id)
            );
            blocks += usize::from(n.opens.is_some());
        }
        assert_eq!(blocks, 9);
    }

    /// Short levels (one pass) and long ones (binary search) give each name's children in
    /// walk order, as a filter over every node gives them.
    #[test]
    fn children_named_as_a_filter_gives_them() {
        let mut src = String::from("http { a 1; b 2; a 3; server { b 4; c 5; } ");
        for k in 0..12 {
            src.push_str(if k % 3 == 0 { "c x; " } else { "a y; " });
        }
        src.push_str("server { a 6; } }\nb 7;\n");
        let program = program_of(src.as_bytes());
        let model = Model::build(&program, DEFAULT_VERSION);
        let levels = std::iter::once(None).chain((0..model.nodes.len() as NodeId).map(Some));
        let mut long = false;
        for level in levels {
            let children =
                (0..model.nodes.len() as NodeId).filter(|&c| model.node(c).parent() == level);
            long |= children.clone().count() > SHORT_LEVEL;
            for name in ["a", "b", "c", "server", "http", "absent"] {
                let want: Vec<NodeId> = children
                    .clone()
                    .filter(|&c| model.name(c) == name)
                    .collect();
                assert_eq!(
                    model.children_named_slice(level, name),
                    want,
                    "{level:?} {name}"
                );
            }
        }
        assert!(long, "no level long enough for the binary search");
    }

    /// Each block's children, served from the shared array, are the nodes whose parent it is,
    /// in walk order; a node's table entry is the first of its name's entries allowed in its
    /// context (none outside the checked contexts).
    #[test]
    fn children_and_spec_as_the_nodes_give_them() {
        let src = b"events { } http { include mime.types; server { listen 80; location / { if ($x) { return 404; } proxy_pass http://u; } } upstream u { server a; keepalive 2; } map $a $b { default 1; x 2; } }\nstream { upstream s { server b:1; } server { listen 1; proxy_pass s; } }\n";
        let program = program_of(src);
        let model = Model::build(&program, DEFAULT_VERSION);
        let all = 0..model.nodes.len() as NodeId;
        let top: Vec<NodeId> = all
            .clone()
            .filter(|&c| model.node(c).parent().is_none())
            .collect();
        assert_eq!(model.roots, top);
        let levels: Vec<&[NodeId]> = model.levels().collect();
        assert_eq!(levels.len(), model.nodes.len() + 1);
        assert_eq!(levels[0], top);
        for id in all.clone() {
            assert_eq!(levels[id as usize + 1], model.children(id));
        }
        let mut with_children = 0;
        let mut with_spec = 0;
        for id in all.clone() {
            let want: Vec<NodeId> = all
                .clone()
                .filter(|&c| model.node(c).parent() == Some(id))
                .collect();
            assert_eq!(model.children(id), want, "{}", model.name(id));
            with_children += usize::from(!want.is_empty());
            let n = model.node(id);
            let want_spec = n
                .context
                .is_checked()
                .then(|| {
                    super::super::directives::lookup_str(model.name(id))
                        .iter()
                        .copied()
                        .find(|s| s.contexts & n.context.bit() != 0)
                })
                .flatten();
            assert_eq!(
                model.spec(id).map(|s| s as *const DirectiveSpec),
                want_spec.map(|s| s as *const DirectiveSpec),
                "{}",
                model.name(id)
            );
            with_spec += usize::from(want_spec.is_some());
        }
        // http, server, location, if, upstream, map, stream, its upstream and server (not the
        // empty events block).
        assert_eq!(with_children, 9);
        // Every directive but the map's two entries has its entry (two `server`s, two
        // `upstream`s, two `listen`s and two `proxy_pass`es with different ones).
        assert_eq!(with_spec, model.nodes.len() - 2);
    }

    /// A block's nodes are the numbers between it and its `subtree_end`: every node whose
    /// ancestors include it, and no other.
    #[test]
    fn a_subtree_ends_after_its_last_descendant() {
        let src = b"events { } http { map $a $b { x y; } server { listen 80; location / { if ($a) { return 204; } } location /b { } } server { } }\nstream { server { } }\n";
        let program = program_of(src);
        let model = Model::build(&program, DEFAULT_VERSION);
        let n = model.nodes.len() as NodeId;
        let mut blocks = 0;
        for id in 0..n {
            let inside: Vec<NodeId> = (0..n)
                .filter(|&d| model.ancestors(d).any(|a| a == id))
                .collect();
            let end = model.subtree_end(id);
            assert_eq!(
                inside,
                (id + 1..end).collect::<Vec<_>>(),
                "{}",
                model.name(id)
            );
            blocks += usize::from(inside.len() > 1);
        }
        assert!(blocks >= 3, "{blocks} blocks of two nodes or more");
    }

    /// The `upstream` blocks whose name `matches`, found by a pass over every `upstream`.
    fn upstream_blocks(model: &Model<'_>, matches: impl Fn(&str) -> bool) -> Vec<NodeId> {
        model
            .directives_named("upstream")
            .iter()
            .copied()
            .filter(|&u| {
                model.node(u).directive.block().is_some()
                    && model.arg_str(u, 0).is_some_and(|a| matches(&a))
            })
            .collect()
    }

    /// Upstream blocks by name, in walk order within a name (a repeated name keeps both);
    /// an `upstream` without a block, or a name without one, gives none.
    #[test]
    fn upstreams_by_name_in_walk_order() {
        let src = b"http { upstream a { server x; } upstream b { server y; } upstream a { server z; } upstream c; }\nstream { upstream b { server w:1; } }\n";
        let program = program_of(src);
        let model = Model::build(&program, DEFAULT_VERSION);
        let blocks = |name: &str| upstream_blocks(&model, |a| a == name);
        for name in ["a", "b", "c", "d"] {
            assert_eq!(model.upstreams_named(name), blocks(name), "{name}");
        }
        assert_eq!(model.upstreams_named("a").len(), 2);
        assert_eq!(model.upstreams_named("b").len(), 2);
        assert!(model.upstreams_named("c").is_empty());
    }

    /// Ignoring case, an upstream is found as nginx finds it: by the lowercased name, in walk
    /// order, whether every name is lowercase (the index itself answers) or some are not (a
    /// folded index).
    #[test]
    fn upstreams_by_name_ignoring_case() {
        let lower = b"http { upstream app { server x; } upstream b { server y; } upstream app { server z; } }\n";
        let mixed = b"http { upstream App { server x; } upstream b { server y; } upstream aPP { server z; } upstream app; }\n";
        for src in [&lower[..], &mixed[..]] {
            let program = program_of(src);
            let model = Model::build(&program, DEFAULT_VERSION);
            let blocks = |name: &str| upstream_blocks(&model, |a| a.eq_ignore_ascii_case(name));
            for name in ["app", "b", "c"] {
                assert_eq!(
                    model.upstreams_named_ignore_case(name),
                    blocks(name),
                    "{name}"
                );
            }
            assert_eq!(model.upstreams_named_ignore_case("app").len(), 2);
        }
    }

    /// A program large enough to have its files validated beside the walk knows which are
    /// UTF-8, as a small one does.
    #[test]
    fn files_validated_beside_the_walk_as_on_one_thread() {
        for bad in [false, true] {
            let mut src = b"http {\n".to_vec();
            for i in 0..PARALLEL_INDEX_FROM {
                src.extend_from_slice(format!("    set $v{i} x;\n").as_bytes());
            }
            if bad {
                src.extend_from_slice(b"    set $w \"\xff\";\n");
            }
            src.extend_from_slice(b"}\n");
            let program = program_of(&src);
            let model = Model::build(&program, DEFAULT_VERSION);
            assert!(model.nodes.len() > PARALLEL_INDEX_FROM);
            assert_eq!(model.file_text(0).is_some(), !bad);
            assert_eq!(model.arg_str(1, 0).as_deref(), Some("$v0"));
        }
    }

    /// The upstream blocks sharing a name ignoring case, as grouping every block by its
    /// lowercased name finds them: lowercase names (the index) and mixed ones (the folded
    /// map), runs in the order of their first block.
    #[test]
    fn upstreams_sharing_a_name_ignoring_case() {
        let lower = b"http { upstream b { } upstream app { } upstream b { } upstream app { } upstream c { } upstream app { } }\n";
        let mixed = b"http { upstream b { } upstream App { } upstream B { } upstream aPP { } upstream c { } upstream app { } upstream d; }\n";
        for src in [&lower[..], &mixed[..]] {
            let program = program_of(src);
            let model = Model::build(&program, DEFAULT_VERSION);
            let mut expected: Vec<Vec<NodeId>> = Vec::new();
            for name in ["b", "app", "c", "d"] {
                let run = upstream_blocks(&model, |a| a.eq_ignore_ascii_case(name));
                if run.len() > 1 {
                    expected.push(run);
                }
            }
            let shared: Vec<Vec<NodeId>> = model
                .upstreams_sharing_a_name()
                .into_iter()
                .map(<[NodeId]>::to_vec)
                .collect();
            assert_eq!(shared, expected);
            assert_eq!(shared.iter().map(Vec::len).collect::<Vec<_>>(), [2, 3]);
        }
    }

    /// The name hasher spreads the table's names over buckets as well as FNV does: the low
    /// bits (which pick the bucket) and the top seven (hashbrown's tag) both vary.
    #[test]
    fn name_hasher_spreads_directive_names() {
        let names: std::collections::HashSet<&str> = super::super::directives::nginx_directives()
            .map(|s| s.name)
            .collect();
        assert!(names.len() > 500, "{}", names.len());
        let spread = |build: &dyn Fn(&str) -> u64| {
            let low: std::collections::HashSet<u64> =
                names.iter().map(|n| build(n) & 1023).collect();
            let tag: std::collections::HashSet<u64> =
                names.iter().map(|n| build(n) >> 57).collect();
            (low.len(), tag.len())
        };
        let (low, tag) = spread(&|n| NameBuild::default().hash_one(n));
        let (fnv_low, _) = spread(&|n| FnvBuild::default().hash_one(n));
        assert!(
            low * 10 >= fnv_low * 9,
            "{low} buckets against FNV's {fnv_low}"
        );
        assert!(tag >= 120, "{tag} of 128 tags");
    }
}
