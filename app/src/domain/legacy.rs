//! The report of merging kindergartens' own queues into the city queue (`kezek import legacy`
//! and the department's import page). It names rows by file and line and children by their
//! Kezek number, never by IIN or name, so it can be kept and shown.

use serde::{Deserialize, Serialize};

/// Why one row of a file was refused (the other rows are imported all the same).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowProblem {
    /// More or fewer fields than the header names.
    ColumnCount,
    /// The child's IIN is not twelve digits with a valid checksum.
    ChildIin,
    ChildName,
    /// The birth date is not a date, or disagrees with the child's IIN.
    BirthDate,
    ParentIinMissing,
    /// The parent's IIN is not twelve digits with a valid checksum.
    ParentIin,
    /// The parent's IIN is the child's.
    ChildIsParent,
    /// Not a date and time, a date that does not exist, before the birth or in the future.
    AppliedAt,
    /// Not `extraordinary`, `primary` or `general`.
    Priority,
    /// No kindergarten in the city has this number.
    UnknownKindergarten,
    /// The first phone is missing or not a Kazakh mobile number.
    Phone1,
    /// The second phone is given but is not a Kazakh mobile number.
    Phone2,
    Email,
    District,
    Language,
    /// Born after today.
    NotBorn,
    /// Six or older: past the age of kindergarten.
    TooOld,
}

impl RowProblem {
    pub const ALL: [RowProblem; 17] = [
        Self::ColumnCount,
        Self::ChildIin,
        Self::ChildName,
        Self::BirthDate,
        Self::ParentIinMissing,
        Self::ParentIin,
        Self::ChildIsParent,
        Self::AppliedAt,
        Self::Priority,
        Self::UnknownKindergarten,
        Self::Phone1,
        Self::Phone2,
        Self::Email,
        Self::District,
        Self::Language,
        Self::NotBorn,
        Self::TooOld,
    ];

    /// What the command line prints.
    pub fn english(self) -> &'static str {
        match self {
            Self::ColumnCount => "the row has more or fewer fields than the header",
            Self::ChildIin => "the child's IIN is not valid (length, digits or checksum)",
            Self::ChildName => "the child's name is missing or longer than 200 characters",
            Self::BirthDate => "the birth date is not a date or disagrees with the child's IIN",
            Self::ParentIinMissing => "the parent's IIN is missing",
            Self::ParentIin => "the parent's IIN is not valid (length, digits or checksum)",
            Self::ChildIsParent => "the parent's IIN is the child's",
            Self::AppliedAt => {
                "the application's date is not a date, does not exist, is before the birth or \
                 in the future"
            }
            Self::Priority => "the priority is not extraordinary, primary or general",
            Self::UnknownKindergarten => "no kindergarten has this number",
            Self::Phone1 => "the first phone is missing or not a Kazakh mobile number",
            Self::Phone2 => "the second phone is not a Kazakh mobile number",
            Self::Email => "the e-mail address is not one",
            Self::District => "the district is not one of Almaty's eight",
            Self::Language => "the language is not kk, ru or mixed",
            Self::NotBorn => "the child's birth date is after today",
            Self::TooOld => "the child is six or older (past kindergarten age)",
        }
    }
}

/// A row: the file (its place in [`ImportReport::files`]) and the line (the header is line 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RowRef {
    pub file: usize,
    pub line: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileSummary {
    pub name: String,
    pub sha256: String,
    /// Rows after the header.
    pub rows: u64,
    /// When a run already imported exactly this file (Unix ms), if one did.
    pub imported_before: Option<i64>,
}

/// One child found in several rows, merged into one application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Merged {
    /// The application's number (none in a dry run for a child not yet in Kezek).
    pub public_no: Option<String>,
    /// The kindergartens whose queues held the child, by number.
    pub kindergartens: Vec<i64>,
    pub rows: Vec<RowRef>,
}

/// The rows refused for one reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusals {
    pub problem: RowProblem,
    pub rows: Vec<RowRef>,
}

/// A child imported with a privilege: its document must be confirmed by the department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Privilege {
    pub public_no: Option<String>,
    /// `extraordinary` or `primary`.
    pub priority: String,
    pub rows: Vec<RowRef>,
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub dry_run: bool,
    /// The run's number (none in a dry run).
    pub import_id: Option<i64>,
    pub files: Vec<FileSummary>,
    pub rows_read: u64,
    pub rows_refused: u64,
    /// Distinct children in the rows accepted.
    pub children: u64,
    /// Children who entered the queue.
    pub imported: u64,
    /// Rows folded into another row of the same child.
    pub duplicate_rows: u64,
    pub merged: Vec<Merged>,
    pub refused: Vec<Refusals>,
    /// Children Kezek already had with an open application.
    pub already_present: u64,
    /// Of those, the ones whose place moved to the files' earlier date.
    pub moved_earlier: u64,
    /// Children whose Kezek application is closed (enrolled or withdrawn): left as they are.
    pub already_closed: u64,
    pub privileges_to_confirm: Vec<Privilege>,
}
