//! CSV as RFC 4180 writes it (comma, CRLF, double quotes where a field needs them), and a reader
//! for what it writes.

/// A row of one of the open data's CSV files.
pub trait CsvRow {
    const HEADER: &'static [&'static str];
    fn fields(&self) -> Vec<String>;
}

fn field(out: &mut String, f: &str) {
    if f.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&f.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(f);
    }
}

fn line(out: &mut String, fields: impl IntoIterator<Item = impl AsRef<str>>) {
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        field(out, f.as_ref());
    }
    out.push_str("\r\n");
}

/// The whole file: the header, then one line per row.
pub fn write<R: CsvRow>(rows: &[R]) -> String {
    let mut out = String::new();
    line(&mut out, R::HEADER);
    for r in rows {
        line(&mut out, r.fields());
    }
    out
}

/// The records of a CSV text (the header is the first); `None` where a quote is left open.
pub fn read(text: &str) -> Option<Vec<Vec<String>>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cur.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cur.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut cur)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut cur));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => cur.push(c),
        }
    }
    if quoted {
        return None;
    }
    if !cur.is_empty() || !record.is_empty() {
        record.push(cur);
        records.push(record);
    }
    Some(records)
}

/// An optional value as a CSV field (empty when absent).
pub fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(T::to_string).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    struct R(Vec<String>);
    impl CsvRow for R {
        const HEADER: &'static [&'static str] = &["a", "b", "c"];
        fn fields(&self) -> Vec<String> {
            self.0.clone()
        }
    }

    proptest! {
        #[test]
        fn what_is_written_reads_back(rows in proptest::collection::vec(
            proptest::collection::vec("[a-z,\"\\n\\r {}:]{0,12}", 3), 0..8)) {
            let text = write(&rows.iter().cloned().map(R).collect::<Vec<_>>());
            let back = read(&text).unwrap();
            prop_assert_eq!(&back[0], &vec!["a".to_string(), "b".into(), "c".into()]);
            prop_assert_eq!(&back[1..], &rows[..]);
        }
    }
}
