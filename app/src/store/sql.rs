//! The small SQL interface the engine's operations are written against, so that each
//! operation exists once and runs on every connection Kezek has:
//!
//! * PostgreSQL and pooled SQLite connections, through sqlx;
//! * the SQLite group-commit writer's own connection, called directly (`raw.rs`): one
//!   statement costs a few microseconds there instead of a round trip to sqlx's worker
//!   thread, which is what lets one writer commit thousands of claims a second.
//!
//! Statements use the dialect both databases share: `$n` parameters, `RETURNING`,
//! `ON CONFLICT`, row values. Values cross as four kinds (integer, real, text, null).
//!
//! Rows become types in one place each: a type implements [`FromRow`] (or each of its columns
//! [`Col`]), and callers ask for `c.all::<T>(..)`, `c.first::<T>(..)` or `c.get::<T>(..)`.

use async_trait::async_trait;
use sqlx::{Column, Row as _, TypeInfo, ValueRef};
use std::borrow::Cow;

/// A value bound to a `$n` parameter.
#[derive(Debug, Clone)]
pub enum Val<'a> {
    Int(i64),
    Real(f64),
    Text(Cow<'a, str>),
    /// A NULL in an integer column.
    NullInt,
    /// A NULL in a text column.
    NullText,
}

impl From<i64> for Val<'_> {
    fn from(v: i64) -> Self {
        Val::Int(v)
    }
}
impl From<i32> for Val<'_> {
    fn from(v: i32) -> Self {
        Val::Int(i64::from(v))
    }
}
impl From<u32> for Val<'_> {
    fn from(v: u32) -> Self {
        Val::Int(i64::from(v))
    }
}
impl From<f64> for Val<'_> {
    fn from(v: f64) -> Self {
        Val::Real(v)
    }
}
impl<'a> From<&'a str> for Val<'a> {
    fn from(v: &'a str) -> Self {
        Val::Text(Cow::Borrowed(v))
    }
}
impl<'a> From<&'a String> for Val<'a> {
    fn from(v: &'a String) -> Self {
        Val::Text(Cow::Borrowed(v))
    }
}
impl From<String> for Val<'_> {
    fn from(v: String) -> Self {
        Val::Text(Cow::Owned(v))
    }
}
impl From<Option<String>> for Val<'_> {
    fn from(v: Option<String>) -> Self {
        v.map_or(Val::NullText, |s| Val::Text(Cow::Owned(s)))
    }
}
impl From<Option<i64>> for Val<'_> {
    fn from(v: Option<i64>) -> Self {
        v.map_or(Val::NullInt, Val::Int)
    }
}
impl<'a> From<Option<&'a str>> for Val<'a> {
    fn from(v: Option<&'a str>) -> Self {
        v.map_or(Val::NullText, |s| Val::Text(Cow::Borrowed(s)))
    }
}

/// One value of a result row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

/// One result row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row(pub Vec<Cell>);

fn decode_error(i: usize, want: &str, got: &Cell) -> sqlx::Error {
    sqlx::Error::Decode(format!("column {i}: expected {want}, found {got:?}").into())
}

impl Row {
    fn cell(&self, i: usize) -> Result<&Cell, sqlx::Error> {
        self.0.get(i).ok_or(sqlx::Error::ColumnIndexOutOfBounds {
            index: i,
            len: self.0.len(),
        })
    }
    pub fn int(&self, i: usize) -> Result<i64, sqlx::Error> {
        match self.cell(i)? {
            Cell::Int(v) => Ok(*v),
            other => Err(decode_error(i, "an integer", other)),
        }
    }
    pub fn int32(&self, i: usize) -> Result<i32, sqlx::Error> {
        let v = self.int(i)?;
        i32::try_from(v).map_err(|_| decode_error(i, "a 32-bit integer", &Cell::Int(v)))
    }
    pub fn opt_int(&self, i: usize) -> Result<Option<i64>, sqlx::Error> {
        match self.cell(i)? {
            Cell::Null => Ok(None),
            _ => self.int(i).map(Some),
        }
    }
    pub fn real(&self, i: usize) -> Result<f64, sqlx::Error> {
        match self.cell(i)? {
            Cell::Real(v) => Ok(*v),
            Cell::Int(v) => Ok(*v as f64),
            other => Err(decode_error(i, "a number", other)),
        }
    }
    pub fn text(&self, i: usize) -> Result<String, sqlx::Error> {
        match self.cell(i)? {
            Cell::Text(v) => Ok(v.clone()),
            other => Err(decode_error(i, "text", other)),
        }
    }
    pub fn opt_text(&self, i: usize) -> Result<Option<String>, sqlx::Error> {
        match self.cell(i)? {
            Cell::Null => Ok(None),
            _ => self.text(i).map(Some),
        }
    }
}

/// One column's value as a Rust type.
pub trait Col: Sized {
    fn col(r: &Row, i: usize) -> Result<Self, sqlx::Error>;
}

impl Col for i64 {
    fn col(r: &Row, i: usize) -> Result<Self, sqlx::Error> {
        r.int(i)
    }
}
impl Col for i32 {
    fn col(r: &Row, i: usize) -> Result<Self, sqlx::Error> {
        r.int32(i)
    }
}
impl Col for f64 {
    fn col(r: &Row, i: usize) -> Result<Self, sqlx::Error> {
        r.real(i)
    }
}
impl Col for bool {
    fn col(r: &Row, i: usize) -> Result<Self, sqlx::Error> {
        Ok(r.int(i)? != 0)
    }
}
impl Col for String {
    fn col(r: &Row, i: usize) -> Result<Self, sqlx::Error> {
        r.text(i)
    }
}
impl Col for Option<i64> {
    fn col(r: &Row, i: usize) -> Result<Self, sqlx::Error> {
        r.opt_int(i)
    }
}
impl Col for Option<String> {
    fn col(r: &Row, i: usize) -> Result<Self, sqlx::Error> {
        r.opt_text(i)
    }
}

/// A whole row as a Rust type: the one place where a type's columns are read.
pub trait FromRow: Sized {
    fn from_row(r: &Row) -> Result<Self, sqlx::Error>;
}

macro_rules! tuple_from_row {
    ($($t:ident $i:tt),+) => {
        impl<$($t: Col),+> FromRow for ($($t,)+) {
            fn from_row(r: &Row) -> Result<Self, sqlx::Error> {
                Ok(($($t::col(r, $i)?,)+))
            }
        }
    };
}
tuple_from_row!(A 0);
tuple_from_row!(A 0, B 1);
tuple_from_row!(A 0, B 1, C 2);
tuple_from_row!(A 0, B 1, C 2, D 3);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4, F 5);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
tuple_from_row!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8);

impl Row {
    /// Column `i` as `T`.
    pub fn get<T: Col>(&self, i: usize) -> Result<T, sqlx::Error> {
        T::col(self, i)
    }
}

impl dyn Sql + '_ {
    /// Every row as `T`.
    pub async fn all<T: FromRow>(
        &mut self,
        sql: &str,
        args: &[Val<'_>],
    ) -> Result<Vec<T>, sqlx::Error> {
        self.rows(sql, args)
            .await?
            .iter()
            .map(T::from_row)
            .collect()
    }

    /// The first row as `T`, if any.
    pub async fn first<T: FromRow>(
        &mut self,
        sql: &str,
        args: &[Val<'_>],
    ) -> Result<Option<T>, sqlx::Error> {
        self.opt(sql, args)
            .await?
            .as_ref()
            .map(T::from_row)
            .transpose()
    }

    /// The first row as `T`; none is an error.
    pub async fn get<T: FromRow>(&mut self, sql: &str, args: &[Val<'_>]) -> Result<T, sqlx::Error> {
        T::from_row(&self.one(sql, args).await?)
    }

    /// The first column of the first row (a count, an id).
    pub async fn scalar<T: Col>(&mut self, sql: &str, args: &[Val<'_>]) -> Result<T, sqlx::Error> {
        self.one(sql, args).await?.get(0)
    }
}

/// Which database a connection talks to, where the engine must do things differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A connection (usually inside a transaction) the engine runs statements on.
#[async_trait]
pub trait Sql: Send {
    fn backend(&self) -> Backend;

    /// `" FOR UPDATE"` where rows read before an update must be locked (PostgreSQL), `""`
    /// where a single writer makes that needless (SQLite).
    fn for_update(&self) -> &'static str;

    /// Runs a statement; returns the number of rows changed.
    async fn exec(&mut self, sql: &str, args: &[Val<'_>]) -> Result<u64, sqlx::Error>;

    /// Runs a query; returns every row.
    async fn rows(&mut self, sql: &str, args: &[Val<'_>]) -> Result<Vec<Row>, sqlx::Error>;

    /// Runs statements whose results are not needed (inserts), in this order, where possible
    /// in one round trip: PostgreSQL runs them as one statement (all but the last as
    /// data-modifying `WITH` parts); SQLite, in process, one after another. Any failure fails
    /// them all (the caller's transaction rolls back).
    async fn exec_together(&mut self, stmts: &[(&str, &[Val<'_>])]) -> Result<(), sqlx::Error> {
        for (sql, args) in stmts {
            self.exec(sql, args).await?;
        }
        Ok(())
    }

    /// The first row, if any.
    async fn opt(&mut self, sql: &str, args: &[Val<'_>]) -> Result<Option<Row>, sqlx::Error> {
        Ok(self.rows(sql, args).await?.into_iter().next())
    }

    /// The first row; none is an error.
    async fn one(&mut self, sql: &str, args: &[Val<'_>]) -> Result<Row, sqlx::Error> {
        self.opt(sql, args).await?.ok_or(sqlx::Error::RowNotFound)
    }
}

macro_rules! bind_all {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                Val::Int(v) => q.bind(*v),
                Val::Real(v) => q.bind(*v),
                Val::Text(v) => q.bind(v.as_ref()),
                Val::NullInt => q.bind(None::<i64>),
                Val::NullText => q.bind(None::<&str>),
            };
        }
        q
    }};
}

/// Several statements as one for PostgreSQL: `WITH s0 AS (first), s1 AS (second) last`, each
/// statement's `$n` renumbered after the arguments of those before it.
fn together<'a>(stmts: &[(&str, &[Val<'a>])]) -> (String, Vec<Val<'a>>) {
    let mut sql = String::new();
    let mut args: Vec<Val<'a>> = Vec::new();
    for (i, (text, own)) in stmts.iter().enumerate() {
        let last = i + 1 == stmts.len();
        sql.push_str(match (i, last) {
            (_, true) if i > 0 => " ",
            (_, true) => "",
            (0, false) => "WITH s0 AS (",
            _ => ", ",
        });
        if i > 0 && !last {
            sql.push_str(&format!("s{i} AS ("));
        }
        let offset = args.len();
        let mut rest = *text;
        while let Some(at) = rest.find('$') {
            sql.push_str(&rest[..at]);
            let digits = rest[at + 1..]
                .find(|c: char| !c.is_ascii_digit())
                .map_or(rest.len() - at - 1, |n| n);
            match rest[at + 1..at + 1 + digits].parse::<usize>() {
                Ok(n) => sql.push_str(&format!("${}", n + offset)),
                Err(_) => sql.push('$'),
            }
            rest = &rest[at + 1 + digits..];
        }
        sql.push_str(rest);
        if !last {
            sql.push(')');
        }
        args.extend(own.iter().cloned());
    }
    (sql, args)
}

#[async_trait]
impl Sql for sqlx::PgConnection {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }

    fn for_update(&self) -> &'static str {
        " FOR UPDATE"
    }

    async fn exec(&mut self, sql: &str, args: &[Val<'_>]) -> Result<u64, sqlx::Error> {
        let q = bind_all!(sqlx::query::<sqlx::Postgres>(sql), args);
        Ok(q.execute(&mut *self).await?.rows_affected())
    }

    async fn exec_together(&mut self, stmts: &[(&str, &[Val<'_>])]) -> Result<(), sqlx::Error> {
        let (sql, args) = together(stmts);
        self.exec(&sql, &args).await.map(|_| ())
    }

    async fn rows(&mut self, sql: &str, args: &[Val<'_>]) -> Result<Vec<Row>, sqlx::Error> {
        let q = bind_all!(sqlx::query::<sqlx::Postgres>(sql), args);
        let rows = q.fetch_all(&mut *self).await?;
        rows.iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| {
                        if r.try_get_raw(i)?.is_null() {
                            return Ok(Cell::Null);
                        }
                        Ok(match r.column(i).type_info().name() {
                            "INT2" => Cell::Int(i64::from(r.try_get::<i16, _>(i)?)),
                            "INT4" => Cell::Int(i64::from(r.try_get::<i32, _>(i)?)),
                            "INT8" => Cell::Int(r.try_get::<i64, _>(i)?),
                            "BOOL" => Cell::Int(i64::from(r.try_get::<bool, _>(i)?)),
                            "FLOAT4" => Cell::Real(f64::from(r.try_get::<f32, _>(i)?)),
                            "FLOAT8" => Cell::Real(r.try_get::<f64, _>(i)?),
                            _ => Cell::Text(r.try_get::<String, _>(i)?),
                        })
                    })
                    .collect::<Result<Vec<_>, sqlx::Error>>()
                    .map(Row)
            })
            .collect()
    }
}

#[async_trait]
impl Sql for sqlx::SqliteConnection {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    fn for_update(&self) -> &'static str {
        ""
    }

    async fn exec(&mut self, sql: &str, args: &[Val<'_>]) -> Result<u64, sqlx::Error> {
        let q = bind_all!(sqlx::query::<sqlx::Sqlite>(sql), args);
        Ok(q.execute(&mut *self).await?.rows_affected())
    }

    async fn rows(&mut self, sql: &str, args: &[Val<'_>]) -> Result<Vec<Row>, sqlx::Error> {
        let q = bind_all!(sqlx::query::<sqlx::Sqlite>(sql), args);
        let rows = q.fetch_all(&mut *self).await?;
        rows.iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| {
                        let raw = r.try_get_raw(i)?;
                        if raw.is_null() {
                            return Ok(Cell::Null);
                        }
                        // SQLite values carry their own storage class.
                        let class = raw.type_info().name().to_string();
                        Ok(match class.as_str() {
                            "INTEGER" | "BOOLEAN" => Cell::Int(r.try_get::<i64, _>(i)?),
                            "REAL" => Cell::Real(r.try_get::<f64, _>(i)?),
                            _ => Cell::Text(r.try_get::<String, _>(i)?),
                        })
                    })
                    .collect::<Result<Vec<_>, sqlx::Error>>()
                    .map(Row)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_together_renumber_their_arguments() {
        let a: &[Val] = &[1i64.into(), "x".into()];
        let b: &[Val] = &[2i64.into()];
        let c: &[Val] = &[3i64.into(), 4i64.into()];
        let (sql, args) = together(&[
            ("INSERT INTO t (a, b) VALUES ($1, $2)", a),
            ("INSERT INTO u (a) VALUES ($1)", b),
            ("INSERT INTO v (a, b) VALUES ($2, $1)", c),
        ]);
        assert_eq!(
            sql,
            "WITH s0 AS (INSERT INTO t (a, b) VALUES ($1, $2)), \
             s1 AS (INSERT INTO u (a) VALUES ($3)) INSERT INTO v (a, b) VALUES ($5, $4)"
        );
        let ints: Vec<Option<i64>> = args
            .iter()
            .map(|v| match v {
                Val::Int(i) => Some(*i),
                _ => None,
            })
            .collect();
        assert_eq!(ints, vec![Some(1), None, Some(2), Some(3), Some(4)]);
        // One statement is left as it is.
        let (one, _) = together(&[("SELECT $1", a)]);
        assert_eq!(one, "SELECT $1");
    }
}
