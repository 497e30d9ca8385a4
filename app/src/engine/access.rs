//! Who may do what: one function of (actor, action, target) for every action of the queue, so
//! that the whole matrix of roles and actions reads in one place and is tested as a whole.
//!
//! A parent asking about somebody else's application or referral is told it does not exist
//! (404), so that application numbers and referral codes cannot be probed.

use crate::domain::Iin;
use crate::error::AppError;

/// Who asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// Anyone, not signed in.
    Public,
    /// A parent, identified by the IIN in their signature certificate.
    Parent(Iin),
    /// The head of one kindergarten.
    Head { kindergarten_id: i64 },
    /// The city's education department.
    Admin,
    /// Background jobs.
    System,
}

/// Everything a person can ask the queue to do or show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Apply for a child (the parent is the applicant).
    Apply,
    /// See where an application stands (public, by its number).
    SeePosition,
    /// See an application's open invitation.
    SeeInvitation,
    EditContacts,
    Withdraw,
    /// Take a seat with an invitation.
    Claim,
    /// Give a referral back.
    Decline,
    SeeReferral,
    PostSeats,
    Enrol,
    Extend,
    /// Admit a staff member's child by the head's order.
    StaffOrder,
    SetRules,
    SetHoliday,
    /// Merge kindergartens' own queues into the city queue.
    ImportLegacy,
    /// Confirm a child's privilege for the yearly re-check.
    ConfirmPrivilege,
    /// Create and edit kindergartens (the registry).
    EditRegistry,
}

impl Action {
    pub const ALL: [Action; 17] = [
        Action::Apply,
        Action::SeePosition,
        Action::SeeInvitation,
        Action::EditContacts,
        Action::Withdraw,
        Action::Claim,
        Action::Decline,
        Action::SeeReferral,
        Action::PostSeats,
        Action::Enrol,
        Action::Extend,
        Action::StaffOrder,
        Action::SetRules,
        Action::SetHoliday,
        Action::ImportLegacy,
        Action::ConfirmPrivilege,
        Action::EditRegistry,
    ];
}

/// What an action is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    /// The city as a whole (rules, the calendar, a new application).
    City,
    /// An application, by the IIN of the parent who made it.
    Application { parent_iin: &'a str },
    /// A kindergarten.
    Kindergarten(i64),
    /// A referral: its child's parent and its kindergarten.
    Referral {
        parent_iin: &'a str,
        kindergarten_id: i64,
    },
}

/// Who may act, as a rule per action.
#[derive(Clone, Copy)]
enum Who {
    Anyone,
    AnyParent,
    /// The parent of the application or referral.
    TheParent,
    /// The head of the kindergarten (of the target or of the referral), or the department.
    HeadOrAdmin,
    /// Only the head of the kindergarten.
    HeadOnly,
    /// The parent, the head of the referral's kindergarten, or the department.
    ParentHeadOrAdmin,
    Admin,
}

/// The table.
fn rule(action: Action) -> Who {
    match action {
        Action::SeePosition => Who::Anyone,
        Action::Apply => Who::AnyParent,
        Action::SeeInvitation
        | Action::EditContacts
        | Action::Withdraw
        | Action::Claim
        | Action::Decline => Who::TheParent,
        Action::SeeReferral => Who::ParentHeadOrAdmin,
        Action::PostSeats | Action::Enrol | Action::Extend => Who::HeadOrAdmin,
        Action::StaffOrder => Who::HeadOnly,
        Action::SetRules
        | Action::SetHoliday
        | Action::ImportLegacy
        | Action::ConfirmPrivilege
        | Action::EditRegistry => Who::Admin,
    }
}

fn parent_of<'a>(target: &Target<'a>) -> Option<&'a str> {
    match target {
        Target::Application { parent_iin } | Target::Referral { parent_iin, .. } => {
            Some(parent_iin)
        }
        _ => None,
    }
}

fn kindergarten_of(target: &Target) -> Option<i64> {
    match target {
        Target::Kindergarten(k)
        | Target::Referral {
            kindergarten_id: k, ..
        } => Some(*k),
        _ => None,
    }
}

/// Whether `actor` may do `action` on `target`: `Ok`, or the refusal to answer with
/// (401 not signed in, 403 not allowed, 404 someone else's).
pub fn authorize(actor: &Actor, action: Action, target: &Target) -> Result<(), AppError> {
    let who = rule(action);
    if matches!(who, Who::Anyone) || matches!(actor, Actor::System) {
        return Ok(());
    }
    let is_parent = |iin: &Iin| parent_of(target) == Some(iin.digits().as_str());
    let heads = |k: i64| kindergarten_of(target) == Some(k);
    let allowed = match (who, actor) {
        (_, Actor::Public) => return Err(AppError::Unauthorized),
        (Who::AnyParent, Actor::Parent(_)) => true,
        (Who::TheParent | Who::ParentHeadOrAdmin, Actor::Parent(iin)) => {
            if !is_parent(iin) {
                // Someone else's: as if it did not exist.
                return Err(AppError::NotFound);
            }
            true
        }
        (
            Who::HeadOrAdmin | Who::HeadOnly | Who::ParentHeadOrAdmin,
            Actor::Head { kindergarten_id },
        ) => heads(*kindergarten_id),
        (Who::HeadOrAdmin | Who::ParentHeadOrAdmin | Who::Admin, Actor::Admin) => true,
        _ => false,
    };
    if allowed {
        Ok(())
    } else if matches!(who, Who::ParentHeadOrAdmin) {
        Err(AppError::NotFound)
    } else {
        Err(AppError::Forbidden)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn iin(n: u16) -> Iin {
        (0..50)
            .find_map(|k| {
                Iin::compose(
                    date!(1990 - 06 - 15),
                    crate::domain::Sex::Female,
                    n * 50 + k,
                )
            })
            .expect("a valid IIN")
    }

    /// The whole matrix: for every action, the answer to the public, the parent of the child,
    /// another parent, the head of the kindergarten, the head of another, and the department.
    /// `ok` allowed, `401`, `403`, `404` the refusal.
    #[test]
    fn every_cell_of_the_matrix() {
        let mine = iin(1);
        let other = iin(2);
        let mine_digits = mine.digits();
        let actors = [
            ("public", Actor::Public),
            ("parent", Actor::Parent(mine)),
            ("other parent", Actor::Parent(other)),
            ("head", Actor::Head { kindergarten_id: 7 }),
            ("other head", Actor::Head { kindergarten_id: 8 }),
            ("admin", Actor::Admin),
        ];
        #[rustfmt::skip]
        let table: [(Action, [&str; 6]); 17] = [
            //                      public  parent  other   head    o.head  admin
            (Action::Apply,         ["401", "ok",   "ok",   "403",  "403",  "403"]),
            (Action::SeePosition,   ["ok",  "ok",   "ok",   "ok",   "ok",   "ok"]),
            (Action::SeeInvitation, ["401", "ok",   "404",  "403",  "403",  "403"]),
            (Action::EditContacts,  ["401", "ok",   "404",  "403",  "403",  "403"]),
            (Action::Withdraw,      ["401", "ok",   "404",  "403",  "403",  "403"]),
            (Action::Claim,         ["401", "ok",   "404",  "403",  "403",  "403"]),
            (Action::Decline,       ["401", "ok",   "404",  "403",  "403",  "403"]),
            (Action::SeeReferral,   ["401", "ok",   "404",  "ok",   "404",  "ok"]),
            (Action::PostSeats,     ["401", "403",  "403",  "ok",   "403",  "ok"]),
            (Action::Enrol,         ["401", "403",  "403",  "ok",   "403",  "ok"]),
            (Action::Extend,        ["401", "403",  "403",  "ok",   "403",  "ok"]),
            (Action::StaffOrder,    ["401", "403",  "403",  "ok",   "403",  "403"]),
            (Action::SetRules,      ["401", "403",  "403",  "403",  "403",  "ok"]),
            (Action::SetHoliday,    ["401", "403",  "403",  "403",  "403",  "ok"]),
            (Action::ImportLegacy,  ["401", "403",  "403",  "403",  "403",  "ok"]),
            (Action::ConfirmPrivilege, ["401", "403", "403", "403",  "403",  "ok"]),
            (Action::EditRegistry,  ["401", "403",  "403",  "403",  "403",  "ok"]),
        ];
        assert_eq!(
            table.iter().map(|(a, _)| *a).collect::<Vec<_>>(),
            Action::ALL.to_vec(),
            "the table names every action once"
        );
        for (action, row) in table {
            // The target each action is about, owned by `mine` and kindergarten 7.
            let target = match action {
                Action::Apply
                | Action::SetRules
                | Action::SetHoliday
                | Action::ImportLegacy
                | Action::ConfirmPrivilege
                | Action::EditRegistry
                | Action::SeePosition => Target::City,
                Action::PostSeats | Action::StaffOrder => Target::Kindergarten(7),
                Action::SeeReferral | Action::Decline | Action::Enrol | Action::Extend => {
                    Target::Referral {
                        parent_iin: &mine_digits,
                        kindergarten_id: 7,
                    }
                }
                _ => Target::Application {
                    parent_iin: &mine_digits,
                },
            };
            for ((name, actor), want) in actors.iter().zip(row) {
                let got = match authorize(actor, action, &target) {
                    Ok(()) => "ok",
                    Err(AppError::Unauthorized) => "401",
                    Err(AppError::Forbidden) => "403",
                    Err(AppError::NotFound) => "404",
                    Err(e) => panic!("{action:?} by {name}: unexpected {e:?}"),
                };
                assert_eq!(got, want, "{action:?} by {name}");
            }
            // Background jobs may do everything.
            assert_eq!(authorize(&Actor::System, action, &target), Ok(()));
        }
    }
}
