//! The heads of kindergartens on the department's page: the list (by kindergarten), assign an
//! IIN to a kindergarten, revoke; each change with its reason, in the public log under the
//! admin's pseudonym. IINs are shown masked (the birth date and the last digit).

use crate::i18n::{escape_html as esc, when, Locale};

/// A head as the page lists them: (assignment, IIN, kindergarten number, name in Kazakh, name
/// in Russian, assigned at).
pub type Head = (i64, String, i64, String, String, i64);

/// What the last change on the page came to (the `heads` of `/admin?heads=…`).
pub fn outcome(locale: Locale, code: &str) -> Option<(bool, &'static str)> {
    let p = |w: [&'static str; 3]| locale.pick(w);
    Some(match code {
        "assigned" => (
            true,
            p([
                "Меңгеруші тағайындалды.",
                "Заведующий назначен.",
                "The head is assigned.",
            ]),
        ),
        "revoked" => (
            true,
            p([
                "Меңгерушінің рөлі алынды.",
                "Роль заведующего снята.",
                "The head's role is revoked.",
            ]),
        ),
        "bad-iin" => (
            false,
            p([
                "ЖСН жарамсыз: 12 цифр, бақылау саны дұрыс болуы керек.",
                "Неверный ИИН: 12 цифр с верной контрольной цифрой.",
                "Not a valid IIN: 12 digits with a right check digit.",
            ]),
        ),
        "no-kindergarten" => (
            false,
            p([
                "Мұндай нөмірлі балабақша жоқ.",
                "Нет детского сада с таким номером.",
                "There is no kindergarten with this number.",
            ]),
        ),
        "no-reason" => (false, p(super::NO_REASON)),
        "not-held" => (
            false,
            p([
                "Бұл тағайындау жоқ (алынып қойған).",
                "Такого назначения нет (уже снято).",
                "There is no such assignment (revoked already).",
            ]),
        ),
        _ => return None,
    })
}

/// `800101*****2`: enough to recognise, not to copy.
fn masked(iin: &str) -> String {
    let (head, tail) = (iin.get(..6).unwrap_or(""), iin.get(11..).unwrap_or(""));
    format!("{head}*****{tail}")
}

/// The section: the outcome of the last change, the form that assigns, the list.
pub fn section(locale: Locale, heads: &[Head], last: Option<&str>) -> String {
    let p = |w: [&'static str; 3]| locale.pick(w);
    let mut h = format!(
        "<h2 id=\"heads\">{}</h2>",
        p([
            "Балабақша меңгерушілері",
            "Заведующие детскими садами",
            "Heads of kindergartens"
        ])
    );
    if let Some((ok, text)) = last.and_then(|c| outcome(locale, c)) {
        h.push_str(&super::outcome(ok, text, "heads-outcome"));
    }
    let reason = p(["Себебі", "Причина", "Reason"]);
    h.push_str(&format!(
        "<form class=\"head-assign\" method=\"post\" action=\"/admin/heads\">\
         <input type=\"hidden\" name=\"action\" value=\"assign\">\
         <label for=\"head-iin\">{}</label>\
         <input id=\"head-iin\" name=\"iin\" inputmode=\"numeric\" autocomplete=\"off\" maxlength=\"12\" required>\
         <label for=\"head-kindergarten\">{}</label>\
         <input id=\"head-kindergarten\" name=\"number\" inputmode=\"numeric\" required>\
         <label for=\"head-reason\">{reason}</label>\
         <input id=\"head-reason\" name=\"reason\" maxlength=\"200\" required>\
         <button type=\"submit\">{}</button></form>",
        p(["Меңгерушінің ЖСН-і", "ИИН заведующего", "The head's IIN"]),
        p(["Балабақша нөмірі", "Номер детского сада", "Kindergarten number"]),
        p(["Тағайындау", "Назначить", "Assign"]),
    ));
    if heads.is_empty() {
        h.push_str(&format!(
            "<p data-testid=\"heads\">{}</p>",
            p([
                "Меңгерушілер әлі жоқ.",
                "Заведующих пока нет.",
                "No heads yet."
            ])
        ));
        return h;
    }
    h.push_str("<ul class=\"heads\" data-testid=\"heads\">");
    for (id, iin, number, kk, ru, at) in heads {
        let name = if locale == Locale::Kk { kk } else { ru };
        h.push_str(&format!(
            "<li data-assignment=\"{id}\" data-number=\"{number}\"><strong>{}</strong> · <code>{}</code> · {} {}\
             <form method=\"post\" action=\"/admin/heads\">\
             <input type=\"hidden\" name=\"action\" value=\"revoke\">\
             <input type=\"hidden\" name=\"assignment\" value=\"{id}\">\
             <input name=\"reason\" maxlength=\"200\" required aria-label=\"{reason}\" placeholder=\"{reason}\">\
             <button type=\"submit\" class=\"danger\">{}</button></form></li>",
            esc(name),
            masked(iin),
            p(["тағайындалған", "назначен", "since"]),
            esc(&when(*at)),
            p(["Рөлін алу", "Снять роль", "Revoke"]),
        ));
    }
    h.push_str("</ul>");
    h
}
