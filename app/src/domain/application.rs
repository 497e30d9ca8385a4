//! The application form's rules, one copy for the browser (checked as the parent types) and the
//! server (checked again before anything is written).

use super::queue::ApplicationForm;
use super::{parse_iso_date, Cohort, District, GroupLanguage, Iin, Phone, PriorityClass};
use crate::error::Invalid;
use time::{Date, Month};

/// The fields of the form, for putting a message beside the right one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    ChildIin,
    ChildName,
    BirthDate,
    Priority,
    PriorityDoc,
    Phone1,
    Phone2,
    Email,
    District,
    Language,
}

/// A form that passed every rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    pub child_iin: Iin,
    pub child_name: String,
    pub birth_date: Date,
    pub cohort: Cohort,
    pub priority: PriorityClass,
    /// The document that grants the priority class (empty for the general class).
    pub priority_doc: String,
    pub phone1: Phone,
    pub phone2: Phone,
    pub email: String,
    pub district: District,
    pub language: GroupLanguage,
    pub sibling_of: Option<String>,
}

/// The longest name or document reference accepted.
pub const MAX_TEXT: usize = 200;

/// The date `months` months before `day` (the last day of a shorter month when needed).
pub fn months_before(day: Date, months: u32) -> Date {
    let total = day.year() * 12 + (day.month() as i32 - 1) - months as i32;
    let (y, m) = (total.div_euclid(12), total.rem_euclid(12) + 1);
    let month = Month::try_from(m as u8).expect("1..=12");
    let last = time::util::days_in_month(month, y);
    Date::from_calendar_date(y, month, day.day().min(last)).expect("valid date")
}

/// A plain e-mail check: one `@`, something before it, a dotted domain after, no spaces.
pub fn email_ok(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    email.len() <= 254
        && !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Each problem of a form, beside the field it is about.
pub type Problems = Vec<(Field, Invalid)>;

/// Checked contacts: the two mobile numbers and the e-mail.
pub type Contacts = (Phone, Phone, String);

/// The two phones and the e-mail (also the contacts form's rules).
pub fn check_contacts(phone1: &str, phone2: &str, email: &str) -> (Option<Contacts>, Problems) {
    let mut problems = Vec::new();
    let p1 = Phone::parse(phone1).map_err(|e| problems.push((Field::Phone1, Invalid::Phone(e))));
    let p2 = Phone::parse(phone2).map_err(|e| problems.push((Field::Phone2, Invalid::Phone(e))));
    if let (Ok(a), Ok(b)) = (&p1, &p2) {
        if a == b {
            problems.push((Field::Phone2, Invalid::SamePhones));
        }
    }
    let email = email.trim();
    if !email_ok(email) {
        problems.push((Field::Email, Invalid::Email));
    }
    match (p1, p2, problems.is_empty()) {
        (Ok(a), Ok(b), true) => (Some((a, b, email.to_string())), problems),
        _ => (None, problems),
    }
}

/// Every problem of the form, in the order of its fields, and the checked form when there is
/// none. `parent` is the applicant (the server knows it; the browser may not), `today` the
/// date in Almaty. An empty birth date is read from the IIN.
pub fn check(
    form: &ApplicationForm,
    parent: Option<Iin>,
    today: Date,
) -> (Option<Checked>, Problems) {
    let mut problems = Vec::new();
    let iin = match Iin::parse(&form.child_iin) {
        Ok(iin) if Some(iin) == parent => {
            problems.push((Field::ChildIin, Invalid::ChildIsParent));
            None
        }
        Ok(iin) => Some(iin),
        Err(e) => {
            problems.push((Field::ChildIin, Invalid::Iin(e)));
            None
        }
    };
    let name = form.child_name.trim();
    if name.is_empty() || name.chars().count() > MAX_TEXT {
        problems.push((Field::ChildName, Invalid::Name));
    }
    let typed = form.birth_date.trim();
    let birth = if typed.is_empty() {
        iin.map(|i| i.birth_date())
    } else {
        parse_iso_date(typed).filter(|d| iin.is_none_or(|i| i.birth_date() == *d))
    };
    match birth {
        None if iin.is_some() || !typed.is_empty() => {
            problems.push((Field::BirthDate, Invalid::BirthDate))
        }
        Some(d) if d > today => problems.push((Field::ChildIin, Invalid::NotBorn)),
        Some(d) if d <= months_before(today, 72) => {
            problems.push((Field::ChildIin, Invalid::ChildTooOld))
        }
        _ => {}
    }
    let priority = PriorityClass::from_code(form.priority.trim());
    if priority.is_none() {
        problems.push((Field::Priority, Invalid::Choose));
    }
    let doc = form.priority_doc.trim();
    if priority.is_some_and(PriorityClass::is_privileged)
        && (doc.is_empty() || doc.chars().count() > MAX_TEXT)
    {
        problems.push((Field::PriorityDoc, Invalid::PriorityDocument));
    }
    let (contacts, contact_problems) = check_contacts(&form.phone1, &form.phone2, &form.email);
    problems.extend(contact_problems);
    let district = District::from_code(form.district.trim());
    if district.is_none() {
        problems.push((Field::District, Invalid::Choose));
    }
    let language = GroupLanguage::from_code(form.language.trim());
    if language.is_none() {
        problems.push((Field::Language, Invalid::Choose));
    }
    let sibling_of = form
        .sibling_of
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(super::queue::normalise_number);
    let checked = match (iin, birth, priority, contacts, district, language) {
        (
            Some(child_iin),
            Some(birth_date),
            Some(priority),
            Some((p1, p2, email)),
            Some(d),
            Some(l),
        ) if problems.is_empty() => Some(Checked {
            child_iin,
            child_name: name.to_string(),
            birth_date,
            cohort: Cohort::of(birth_date),
            priority,
            priority_doc: if priority.is_privileged() {
                doc.to_string()
            } else {
                String::new()
            },
            phone1: p1,
            phone2: p2,
            email,
            district: d,
            language: l,
            sibling_of,
        }),
        _ => None,
    };
    (checked, problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Sex;
    use time::macros::date;

    fn form(child: &Iin) -> ApplicationForm {
        ApplicationForm {
            child_iin: child.digits(),
            child_name: "Әлия".into(),
            birth_date: String::new(),
            priority: "general".into(),
            priority_doc: String::new(),
            phone1: "+7 701 111 22 33".into(),
            phone2: "8 702 444 55 66".into(),
            email: "ata@mail.kz".into(),
            district: "medeu".into(),
            language: "kk".into(),
            sibling_of: None,
        }
    }

    const TODAY: Date = date!(2026 - 11 - 25);

    #[test]
    fn a_good_form_passes_and_its_birth_date_and_cohort_come_from_the_iin() {
        let child = Iin::compose(date!(2023 - 04 - 05), Sex::Female, 7).unwrap();
        let (ok, problems) = check(&form(&child), None, TODAY);
        assert_eq!(problems, vec![]);
        let ok = ok.unwrap();
        assert_eq!(
            (ok.birth_date, ok.cohort),
            (date!(2023 - 04 - 05), Cohort(2023))
        );
        // A typed birth date must agree with the IIN.
        let mut f = form(&child);
        f.birth_date = "2023-04-06".into();
        assert_eq!(
            check(&f, None, TODAY).1,
            vec![(Field::BirthDate, Invalid::BirthDate)]
        );
    }

    #[test]
    fn each_field_names_its_own_problem_and_all_are_found_at_once() {
        let child = Iin::compose(date!(2023 - 04 - 05), Sex::Male, 7).unwrap();
        let mut f = form(&child);
        f.child_iin = "123".into();
        f.child_name = " ".into();
        f.priority = "primary".into();
        f.phone1 = "+7 727 111 22 33".into(); // a landline in Almaty
        f.email = "ata@".into();
        f.district = "atlantis".into();
        let fields: Vec<Field> = check(&f, None, TODAY).1.into_iter().map(|p| p.0).collect();
        assert_eq!(
            fields,
            vec![
                Field::ChildIin,
                Field::ChildName,
                Field::PriorityDoc,
                Field::Phone1,
                Field::Email,
                Field::District
            ]
        );
    }

    #[test]
    fn children_not_born_too_old_or_the_parent_are_refused() {
        let unborn = Iin::compose(date!(2026 - 12 - 01), Sex::Male, 1).unwrap();
        assert_eq!(
            check(&form(&unborn), None, TODAY).1,
            vec![(Field::ChildIin, Invalid::NotBorn)]
        );
        let six = Iin::compose(date!(2020 - 11 - 25), Sex::Male, 1).unwrap();
        assert_eq!(
            check(&form(&six), None, TODAY).1,
            vec![(Field::ChildIin, Invalid::ChildTooOld)]
        );
        let parent = Iin::compose(date!(2022 - 01 - 01), Sex::Female, 1).unwrap();
        assert_eq!(
            check(&form(&parent), Some(parent), TODAY).1,
            vec![(Field::ChildIin, Invalid::ChildIsParent)]
        );
        let mut same = form(&parent);
        same.phone2 = same.phone1.clone();
        assert_eq!(
            check(&same, None, TODAY).1,
            vec![(Field::Phone2, Invalid::SamePhones)]
        );
    }
}
