//! Secrets kept in the data directory (the referral signing key, the dev CA's key): read when
//! the file is there, made at the first start otherwise and written readable by its owner only.

use std::path::Path;

/// The secret in `dir/name`: `read` from the file's text, or `make` (the secret and the text
/// to keep) when there is no file. Errors name the file.
pub fn load_or_make<T>(
    dir: &Path,
    name: &str,
    read: impl FnOnce(&str) -> Result<T, String>,
    make: impl FnOnce() -> Result<(T, String), String>,
) -> Result<T, String> {
    let path = dir.join(name);
    let at = |e: String| format!("{}: {e}", path.display());
    match std::fs::read_to_string(&path) {
        Ok(text) => read(&text).map_err(at),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let (secret, text) = make()?;
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            write_private(&path, &text).map_err(|e| at(e.to_string()))?;
            Ok(secret)
        }
        Err(e) => Err(at(e.to_string())),
    }
}

/// Writes a new file only its owner can read.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o.open(path)?.write_all(text.as_bytes())
}

/// A 32-byte secret (an Ed25519 seed, an HMAC key): from the environment variable `env` (base64url)
/// if set, else kept in `dir/name`, made from the kernel's randomness at the first start.
pub fn secret32(dir: &Path, name: &str, env: &str) -> Result<[u8; 32], String> {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
    use base64::Engine as _;
    let parse = |text: &str| -> Option<[u8; 32]> { B64.decode(text.trim()).ok()?.try_into().ok() };
    if let Ok(v) = std::env::var(env) {
        return parse(&v).ok_or_else(|| format!("{env}: not 32 bytes in base64url"));
    }
    load_or_make(
        dir,
        name,
        |text| parse(text).ok_or_else(|| "not 32 bytes in base64url".into()),
        || {
            let mut seed = [0u8; 32];
            rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut seed);
            Ok((seed, format!("{}\n", B64.encode(seed))))
        },
    )
}
