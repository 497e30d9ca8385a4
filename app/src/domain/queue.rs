//! What the queue shows and accepts, shared by the browser and the server functions.
//!
//! Nothing here carries an IIN out: public views name applications by their public number.

use serde::{Deserialize, Serialize};

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppStatus {
    Waiting,
    Invited,
    Referred,
    Enrolled,
    Withdrawn,
}

impl AppStatus {
    /// Waiting, invited or referred: the child holds a place in the queue (one such
    /// application per child).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            AppStatus::Waiting | AppStatus::Invited | AppStatus::Referred
        )
    }

    pub fn code(self) -> &'static str {
        match self {
            AppStatus::Waiting => "waiting",
            AppStatus::Invited => "invited",
            AppStatus::Referred => "referred",
            AppStatus::Enrolled => "enrolled",
            AppStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn from_code(code: &str) -> Option<AppStatus> {
        [
            AppStatus::Waiting,
            AppStatus::Invited,
            AppStatus::Referred,
            AppStatus::Enrolled,
            AppStatus::Withdrawn,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }
}

/// An application form as a parent fills it in (text as typed; the server parses it).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ApplicationForm {
    pub child_iin: String,
    pub child_name: String,
    /// ISO 8601 (`2023-05-14`); empty: the one in the IIN.
    #[serde(default)]
    pub birth_date: String,
    /// `extraordinary`, `primary` or `general`.
    pub priority: String,
    /// The document granting a privileged class (its kind and number), as typed.
    #[serde(default)]
    pub priority_doc: String,
    pub phone1: String,
    pub phone2: String,
    pub email: String,
    pub district: String,
    pub language: String,
    /// The public number of a brother's or sister's application made together with this one.
    pub sibling_of: Option<String>,
}

/// Contacts a parent may change at any time.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ContactsForm {
    pub phone1: String,
    pub phone2: String,
    pub email: String,
}

/// One reason a position changed: `n` children of a list entered or left the queue ahead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PositionReason {
    /// `applied`, `returned`, `invited`, `withdrawn`, `admitted` or `privilege_dropped` (with
    /// `n` 0: the child's own privilege).
    pub change: String,
    /// Whether those children are on the privileged list.
    pub privileged: bool,
    pub n: i64,
    /// The reason in words, written by the server in the reader's language (the browser's code
    /// carries none of them); not stored.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
}

/// A recorded change of position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PositionChange {
    /// Unix milliseconds.
    pub at: i64,
    pub previous: Option<i64>,
    pub position: i64,
    pub reasons: Vec<PositionReason>,
}

/// The public answer to "where is application ALM-…?". It carries no priority class (a class
/// can reveal a disability or a family situation) and nothing personal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PositionView {
    pub public_no: String,
    pub cohort: i32,
    pub status: AppStatus,
    /// The place at which the child would be invited (1 = next); `None` unless waiting.
    pub position: Option<i64>,
    /// Children waiting in the cohort.
    pub waiting_in_cohort: i64,
    /// Newest first.
    pub history: Vec<PositionChange>,
    /// The day in Almaty when this was read (ISO): how the age group is named depends on it.
    pub today: String,
}

/// An open invitation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub public_no: String,
    pub cohort: i32,
    pub issued_at: i64,
    pub expires_at: i64,
}

/// A referral: what the parent shows the head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralView {
    pub code: String,
    pub public_no: String,
    pub kindergarten_id: i64,
    pub cohort: i32,
    pub issued_at: i64,
    pub expires_at: i64,
    /// `active`, `enrolled`, `declined` or `expired`.
    pub state: String,
    /// The head's order, when a staff member's child was admitted (flagged publicly).
    pub staff_order: Option<String>,
}

/// A kindergarten where an invited child may claim a seat now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimableSeat {
    pub kindergarten_id: i64,
    pub place: ReferralPlace,
    pub languages: super::LanguageSet,
    pub lat: f64,
    pub lon: f64,
    pub free: i64,
}

/// Where a kindergarten is: enough to find it, to choose it and to print a referral.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferralPlace {
    pub number: i32,
    pub name_kk: String,
    pub name_ru: String,
    pub district: super::District,
    pub address_kk: String,
    pub address_ru: String,
}

impl ReferralPlace {
    /// The name in the reader's language (Russian for English readers: the registry keeps
    /// Kazakh and Russian only).
    pub fn name(&self, locale: crate::i18n::Locale) -> &str {
        match locale {
            crate::i18n::Locale::Kk => &self.name_kk,
            _ => &self.name_ru,
        }
    }

    pub fn address(&self, locale: crate::i18n::Locale) -> &str {
        match locale {
            crate::i18n::Locale::Kk => &self.address_kk,
            _ => &self.address_ru,
        }
    }
}

/// A referral with its kindergarten, and the signed token its QR code carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferralPage {
    pub referral: ReferralView,
    pub place: ReferralPlace,
    /// The child's name (the page is shown only to the parent and the kindergarten's head).
    pub child_name: String,
    /// `kezek1.<payload>.<signature>` (base64url): what the QR code holds.
    pub token: String,
    /// The QR code of `token`, as an SVG document.
    pub qr_svg: String,
}

/// One of a parent's applications, as "My children" shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyChild {
    pub public_no: String,
    pub child_name: String,
    pub cohort: i32,
    pub status: AppStatus,
    pub applied_at: i64,
    /// The place in the queue and its history (waiting children).
    pub position: PositionView,
    pub invitation: Option<InvitationView>,
    /// The active referral, with where it sends the child.
    pub referral: Option<(ReferralView, ReferralPlace)>,
    pub contacts: ContactsForm,
    /// The district and group language asked for (codes), for applying for a sibling alike.
    pub district: String,
    pub language: String,
    /// Whether the parent asked for the weekly summary of the place.
    pub weekly_summary: bool,
    /// The latest notifications to the parent and where each went, newest first.
    pub notices: Vec<Notice>,
    /// The notifications box's words, in the reader's language (written by the server).
    pub notices_text: NoticesText,
}

/// The words of the notifications box on a child's card.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticesText {
    pub title: String,
    pub none_yet: String,
    /// Whether the weekly summary is on, and the button that switches it.
    pub weekly_said: String,
    pub weekly_button: String,
}

/// One notification to a parent, as the parent sees it: what it was about, when, and where
/// each of its messages went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// The outbox template (`invited`, `referral_issued`, …).
    pub template: String,
    /// When it was queued.
    pub at: i64,
    /// What it was about, in the reader's language (written by the server, so the browser's
    /// code carries none of these texts).
    pub about: String,
    pub deliveries: Vec<NoticeDelivery>,
}

/// One message of a notification: by which channel, to which number or address (masked), and
/// what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeDelivery {
    /// `sms` or `email`.
    pub channel: String,
    /// `+7 701 *** ** 12`, `a***@mail.kz`.
    pub to: String,
    /// `pending`, `sending`, `retry`, `sent` or `dead`.
    pub state: String,
    /// When it was sent, or is next tried.
    pub at: i64,
    /// "SMS sent to +7 701 *** ** 67, 26.11.2026, 10:02", in the reader's language (written by
    /// the server).
    pub line: String,
}

/// The characters of public numbers: digits and capital letters that cannot be mistaken for
/// one another when read out over the phone (no 0/O, no 1/I).
const NUMBER_ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// An application's public number, `ALM-2026-7KQ4-M2XD`, from 40 random bits: 10^12 numbers a
/// year, so that nobody can walk the queue by trying numbers in sequence.
pub fn application_number(year: i32, random: u64) -> String {
    let c = |i: u32| NUMBER_ALPHABET[((random >> (5 * i)) & 31) as usize] as char;
    let half = |from: u32| (from..from + 4).map(c).collect::<String>();
    format!("ALM-{year}-{}-{}", half(0), half(4))
}

/// A public number as typed (spaces around, small letters) in its stored form.
pub fn normalise_number(typed: &str) -> String {
    typed.trim().to_ascii_uppercase()
}

#[cfg(test)]
mod number_tests {
    use super::*;

    #[test]
    fn application_numbers_are_short_readable_and_spread() {
        let n = application_number(2026, 0x0123_4567_89ab);
        assert_eq!(n.len(), "ALM-2026-XXXX-XXXX".len());
        assert!(n.starts_with("ALM-2026-"));
        assert!(n[9..]
            .bytes()
            .all(|b| b == b'-' || NUMBER_ALPHABET.contains(&b)));
        // Neighbouring random values give unrelated-looking numbers, not neighbours.
        assert_ne!(application_number(2026, 1), application_number(2026, 2));
        assert_eq!(
            normalise_number(" alm-2026-7kq4-m2xd "),
            "ALM-2026-7KQ4-M2XD"
        );
    }
}

/// What a head's tablet shows of its kindergarten.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeadDesk {
    pub kindergarten_id: i64,
    pub place: ReferralPlace,
    pub groups: Vec<HeadGroup>,
    /// The latest postings, newest first.
    pub history: Vec<Posting>,
    /// Referrals to this kindergarten: the active ones first (soonest deadline first), then
    /// the latest closed.
    pub referrals: Vec<HeadReferral>,
    /// Seat posting pauses while children move between age groups (August).
    pub paused: bool,
    /// Today in Almaty, ISO (for the age groups' names).
    pub today: String,
}

/// One age group on the head's tablet: its capacity, free seats and referrals pending.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeadGroup {
    pub cohort: i32,
    pub capacity: i64,
    pub free: i64,
    /// Active referrals: children coming who hold a seat.
    pub pending: i64,
}

/// One posting of free seats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posting {
    pub at: i64,
    pub cohort: i32,
    pub before: i64,
    pub after: i64,
}

/// A referral as the head of its kindergarten sees it: with the child's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeadReferral {
    pub referral: ReferralView,
    pub child_name: String,
    /// For an active referral, the working days left to bring the child, today counted.
    pub days_left: Option<i64>,
}

/// A referral a head checked, as it stands now: by its code typed, or by its QR code (then
/// `signed`: the code carried Kezek's signature and agreed with the referral).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckedReferral {
    pub referral: ReferralView,
    pub child_name: String,
    pub signed: bool,
}
