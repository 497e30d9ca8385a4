//! The built site's files (the wasm bundle, its script, the style sheet), compressed once at
//! build time at the best levels (brotli 11, gzip 9) and served as they are: a browser gets the
//! smallest form it accepts, and no request spends time compressing them.

use std::io::Write;
use std::path::{Path, PathBuf};

/// What one file became.
pub struct Compressed {
    pub path: PathBuf,
    pub raw: u64,
    pub brotli: u64,
    pub gzip: u64,
}

const KINDS: [&str; 5] = ["wasm", "js", "css", "svg", "json"];

/// Writes `FILE.br` and `FILE.gz` beside every compressible file under `dir` whose compressed
/// forms are missing or older than it.
pub fn precompress(dir: &Path) -> Result<Vec<Compressed>, String> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                todo.push(path);
                continue;
            }
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if KINDS.contains(&ext) {
                out.push(one(&path)?);
            }
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(suffix);
    PathBuf::from(p)
}

fn one(path: &Path) -> Result<Compressed, String> {
    let err = |e: std::io::Error| format!("{}: {e}", path.display());
    let data = std::fs::read(path).map_err(err)?;
    let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let fresh = |p: &Path| {
        let m = std::fs::metadata(p).and_then(|m| m.modified()).ok();
        matches!((m, modified), (Some(c), Some(o)) if c >= o)
    };
    let br = with_suffix(path, ".br");
    if !fresh(&br) {
        let mut out = Vec::new();
        let params = brotli::enc::BrotliEncoderParams {
            quality: 11,
            lgwin: 24,
            ..Default::default()
        };
        brotli::BrotliCompress(&mut data.as_slice(), &mut out, &params).map_err(err)?;
        std::fs::write(&br, out).map_err(err)?;
    }
    let gz = with_suffix(path, ".gz");
    if !fresh(&gz) {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(&data).map_err(err)?;
        std::fs::write(&gz, e.finish().map_err(err)?).map_err(err)?;
    }
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    Ok(Compressed {
        path: path.to_path_buf(),
        raw: data.len() as u64,
        brotli: size(&br),
        gzip: size(&gz),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compressed_forms_decompress_to_the_file_and_are_remade_when_it_changes() {
        let dir = tempfile::tempdir().unwrap();
        let wasm = dir.path().join("pkg").join("kezek.js");
        std::fs::create_dir_all(wasm.parent().unwrap()).unwrap();
        let text = "export function hydrate() { return 42; }\n".repeat(200);
        std::fs::write(&wasm, &text).unwrap();
        std::fs::write(dir.path().join("photo.png"), b"not compressed").unwrap();
        let done = precompress(dir.path()).unwrap();
        assert_eq!(done.len(), 1, "only the kinds worth compressing");
        assert!(done[0].brotli < done[0].gzip && done[0].gzip < done[0].raw);
        let mut back = Vec::new();
        brotli::BrotliDecompress(
            &mut std::fs::read(with_suffix(&wasm, ".br")).unwrap().as_slice(),
            &mut back,
        )
        .unwrap();
        assert_eq!(back, text.as_bytes());
        // A rebuilt file gets new compressed forms.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&wasm, "export const x = 1;\n").unwrap();
        precompress(dir.path()).unwrap();
        let mut back = Vec::new();
        brotli::BrotliDecompress(
            &mut std::fs::read(with_suffix(&wasm, ".br")).unwrap().as_slice(),
            &mut back,
        )
        .unwrap();
        assert_eq!(back, b"export const x = 1;\n");
    }
}
