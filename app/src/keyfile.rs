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
