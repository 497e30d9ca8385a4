//! The one error type that crosses the wire between server functions and the browser.
//!
//! It carries what a person needs to read (translated by [`AppError::message`]) and nothing
//! else: database and I/O detail is logged on the server with `tracing` and never sent.

use crate::domain::kindergarten::FilterError;
use crate::domain::{IinError, PhoneError};
use crate::i18n::{t, Locale, Msg};
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// Which rule an input broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Invalid {
    Filter(FilterError),
    Iin(IinError),
    Phone(PhoneError),
    /// The request itself was malformed (missing or undecodable arguments).
    Request,
    /// The e-mail address is not one.
    Email,
    /// The child's name is empty or too long.
    Name,
    /// The birth date differs from the one encoded in the child's IIN, or lies ahead.
    BirthDate,
    /// The child is 6 or older: the queue is for preschool children.
    ChildTooOld,
    /// The IIN's birth date lies ahead.
    NotBorn,
    /// A privileged class without the document that grants it.
    PriorityDocument,
    /// Nothing (or something unknown) chosen where a choice is needed.
    Choose,
    /// The child's IIN is the applicant's own.
    ChildIsParent,
    /// Both mobile numbers are the same.
    SamePhones,
    /// A seat count below zero, or more than the group's capacity leaves.
    SeatCount,
    /// An extension or an order without a reason, or a reason too long.
    Reason,
    /// A staff member's child admitted without the order's number, or with one too long.
    StaffOrder,
    /// A referral's QR code that Kezek did not sign, altered, or naming another referral.
    Token,
    /// An extension date before the current end or beyond the longest validity.
    ExtensionDate,
    /// The rules' parameters do not make sense.
    Rules,
    /// A sign-in signature or challenge was refused.
    SignIn(SignInError),
}

impl SignInError {
    pub const ALL: [SignInError; 12] = [
        SignInError::Garbage,
        SignInError::Attached,
        SignInError::Tampered,
        SignInError::Untrusted,
        SignInError::Expired,
        SignInError::NotYetValid,
        SignInError::SigningKey,
        SignInError::NoIin,
        SignInError::Unsupported,
        SignInError::Challenge,
        SignInError::Role,
        SignInError::VerifierDown,
    ];

    /// A short name, for the sign-in page's address after a plain form post.
    pub fn code(self) -> String {
        format!("{self:?}").to_ascii_lowercase()
    }

    pub fn from_code(code: &str) -> Option<SignInError> {
        SignInError::ALL.into_iter().find(|e| e.code() == code)
    }
}

/// Why a sign-in was refused. Each has its own message: the person can act on every one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignInError {
    /// Not a CMS signature at all (bad base64, not DER, no signer, no certificate).
    Garbage,
    /// The signature carries its data inside (only detached signatures are accepted).
    Attached,
    /// The signature does not match the challenge (altered, or made over other data).
    Tampered,
    /// The certificate was not issued by a trusted certification authority.
    Untrusted,
    /// The certificate has expired.
    Expired,
    /// The certificate is not valid yet.
    NotYetValid,
    /// The signing key (for documents) instead of the authentication key.
    SigningKey,
    /// The certificate names no IIN.
    NoIin,
    /// An algorithm this server cannot check (GOST without NCANode configured).
    Unsupported,
    /// The challenge is unknown, used already or older than five minutes.
    Challenge,
    /// The person does not hold the role asked for (head, education department).
    Role,
    /// The checking service did not answer.
    VerifierDown,
}

/// Why a change was refused because of the current state of things.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Conflict {
    /// The data changed between reading and writing.
    Changed,
    /// The child already has an open application.
    AlreadyApplied,
    /// The child has no open invitation.
    NotInvited,
    /// The invitation's days have passed.
    InvitationLapsed,
    /// The kindergarten has no free seat left for this age group.
    SeatGone,
    /// The child already holds a referral.
    AlreadyReferred,
    /// The application is enrolled or withdrawn.
    NotOpen,
    /// The referral is no longer active (enrolled, declined or expired).
    ReferralNotActive,
    /// Seat posting pauses while children move between age groups (August).
    PostingPaused,
    /// No kindergarten has enough seats for all the siblings together.
    SiblingsDoNotFit,
}

/// What went wrong, as the browser may know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("unauthorized")]
    Unauthorized,
    #[error("forbidden")]
    Forbidden,
    /// A change asked for by another site (the `Origin` or `Sec-Fetch-Site` of the request).
    #[error("cross-site request")]
    CrossSite,
    #[error("not found")]
    NotFound,
    #[error("invalid input: {0:?}")]
    Validation(Invalid),
    #[error("conflict: {0:?}")]
    Conflict(Conflict),
    #[error("unavailable")]
    Unavailable,
    #[error("internal error")]
    Internal,
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_) | ServerFnErrorErr::MissingArg(_) => {
                AppError::Validation(Invalid::Request)
            }
            // On the server these are a request it cannot read (a body that is not the
            // function's encoding, not UTF-8, cut short): bad input, never an outage.
            #[cfg(feature = "ssr")]
            ServerFnErrorErr::Request(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_) => {
                AppError::Validation(Invalid::Request)
            }
            // In the browser: it could not reach the server or read its answer.
            #[cfg(not(feature = "ssr"))]
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Deserialization(_) => {
                AppError::Unavailable
            }
            _ => AppError::Internal,
        }
    }
}

impl From<FilterError> for AppError {
    fn from(e: FilterError) -> Self {
        AppError::Validation(Invalid::Filter(e))
    }
}

impl From<IinError> for AppError {
    fn from(e: IinError) -> Self {
        AppError::Validation(Invalid::Iin(e))
    }
}

impl From<PhoneError> for AppError {
    fn from(e: PhoneError) -> Self {
        AppError::Validation(Invalid::Phone(e))
    }
}

impl AppError {
    /// Whether this is a refusal the person can act on (4xx), not an outage or a fault.
    pub fn is_refusal(self) -> bool {
        !matches!(self, AppError::Unavailable | AppError::Internal)
    }

    /// The HTTP status that goes with the error.
    pub fn status(self) -> u16 {
        match self {
            AppError::Unauthorized => 401,
            AppError::Forbidden | AppError::CrossSite => 403,
            AppError::NotFound => 404,
            AppError::Validation(_) => 400,
            AppError::Conflict(_) => 409,
            AppError::Unavailable => 503,
            AppError::Internal => 500,
        }
    }

    /// What to tell a person, in their language.
    pub fn message(self, locale: Locale) -> &'static str {
        t(locale, self.msg())
    }

    fn msg(self) -> Msg {
        match self {
            AppError::Unauthorized => Msg::ErrUnauthorized,
            AppError::Forbidden => Msg::ErrForbidden,
            AppError::CrossSite => Msg::ErrCrossSite,
            AppError::NotFound => Msg::ErrNotFound,
            AppError::Conflict(c) => conflict_msg(c),
            AppError::Unavailable => Msg::ErrUnavailable,
            AppError::Internal => Msg::ErrInternal,
            AppError::Validation(v) => invalid_msg(v),
        }
    }
}

/// The message for a refusal caused by the current state of things.
pub fn conflict_msg(c: Conflict) -> Msg {
    match c {
        Conflict::Changed => Msg::ErrConflict,
        Conflict::AlreadyApplied => Msg::ErrAlreadyApplied,
        Conflict::NotInvited => Msg::ErrNotInvited,
        Conflict::InvitationLapsed => Msg::ErrInvitationLapsed,
        Conflict::SeatGone => Msg::ErrSeatGone,
        Conflict::AlreadyReferred => Msg::ErrAlreadyReferred,
        Conflict::NotOpen => Msg::ErrNotOpen,
        Conflict::ReferralNotActive => Msg::ErrReferralNotActive,
        Conflict::PostingPaused => Msg::ErrPostingPaused,
        Conflict::SiblingsDoNotFit => Msg::ErrSiblingsDoNotFit,
    }
}

/// The message for a broken input rule; the browser's own form checks use it too.
pub fn invalid_msg(v: Invalid) -> Msg {
    match v {
        Invalid::Request => Msg::ErrBadRequest,
        Invalid::Filter(FilterError::QueryTooLong) => Msg::ErrQueryTooLong,
        Invalid::Filter(FilterError::UnknownDistrict) => Msg::ErrUnknownDistrict,
        Invalid::Filter(FilterError::UnknownLanguage) => Msg::ErrUnknownLanguage,
        Invalid::Filter(FilterError::BadPage) => Msg::ErrBadPage,
        Invalid::Filter(FilterError::BadKindergarten) => Msg::ErrBadKindergarten,
        Invalid::Filter(FilterError::BadDate) => Msg::ErrBadDate,
        Invalid::Iin(IinError::Length) => Msg::ErrIinLength,
        Invalid::Iin(IinError::NotDigits) => Msg::ErrIinNotDigits,
        Invalid::Iin(IinError::Century) => Msg::ErrIinCentury,
        Invalid::Iin(IinError::BirthDate) => Msg::ErrIinBirthDate,
        Invalid::Iin(IinError::Checksum) => Msg::ErrIinChecksum,
        Invalid::Phone(PhoneError::Empty) => Msg::ErrPhoneEmpty,
        Invalid::Phone(PhoneError::BadCharacter) => Msg::ErrPhoneBadCharacter,
        Invalid::Phone(PhoneError::Length) => Msg::ErrPhoneLength,
        Invalid::Phone(PhoneError::NotKazakh) => Msg::ErrPhoneNotKazakh,
        Invalid::Phone(PhoneError::NotMobile) => Msg::ErrPhoneNotMobile,
        Invalid::Email => Msg::ErrEmail,
        Invalid::Name => Msg::ErrName,
        Invalid::BirthDate => Msg::ErrBirthDate,
        Invalid::ChildTooOld => Msg::ErrChildTooOld,
        Invalid::NotBorn => Msg::ErrNotBorn,
        Invalid::PriorityDocument => Msg::ErrPriorityDocument,
        Invalid::Choose => Msg::ErrChoose,
        Invalid::ChildIsParent => Msg::ErrChildIsParent,
        Invalid::SamePhones => Msg::ErrSamePhones,
        Invalid::SeatCount => Msg::ErrSeatCount,
        Invalid::Reason => Msg::ErrReason,
        Invalid::StaffOrder => Msg::ErrStaffOrder,
        Invalid::Token => Msg::ErrToken,
        Invalid::ExtensionDate => Msg::ErrExtensionDate,
        Invalid::Rules => Msg::ErrRules,
        Invalid::SignIn(e) => match e {
            SignInError::Garbage => Msg::ErrSignGarbage,
            SignInError::Attached => Msg::ErrSignAttached,
            SignInError::Tampered => Msg::ErrSignTampered,
            SignInError::Untrusted => Msg::ErrSignUntrusted,
            SignInError::Expired => Msg::ErrSignExpired,
            SignInError::NotYetValid => Msg::ErrSignNotYetValid,
            SignInError::SigningKey => Msg::ErrSignSigningKey,
            SignInError::NoIin => Msg::ErrSignNoIin,
            SignInError::Unsupported => Msg::ErrSignUnsupported,
            SignInError::Challenge => Msg::ErrSignChallenge,
            SignInError::Role => Msg::ErrSignRole,
            SignInError::VerifierDown => Msg::ErrUnavailable,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_the_wire_encoding() {
        let all = [
            AppError::Unauthorized,
            AppError::NotFound,
            AppError::Validation(Invalid::Iin(IinError::Checksum)),
            AppError::Validation(Invalid::Filter(FilterError::BadPage)),
            AppError::Conflict(Conflict::Changed),
            AppError::Internal,
        ];
        for e in all {
            assert_eq!(AppError::de(e.ser()), e);
        }
    }

    #[test]
    fn bad_input_is_never_a_500() {
        for v in [
            Invalid::Request,
            Invalid::Iin(IinError::Length),
            Invalid::Phone(PhoneError::NotMobile),
            Invalid::Filter(FilterError::QueryTooLong),
        ] {
            assert_eq!(AppError::Validation(v).status(), 400);
        }
        assert_eq!(
            AppError::from_server_fn_error(ServerFnErrorErr::Args("x".into())).status(),
            400
        );
    }

    #[test]
    fn messages_differ_per_locale() {
        let e = AppError::Validation(Invalid::Iin(IinError::Checksum));
        assert_ne!(e.message(Locale::Kk), e.message(Locale::Ru));
        assert_ne!(e.message(Locale::Ru), e.message(Locale::En));
    }
}
