//! Walking a whole program as one tree: an `include` stands for the included files' contents,
//! which take the context of the include site.

use crate::syntax::Directive;

use super::context::Context;
use super::include::{FileId, Program};

/// One directive met during a walk.
#[derive(Clone, Copy, Debug)]
pub struct Visit<'p> {
    pub file: FileId,
    pub directive: &'p Directive,
    /// The context the directive sits in.
    pub context: Context,
    /// Block nesting depth across files (0 = the main file's top level).
    pub depth: usize,
}

impl Program {
    /// Pre-order walk over every directive of the program, main file first, following includes
    /// (each include site visits its files; cycles were cut when loading).
    pub fn walk<'p>(&'p self, mut f: impl FnMut(Visit<'p>)) {
        let mut once = ExpandOnce::default();
        self.walk_items(
            0,
            &self.file(0).syntax.items,
            self.root_context,
            0,
            &mut once,
            &mut f,
        );
    }

    fn walk_items<'p>(
        &'p self,
        file: FileId,
        items: &'p [crate::syntax::Element],
        context: Context,
        depth: usize,
        once: &mut ExpandOnce,
        f: &mut dyn FnMut(Visit<'p>),
    ) {
        let src = self.file(file).model_src();
        for item in items {
            let Some(d) = item.as_directive() else {
                continue;
            };
            f(Visit {
                file,
                directive: d,
                context,
                depth,
            });
            if let Some(block) = d.block() {
                let child = context.child(&d.name(src));
                self.walk_items(file, &block.items, child, depth + 1, once, f);
            } else {
                for &inc in self.included(file, d) {
                    if once.first(self, inc, context) {
                        let items = &self.file(inc).syntax.items;
                        self.walk_items(inc, items, context, depth, once, f);
                    }
                }
            }
        }
    }

    /// The first context each file is included in (the main file: the root context). Files
    /// never reached keep `None`.
    pub fn file_contexts(&self) -> Vec<Option<Context>> {
        let mut out = vec![None; self.files.len()];
        out[0] = Some(self.root_context);
        self.walk(|v| {
            for &inc in self.included(v.file, v.directive) {
                out[inc as usize].get_or_insert(v.context);
            }
        });
        out
    }
}

/// With [`Program::expand_once`], the (file, context) pairs already expanded.
#[derive(Default)]
pub(crate) struct ExpandOnce(std::collections::HashSet<(FileId, Context)>);

impl ExpandOnce {
    /// Should `file` be expanded in `context` here? Always, unless the program is too large to
    /// expand at every include site; then only the first time.
    pub(crate) fn first(&mut self, program: &Program, file: FileId, context: Context) -> bool {
        !program.expand_once || self.0.insert((file, context))
    }
}
