//! The CSV of a kindergarten's own queue, as exported by whatever kept it: UTF-8 with or
//! without a byte-order mark, fields separated by commas or semicolons (the header line
//! decides), fields in double quotes where they hold a separator, a quote or a line break,
//! lines ended by LF or CRLF.

/// One record and the line of the file it starts on (the header is line 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: u32,
    pub fields: Vec<String>,
}

/// Why a whole file cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CsvError {
    /// Not UTF-8 (a Windows-1251 export, say) from this line on.
    NotUtf8 { line: u32 },
    /// A quoted field opened on this line is never closed.
    UnclosedQuote { line: u32 },
    /// The file has no header line.
    Empty,
}

impl std::fmt::Display for CsvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CsvError::NotUtf8 { line } => write!(
                f,
                "line {line} is not UTF-8 (save the file as UTF-8 and try again)"
            ),
            CsvError::UnclosedQuote { line } => {
                write!(f, "a quoted field opened on line {line} is never closed")
            }
            CsvError::Empty => write!(f, "the file is empty (no header line)"),
        }
    }
}

/// The separator the header uses: a semicolon where it has more semicolons than commas.
fn separator(text: &str) -> char {
    let header = text.lines().next().unwrap_or("");
    let count = |c: char| header.chars().filter(|x| *x == c).count();
    if count(';') > count(',') {
        ';'
    } else {
        ','
    }
}

/// The header's fields and the records after it, blank lines left out.
pub fn parse(bytes: &[u8]) -> Result<(Vec<String>, Vec<Record>), CsvError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| CsvError::NotUtf8 {
        line: 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count() as u32,
    })?;
    let sep = separator(text);
    let mut records = Vec::new();
    let (mut fields, mut field) = (Vec::new(), String::new());
    let (mut line, mut start, mut quoted, mut was_quoted) = (1u32, 1u32, false, false);
    let mut chars = text.chars().peekable();
    let mut end_record = |fields: &mut Vec<String>, field: &mut String, start: u32| {
        fields.push(std::mem::take(field));
        let record = std::mem::take(fields);
        if record.iter().any(|f| !f.trim().is_empty()) {
            records.push(Record {
                line: start,
                fields: record,
            });
        }
    };
    while let Some(ch) = chars.next() {
        if quoted {
            match ch {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push('\n');
                }
                _ => field.push(ch),
            }
            continue;
        }
        match ch {
            '"' if field.trim().is_empty() && !was_quoted => {
                field.clear();
                quoted = true;
                was_quoted = true;
            }
            c if c == sep => {
                fields.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                end_record(&mut fields, &mut field, start);
                was_quoted = false;
                line += 1;
                start = line;
            }
            _ => field.push(ch),
        }
    }
    if quoted {
        return Err(CsvError::UnclosedQuote { line: start });
    }
    end_record(&mut fields, &mut field, start);
    if records.is_empty() {
        return Err(CsvError::Empty);
    }
    let header = records.remove(0);
    let header = header
        .fields
        .into_iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    Ok((header, records))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &[u8]) -> Vec<(u32, Vec<&'static str>)> {
        let (_, records) = parse(text).unwrap();
        records
            .into_iter()
            .map(|r| {
                let fields = r
                    .fields
                    .into_iter()
                    .map(|f| &*Box::leak(f.into_boxed_str()))
                    .collect();
                (r.line, fields)
            })
            .collect()
    }

    #[test]
    fn commas_semicolons_quotes_bom_and_crlf() {
        let (header, _) = parse(b"\xEF\xBB\xBFChild_IIN;Name\r\n1;2\r\n").unwrap();
        assert_eq!(header, vec!["child_iin", "name"]);
        assert_eq!(
            rows(b"a;b\r\n1;\"x;y\"\r\n\r\n2;\"say \"\"hi\"\"\"\r\n"),
            vec![(2, vec!["1", "x;y"]), (4, vec!["2", "say \"hi\""])]
        );
        assert_eq!(
            rows(b"a,b\n\"two\nlines\",z\n3,4"),
            vec![(2, vec!["two\nlines", "z"]), (4, vec!["3", "4"])]
        );
        // A comma inside a semicolon file is part of its field.
        assert_eq!(
            rows(b"a;b\nIvanov, Ivan;5\n"),
            vec![(2, vec!["Ivanov, Ivan", "5"])]
        );
    }

    #[test]
    fn files_that_cannot_be_read_say_where() {
        assert_eq!(
            parse(b"a,b\n1,2\n\xCF\xF0\n").unwrap_err(),
            CsvError::NotUtf8 { line: 3 }
        );
        assert_eq!(
            parse(b"a,b\n1,\"2\n3,4\n").unwrap_err(),
            CsvError::UnclosedQuote { line: 2 }
        );
        assert_eq!(parse(b"\n\n").unwrap_err(), CsvError::Empty);
    }
}
