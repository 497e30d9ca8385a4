//! Configuration from the environment (and the command line, which sets the same names).

use leptos::prelude::LeptosOptions;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Where the server listens and where its built site is.
#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub site_root: String,
}

impl Config {
    /// `DATABASE_URL` wins; otherwise an SQLite file in `KEZEK_DATA_DIR` (default `./data`).
    pub fn database_url(explicit: Option<String>, data_dir: Option<PathBuf>) -> String {
        explicit.filter(|s| !s.is_empty()).unwrap_or_else(|| {
            let dir = data_dir.unwrap_or_else(|| PathBuf::from("data"));
            format!("sqlite://{}", dir.join("kezek.db").display())
        })
    }

    /// `KEZEK_ADDR`, else cargo-leptos' `LEPTOS_SITE_ADDR`, else 127.0.0.1:3000.
    pub fn addr(explicit: Option<SocketAddr>) -> SocketAddr {
        explicit
            .or_else(|| std::env::var("LEPTOS_SITE_ADDR").ok()?.parse().ok())
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 3000)))
    }

    /// `LEPTOS_SITE_ROOT` (set by cargo-leptos), else `target/site`.
    pub fn site_root() -> String {
        std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into())
    }

    pub fn leptos_options(&self) -> LeptosOptions {
        LeptosOptions::builder()
            .output_name("kezek")
            .site_root(self.site_root.as_str())
            .site_pkg_dir("pkg")
            .site_addr(self.addr)
            .build()
    }
}

/// Sign-in as configured: trust anchors from `KEZEK_EDS_TRUST` (PEM files, separated by
/// commas), and in dev mode the dev CA (made at the first start, kept in the data directory) trusted too. Dev mode is refused
/// unless the server listens on a loopback address only.
pub fn auth(
    dev: bool,
    addr: SocketAddr,
    https: bool,
    data_dir: &std::path::Path,
) -> Result<app::auth::sign_in::Auth, String> {
    use app::auth::{dev_ca::DevCa, eds::BuiltinVerifier};
    if dev && !addr.ip().is_loopback() {
        return Err(format!(
            "dev mode signs anyone in; it listens on a loopback address only, not {addr}"
        ));
    }
    let files: Vec<PathBuf> = std::env::var("KEZEK_EDS_TRUST")
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(PathBuf::from)
        .collect();
    let mut verifier = BuiltinVerifier::from_pem_files(&files)?;
    let ca = if dev {
        let ca = DevCa::load_or_generate(data_dir, "Kezek dev CA")?;
        verifier.trust(&ca.cert_der())?;
        tracing::warn!("dev mode: anyone can sign in as anyone (POST /auth/dev/sign-in)");
        Some(ca)
    } else {
        None
    };
    let ncanode = match std::env::var("KEZEK_NCANODE_URL") {
        Ok(url) if !url.trim().is_empty() => Some(app::auth::ncanode::NcaNodeVerifier::new(&url)?),
        _ => None,
    };
    Ok(app::auth::sign_in::Auth {
        verifier: Box::new(app::auth::ncanode::Verifiers {
            builtin: verifier,
            ncanode,
        }),
        dev: ca,
        https,
    })
}

/// OpenStreetMap's tiles, the map's default.
pub const OSM_TILES: &str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

/// The map's tile layer: `KEZEK_MAP_TILES` (a URL template with `{z}`, `{x}`, `{y}`; empty for
/// none: the markers on a plain background) and `KEZEK_MAP_ATTRIBUTION`. OpenStreetMap's by
/// default. A template that is not an http(s) URL with all three places is an error.
pub fn map_tiles() -> Result<app::domain::map::MapTiles, String> {
    let url = std::env::var("KEZEK_MAP_TILES").unwrap_or_else(|_| OSM_TILES.into());
    let url = url.trim().to_string();
    let attribution = std::env::var("KEZEK_MAP_ATTRIBUTION").unwrap_or_else(|_| {
        if url == OSM_TILES {
            "© OpenStreetMap contributors".into()
        } else {
            String::new()
        }
    });
    if !url.is_empty()
        && (tile_origin(&url).is_none() || !["{z}", "{x}", "{y}"].iter().all(|p| url.contains(p)))
    {
        return Err(format!(
            "KEZEK_MAP_TILES must be an http(s) URL with {{z}}, {{x}} and {{y}}, not {url:?}"
        ));
    }
    Ok(app::domain::map::MapTiles { url, attribution })
}

/// `https://host[:port]` of a tile URL template (for the pages' content security policy), or
/// `None` for anything else.
pub fn tile_origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if !matches!(scheme, "http" | "https") {
        return None;
    }
    // Leaflet's `{s}` (a, b, c subdomains) is any subdomain to the policy.
    let host = rest.split('/').next()?.replacen("{s}.", "*.", 1);
    let ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '*'));
    ok.then(|| format!("{scheme}://{host}"))
}
