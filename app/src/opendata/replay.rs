//! The replay of the public event log: from the events alone, every application's state, every
//! cohort's seat turn and so every position, and a judgement of every invitation and referral.
//!
//! An invitation is legitimate when its seat turn was its list's by the ratio (or passed to it
//! from a list with nobody to invite), and no child ahead of the invited one in its list (same
//! cohort, same list, smaller queue key) could have been invited instead: each such child must have been
//! on the stop-list, too young (by its birth month; a child born in the month of the age cutoff
//! cannot be judged from the month and is counted as undecided), or one of siblings applied
//! together, who are invited only together where one kindergarten has room for all. A referral
//! is legitimate when the child held an open invitation, or when it names a head's staff order.

pub use super::positions::positions;
use crate::domain::queue::AppStatus;
use crate::domain::PriorityClass;
use crate::engine::chain::StoredEvent;
use crate::engine::rules::{almaty_date, List, QueueKey, Rules};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use time::{Date, Month};

/// One application as the log tells it.
#[derive(Debug, Clone)]
pub struct Child {
    pub key: QueueKey,
    pub cohort: i32,
    /// Birth (year, month), where the log gives it.
    pub born: Option<(i32, u8)>,
    pub sibling: bool,
    pub status: AppStatus,
    pub stop_until: i64,
}

/// A difference between the log and the rules, or between the log and what the site published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The event's sequence number (0 where it concerns a published file, not one event).
    pub seq: i64,
    pub what: String,
}

/// What the replay counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub events: u64,
    pub applications: u64,
    pub invitations: u64,
    /// Children passed over at an invitation whose age the birth month cannot decide.
    pub undecided_age: u64,
    pub referrals: u64,
    pub staff_orders: u64,
}

/// A referral as the log issued it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issued {
    pub application: String,
    pub kindergarten_id: i64,
    pub staff_order: bool,
}

/// The state after the events replayed so far.
#[derive(Default)]
pub struct Replay {
    pub rules: Rules,
    pub children: HashMap<String, Child>,
    /// Each cohort's next seat turn.
    pub turns: HashMap<i32, u64>,
    /// Every referral the log issued, by code.
    pub referrals: HashMap<String, Issued>,
    pub findings: Vec<Finding>,
    pub counts: Counts,
    /// The waiting children of each cohort in queue order (the lists: class first).
    waiting: HashMap<i32, BTreeMap<QueueKey, String>>,
}

fn certainly(born: (i32, u8), cutoff: Date) -> Option<bool> {
    let month = Month::try_from(born.1).ok()?;
    let first = Date::from_calendar_date(born.0, month, 1).ok()?;
    let last =
        Date::from_calendar_date(born.0, month, time::util::days_in_month(month, born.0)).ok()?;
    if last <= cutoff {
        Some(true)
    } else if first > cutoff {
        Some(false)
    } else {
        None
    }
}

fn text<'a>(body: &'a Value, key: &str) -> Option<&'a str> {
    body.get(key)?.as_str()
}

fn int(body: &Value, key: &str) -> Option<i64> {
    body.get(key)?.as_i64()
}

impl Replay {
    fn find(&mut self, seq: i64, what: String) {
        self.findings.push(Finding { seq, what });
    }

    /// Replays one event (the chain is checked apart).
    pub fn apply(&mut self, e: &StoredEvent) {
        self.counts.events += 1;
        let Ok(body) = serde_json::from_str::<Value>(&e.body) else {
            return self.find(e.seq, format!("{}: its body is not JSON", e.kind));
        };
        let outcome = match e.kind.as_str() {
            "application.created" | "application.imported" => self.applied(&body),
            "invitation.issued" => self.invited(e, &body),
            "invitation.lapsed" => self.returned(&body, AppStatus::Invited),
            "referral.issued" => self.referred(&body, false),
            "referral.staff_order" => self.referred(&body, true),
            "referral.expired" | "referral.declined" => self.returned(&body, AppStatus::Referred),
            "referral.enrolled" => self.moved(&body, &[AppStatus::Referred], AppStatus::Enrolled),
            "application.withdrawn" => self.moved(
                &body,
                &[AppStatus::Waiting, AppStatus::Invited, AppStatus::Referred],
                AppStatus::Withdrawn,
            ),
            "rules.changed" => match body.get("rules").map(Rules::deserialize) {
                Some(Ok(rules)) => {
                    self.rules = rules;
                    Ok(())
                }
                _ => Err("the rules cannot be read".to_string()),
            },
            "application.redated" => self.redated(&body),
            "privilege.dropped" => self.dropped(&body),
            "referral.extended" => match text(&body, "code") {
                Some(code) if self.referrals.contains_key(code) => Ok(()),
                _ => Err("extends a referral the log never issued".to_string()),
            },
            // Changes that move no child: contacts, seats (their effect is the invitations that
            // follow, each in the log), the calendar, who holds a role.
            "application.contacts_changed"
            | "seats.posted"
            | "calendar.changed"
            | "role.head_assigned"
            | "role.head_revoked"
            | "role.admin_granted"
            | "role.admin_revoked"
            | "legacy.imported"
            | "privilege.confirmed"
            | "privileges.rechecked"
            | "groups.moved_up"
            | "kindergarten.created"
            | "kindergarten.changed" => Ok(()),
            other => Err(format!("an event of unknown kind {other:?}")),
        };
        if let Err(what) = outcome {
            self.find(e.seq, format!("{}: {what}", e.kind));
        }
    }

    /// Moves a known child to `to`, keeping the waiting lists.
    fn set(&mut self, no: &str, to: AppStatus) {
        let Some(c) = self.children.get_mut(no) else {
            return;
        };
        let list = self.waiting.entry(c.cohort).or_default();
        if c.status == AppStatus::Waiting {
            list.remove(&c.key);
        }
        if to == AppStatus::Waiting {
            list.insert(c.key, no.to_string());
        }
        c.status = to;
    }

    fn child<'a>(&'a mut self, body: &'a Value) -> Result<(&'a str, &'a mut Child), String> {
        let no = text(body, "public_no").ok_or("names no application")?;
        match self.children.get_mut(no) {
            Some(c) => Ok((no, c)),
            None => Err(format!("application {no} never entered the log")),
        }
    }

    fn applied(&mut self, body: &Value) -> Result<(), String> {
        let (Some(no), Some(id), Some(cohort), Some(priority), Some(applied_at)) = (
            text(body, "public_no"),
            int(body, "id"),
            int(body, "cohort"),
            text(body, "priority").and_then(PriorityClass::from_code),
            int(body, "applied_at"),
        ) else {
            return Err("lacks the number, id, cohort, class or time".into());
        };
        let born = text(body, "born").and_then(|b| {
            let (y, m) = b.split_once('-')?;
            Some((y.parse().ok()?, m.parse().ok()?))
        });
        self.counts.applications += 1;
        let child = Child {
            key: QueueKey {
                priority,
                applied_at,
                id,
            },
            cohort: cohort as i32,
            born,
            sibling: body.get("sibling_group").and_then(Value::as_bool) == Some(true),
            status: AppStatus::Waiting,
            stop_until: 0,
        };
        if let Some(sib) = text(body, "sibling_of") {
            if let Some(s) = self.children.get_mut(sib) {
                s.sibling = true;
            }
        }
        let (cohort, key) = (child.cohort, child.key);
        if self.children.insert(no.to_string(), child).is_some() {
            return Err(format!("application number {no} used twice"));
        }
        self.waiting
            .entry(cohort)
            .or_default()
            .insert(key, no.to_string());
        Ok(())
    }

    /// A merged legacy queue gave a child an earlier date: its key moves up.
    fn redated(&mut self, body: &Value) -> Result<(), String> {
        let at = int(body, "applied_at").ok_or("lacks the time")?;
        let (no, c) = self.child(body)?;
        if at > c.key.applied_at {
            return Err(format!("{no} would move later"));
        }
        let (no, status, cohort, old) = (no.to_string(), c.status, c.cohort, c.key);
        c.key.applied_at = at;
        if status == AppStatus::Waiting {
            let list = self.waiting.entry(cohort).or_default();
            list.remove(&old);
            list.insert(
                QueueKey {
                    applied_at: at,
                    ..old
                },
                no,
            );
        }
        Ok(())
    }

    /// The yearly re-check dropped a child's privilege: it joins the general list at its date.
    fn dropped(&mut self, body: &Value) -> Result<(), String> {
        let (no, c) = self.child(body)?;
        if !c.key.priority.is_privileged() {
            return Err(format!("{no} had no privilege to drop"));
        }
        let (no, status, cohort, old) = (no.to_string(), c.status, c.cohort, c.key);
        c.key.priority = PriorityClass::General;
        if status == AppStatus::Waiting {
            let list = self.waiting.entry(cohort).or_default();
            list.remove(&old);
            list.insert(
                QueueKey {
                    priority: PriorityClass::General,
                    ..old
                },
                no,
            );
        }
        Ok(())
    }

    fn moved(&mut self, body: &Value, from: &[AppStatus], to: AppStatus) -> Result<(), String> {
        let (no, c) = self.child(body)?;
        if !from.contains(&c.status) {
            return Err(format!(
                "{no} was {}, not {}",
                c.status.code(),
                from[0].code()
            ));
        }
        let no = no.to_string();
        self.set(&no, to);
        Ok(())
    }

    fn returned(&mut self, body: &Value, from: AppStatus) -> Result<(), String> {
        let stop_until = int(body, "stop_until").unwrap_or(0);
        self.moved(body, &[from], AppStatus::Waiting)?;
        self.child(body)?.1.stop_until = stop_until;
        Ok(())
    }

    fn invited(&mut self, e: &StoredEvent, body: &Value) -> Result<(), String> {
        self.counts.invitations += 1;
        let cutoff = self.rules.age_cutoff(almaty_date(e.at));
        let (no, c) = self.child(body)?;
        let (no, me) = (no.to_string(), c.clone());
        if me.status != AppStatus::Waiting {
            return Err(format!("{no} invited while {}", me.status.code()));
        }
        if me.stop_until > e.at {
            return Err(format!("{no} invited while on the stop-list"));
        }
        if me.born.and_then(|b| certainly(b, cutoff)) == Some(false) {
            return Err(format!("{no} invited before it was old enough"));
        }
        if let (Some(filling), Some(after)) = (int(body, "filling"), int(body, "turn")) {
            let (filling, after) = (filling as i32, after as u64);
            // Its own turn (not a sibling's) for its own cohort's seats: the turn must have
            // been its list's by the ratio, or passed to it from a list with nobody to invite.
            if filling == me.cohort && text(body, "with").is_none() && !me.sibling {
                let before = self.turns.get(&filling).copied().unwrap_or(0);
                let mine = me.key.list();
                let other = if mine == List::General {
                    List::Privileged
                } else {
                    List::General
                };
                let (certain, possible) = self.anyone(me.cohort, other, e.at, cutoff);
                let fits = |other_has: bool| {
                    let (p, g) = match mine {
                        List::Privileged => (true, other_has),
                        List::General => (other_has, true),
                    };
                    self.rules.next_list(before, p, g) == Some((mine, after))
                };
                if !fits(certain) && !fits(possible) {
                    self.find(
                        e.seq,
                        format!(
                            "invitation.issued: {no} took seat turn {before} of its cohort \
                             (to {after}), which the ratio gave to the other list"
                        ),
                    );
                }
            }
            self.turns.insert(filling, after);
        }
        // Those ahead in its list: from the list's start (the general list starts after every
        // privileged key) up to its own key, in queue order.
        let start = list_start(me.key.list());
        let mut undecided = 0;
        let mut passed = None;
        let list = self
            .waiting
            .get(&me.cohort)
            .into_iter()
            .flat_map(|l| l.range(start..me.key));
        for (_, other) in list {
            let o = &self.children[other];
            if o.stop_until > e.at {
                continue;
            }
            match o.born.and_then(|b| certainly(b, cutoff)) {
                Some(false) => continue,
                None if o.born.is_some() => undecided += 1,
                _ if o.sibling || me.sibling => {}
                _ => {
                    passed = Some(other.clone());
                    break;
                }
            }
        }
        self.counts.undecided_age += undecided;
        self.set(&no, AppStatus::Invited);
        match passed {
            Some(other) => Err(format!(
                "{no} invited while {other} was ahead of it in its list and could be invited"
            )),
            None => Ok(()),
        }
    }

    /// Whether anyone of `list` in `cohort` could be invited at `at`: (certainly, possibly). A
    /// child born in the month of the age cutoff, or one of siblings (invited only where all fit),
    /// only possibly.
    fn anyone(&self, cohort: i32, list: List, at: i64, cutoff: Date) -> (bool, bool) {
        let Some(waiting) = self.waiting.get(&cohort) else {
            return (false, false);
        };
        let mut possibly = false;
        for no in waiting.range(list_start(list)..).map(|(_, no)| no) {
            let o = &self.children[no];
            if o.key.list() != list {
                break;
            }
            if o.stop_until > at {
                continue;
            }
            match o.born.and_then(|b| certainly(b, cutoff)) {
                Some(false) => {}
                Some(true) if !o.sibling => return (true, true),
                _ => possibly = true,
            }
        }
        (false, possibly)
    }

    fn referred(&mut self, body: &Value, staff: bool) -> Result<(), String> {
        let code = text(body, "code").ok_or("names no referral")?.to_string();
        let kindergarten = int(body, "kindergarten_id").unwrap_or(0);
        let (no, c) = self.child(body)?;
        let (no, from) = (no.to_string(), c.status);
        self.set(&no, AppStatus::Referred);
        let issued = Issued {
            application: no.clone(),
            kindergarten_id: kindergarten,
            staff_order: staff,
        };
        self.referrals.insert(code.clone(), issued);
        self.counts.referrals += 1;
        if staff {
            self.counts.staff_orders += 1;
            let order = text(body, "staff_order").unwrap_or("").trim();
            if order.is_empty() {
                return Err(format!("{code} outside queue order names no staff order"));
            }
            if !matches!(from, AppStatus::Waiting | AppStatus::Invited) {
                return Err(format!("{code} issued to {no} while {}", from.code()));
            }
        } else if from != AppStatus::Invited {
            return Err(format!(
                "{code} issued to {no}, who held no invitation ({})",
                from.code()
            ));
        }
        Ok(())
    }

    /// Every waiting child's position, as the site computes it: each list in queue order, the
    /// two interleaved by the ratio from the cohort's seat turn.
    pub fn positions(&self) -> HashMap<String, i64> {
        positions(
            &self.rules,
            &self.turns,
            self.waiting
                .iter()
                .flat_map(|(cohort, l)| l.iter().map(|(k, no)| (no.as_str(), *cohort, *k))),
        )
    }
}

/// The smallest queue key of a list (the general list starts after every privileged key).
fn list_start(list: List) -> QueueKey {
    let priority = match list {
        List::Privileged => PriorityClass::Extraordinary,
        List::General => PriorityClass::General,
    };
    QueueKey {
        priority,
        applied_at: i64::MIN,
        id: i64::MIN,
    }
}

use serde::Deserialize as _;

#[cfg(test)]
#[path = "replay_tests.rs"]
mod tests;
