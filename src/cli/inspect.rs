//! `ngxlint inspect FILE [--server NAME] [--location PATH]`: the effective settings of blocks,
//! each with where it came from (set here / inherited from server at file:line / default).

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::semantics::directives::Merge;
use crate::semantics::model::{Model, NodeId, Origin};
use crate::semantics::{LoadOptions, Program};

use super::args::TargetArgs;
use super::exit;

#[derive(Debug, clap::Args)]
pub struct InspectArgs {
    pub file: PathBuf,
    /// Only servers whose `server_name` includes NAME.
    #[arg(long, value_name = "NAME")]
    pub server: Option<String>,
    /// Only locations whose pattern is PATH (`/api`, `~ ^/ws`).
    #[arg(long, value_name = "PATH")]
    pub location: Option<String>,
    #[command(flatten)]
    pub target: TargetArgs,
}

/// Directives shown even when unset, with their defaults: the ones streaming depends on.
const ALWAYS_SHOWN: &[&str] = &[
    "proxy_buffering",
    "proxy_http_version",
    "proxy_read_timeout",
    "proxy_send_timeout",
    "proxy_set_header",
    "proxy_cache",
    "gzip",
    "gzip_types",
    "add_header",
    "chunked_transfer_encoding",
];

pub fn run(args: &InspectArgs) -> u8 {
    let opts = match crate::workspace::Workspace::new(args.target.target(&[], &[]))
        .resolve_config(&args.file)
    {
        Ok(r) => r.options,
        Err(e) => {
            eprintln!("{:?}", miette::Report::new(*e));
            return exit::ERROR;
        }
    };
    let src = match crate::semantics::include::read_source(&args.file) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::ERROR;
        }
    };
    let context = opts.context.unwrap_or_else(|| {
        crate::lint::context_comment(&src).unwrap_or_else(|| crate::lint::infer_context(&src))
    });
    let program = Program::from_source(
        args.file.clone(),
        src,
        &LoadOptions {
            single_file: false,
            root_context: context,
            prefix: opts.prefix.clone(),
            path_map: opts.path_map.clone(),
            ..LoadOptions::default()
        },
    );
    let model = Model::build(&program, opts.version);
    let blocks = matching_blocks(&model, args);
    if blocks.is_empty() {
        eprintln!("no matching server or location block");
        return exit::FINDINGS;
    }
    let mut out = String::new();
    for b in blocks {
        render_block(&model, b, &mut out);
    }
    super::check::emit(&out, None).map_or_else(|code| code, |()| exit::CLEAN)
}

fn matching_blocks(model: &Model<'_>, args: &InspectArgs) -> Vec<NodeId> {
    let server_ok = |s: NodeId| match &args.server {
        None => true,
        Some(name) => model
            .children_named(Some(s), "server_name")
            .iter()
            .any(|&sn| (0..model.arg_count(sn)).any(|i| model.arg(sn, i).as_deref() == Some(name))),
    };
    let mut out = Vec::new();
    for (i, n) in model.nodes.iter().enumerate() {
        let id = i as NodeId;
        match model.name(id) {
            "server"
                if n.directive.block().is_some() && args.location.is_none() && server_ok(id) =>
            {
                out.push(id);
            }
            "location" => {
                let pattern: Vec<String> = (0..model.arg_count(id))
                    .filter_map(|a| model.arg(id, a))
                    .collect();
                let loc_ok = args
                    .location
                    .as_ref()
                    .is_none_or(|want| pattern.join(" ") == *want || pattern.last() == Some(want));
                let srv_ok = model.enclosing(id, "server").is_none_or(server_ok);
                if loc_ok && srv_ok {
                    out.push(id);
                }
            }
            _ => {}
        }
    }
    out
}

fn render_block(model: &Model<'_>, at: NodeId, out: &mut String) {
    let (file, line) = model.location(at);
    let chain: Vec<String> = std::iter::once(at)
        .chain(model.ancestors(at))
        .map(|b| model.describe_block(Some(b)))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let _ = writeln!(out, "{} ({file}:{line})", chain.join(" > "));
    // Names set at this level or inherited from an ancestor, plus the always-shown ones.
    let mut names: Vec<String> = ALWAYS_SHOWN.iter().map(|s| (*s).to_owned()).collect();
    for level in std::iter::once(at).chain(model.ancestors(at)) {
        for &c in model.children(level) {
            let n = model.node(c);
            let inheritable = model.spec(c).is_some_and(|s| s.merge != Merge::None) || level == at;
            if inheritable
                && n.directive.block().is_none()
                && !names.iter().any(|x| x == model.name(c))
            {
                names.push(model.name(c).to_string());
            }
        }
    }
    names.sort();
    for name in names {
        let eff = model.effective(Some(at), &name);
        let origin = match &eff.origin {
            Origin::Here => "set here".to_owned(),
            Origin::Inherited(level) => match level {
                Some(l) => {
                    let (f, ln) = model.location(*l);
                    format!(
                        "inherited from {} at {f}:{ln}",
                        model.describe_block(Some(*l))
                    )
                }
                None => "inherited from the top level".to_owned(),
            },
            Origin::Default => format!("default for nginx {}", model.version),
        };
        if eff.nodes.is_empty() {
            let v = if eff.default.is_empty() {
                "(none)"
            } else {
                eff.default
            };
            let _ = writeln!(out, "  {name} {v}    # {origin}");
            continue;
        }
        for &n in eff.nodes {
            let args: Vec<String> = (0..model.arg_count(n))
                .filter_map(|i| model.arg(n, i))
                .collect();
            let (f, ln) = model.location(n);
            let _ = writeln!(out, "  {name} {}    # {origin} ({f}:{ln})", args.join(" "));
        }
        // nginx's all-or-nothing rule, spelled out: a level with its own list hides every
        // ancestor's list of the same directive.
        if let (Some(&first), Some(spec)) = (eff.nodes.first(), model.spec(eff.nodes[0]))
            && spec.merge == Merge::List
        {
            let level = model.node(first).parent();
            let hidden = level
                .into_iter()
                .flat_map(|l| model.ancestors(l))
                .map(Some)
                .chain(std::iter::once(None))
                .find(|&a| !model.children_named_slice(a, &name).is_empty() && a != level);
            if let Some(a) = hidden {
                let shadowed = model.children_named_slice(a, &name);
                let (f, ln) = model.location(shadowed[0]);
                let _ = writeln!(
                    out,
                    "    # not inherited: the {} {name} line(s) of {} ({f}:{ln}) are replaced by this list",
                    shadowed.len(),
                    model.describe_block(a)
                );
            }
        }
    }
    out.push('\n');
}
