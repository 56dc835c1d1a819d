//! `ngxlint apps`: the app knowledge base the streaming rules use (`semantics::apps`).

use std::io::Write;

use serde::Serialize;

use crate::semantics::apps::{self, APPS};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum AppsFormat {
    Text,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct AppsArgs {
    #[arg(long, value_enum, default_value_t = AppsFormat::Text)]
    pub format: AppsFormat,
}

#[derive(Serialize)]
struct EndpointRow {
    path: &'static str,
    transport: &'static str,
    heartbeat_secs: Option<u32>,
    first_byte: &'static str,
    source: &'static str,
}

#[derive(Serialize)]
struct UploadRow {
    path: &'static str,
    what: &'static str,
    source: &'static str,
    /// The size the app's reverse-proxy guide sets, and the guide.
    advised: Option<&'static str>,
    advised_source: Option<&'static str>,
}

#[derive(Serialize)]
struct AppRow {
    id: &'static str,
    name: &'static str,
    ports: &'static [u16],
    /// Default ports shared with other services: no guess, but a target naming the app on
    /// another port is another service.
    shared_ports: &'static [u16],
    names: &'static [&'static str],
    source: &'static str,
    endpoints: Vec<EndpointRow>,
    /// File uploads over 1 MB (`upload-body-limit`).
    uploads: Vec<UploadRow>,
}

pub fn run(args: &AppsArgs) -> u8 {
    let rows: Vec<AppRow> = APPS
        .iter()
        .map(|a| AppRow {
            id: a.id,
            name: a.name,
            ports: a.ports,
            shared_ports: a.shared_ports,
            names: a.names,
            source: a.source,
            endpoints: a
                .endpoints
                .iter()
                .map(|e| EndpointRow {
                    path: e.path,
                    transport: e.transport.as_str(),
                    heartbeat_secs: e.heartbeat_secs,
                    first_byte: e.first_byte.as_str(),
                    source: e.source,
                })
                .collect(),
            uploads: apps::uploads(a)
                .map(|u| UploadRow {
                    path: u.path,
                    what: u.what,
                    source: u.source,
                    advised: u.advised.map(|(size, _)| size),
                    advised_source: u.advised.map(|(_, guide)| guide),
                })
                .collect(),
        })
        .collect();
    let mut out = String::new();
    match args.format {
        AppsFormat::Json => {
            out = serde_json::to_string_pretty(&rows).unwrap_or_default();
            out.push('\n');
        }
        AppsFormat::Text => {
            for a in &rows {
                let ports: Vec<String> = a.ports.iter().map(u16::to_string).collect();
                let shared: Vec<String> = a.shared_ports.iter().map(u16::to_string).collect();
                let shared = if shared.is_empty() {
                    String::new()
                } else {
                    format!(", shared ports [{}]", shared.join(", "))
                };
                out.push_str(&format!(
                    "{} ({}): ports [{}]{shared}, names [{}]\n  source: {}\n",
                    a.id,
                    a.name,
                    ports.join(", "),
                    a.names.join(", "),
                    a.source
                ));
                for e in &a.endpoints {
                    let beat = e.heartbeat_secs.map_or_else(
                        || "no heartbeat known".to_owned(),
                        |h| format!("heartbeat {h}s"),
                    );
                    out.push_str(&format!(
                        "  {:<40} {:<9} {beat}, first byte {}\n",
                        e.path, e.transport, e.first_byte
                    ));
                }
                for u in &a.uploads {
                    out.push_str(&format!("  {:<40} {:<9} {}\n", u.path, "upload", u.what));
                }
            }
        }
    }
    // A closed stdout (`| head`) is not an error.
    let _ = std::io::stdout().write_all(out.as_bytes());
    super::exit::CLEAN
}
