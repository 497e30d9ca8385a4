//! The yearly re-check of privileges on the department's page (`/admin/privileges`): the next
//! due date, the privileges it would drop as things stand (oldest application first), and the
//! confirmation of one, by its application's number, with its reason (the document seen).
//! Nothing here names a child: numbers, birth years, classes and the document the parent named.

use super::{field, outcome};
use crate::domain::PriorityClass;
use crate::engine::privileges::PrivilegesDue;
use crate::i18n::{day, escape_html as esc, fmt_int, Locale};

/// What the last confirmation came to (`done=…`).
fn said(locale: Locale, code: &str) -> Option<(bool, &'static str)> {
    let p = |w: [&'static str; 3]| locale.pick(w);
    Some(match code {
        "confirmed" => (
            true,
            p([
                "Жеңілдік осы жылға расталды.",
                "Льгота подтверждена на этот год.",
                "The privilege is confirmed for this year.",
            ]),
        ),
        "not-found" => (
            false,
            p([
                "Мұндай нөмірлі өтінім жоқ.",
                "Заявки с таким номером нет.",
                "There is no application with this number.",
            ]),
        ),
        "not-open" => (
            false,
            p([
                "Өтінім жабық (қабылданған немесе қайтарылған).",
                "Заявка закрыта (зачислен или отозвана).",
                "The application is closed (enrolled or withdrawn).",
            ]),
        ),
        "not-privileged" => (
            false,
            p([
                "Бұл өтінім жалпы кезекте: расталатын жеңілдік жоқ.",
                "Заявка в общей очереди: подтверждать нечего.",
                "This application is on the general list: there is no privilege to confirm.",
            ]),
        ),
        "no-reason" => (
            false,
            p([
                "Себебін жазыңыз: көрген құжат (200 таңбаға дейін).",
                "Укажите причину: какой документ проверен (до 200 знаков).",
                "Give the reason: the document seen (up to 200 characters).",
            ]),
        ),
        _ => return None,
    })
}

fn class(locale: Locale, c: PriorityClass) -> &'static str {
    match c {
        PriorityClass::Extraordinary => {
            locale.pick(["кезектен тыс", "внеочередная", "extraordinary"])
        }
        PriorityClass::Primary => locale.pick(["бірінші кезекті", "первоочередная", "primary"]),
        PriorityClass::General => locale.pick(["жалпы", "общая", "general"]),
    }
}

/// The page's body.
pub fn section(locale: Locale, due: &PrivilegesDue, last: Option<&str>) -> String {
    let p = |w: [&'static str; 3]| locale.pick(w);
    let due_day = format!(
        "{:02}.{:02}.{}",
        due.due.day(),
        due.due.month() as u8,
        due.due.year()
    );
    let mut h = format!(
        "<h2 id=\"recheck\">{}</h2><p>{}</p>",
        p([
            "Жеңілдіктерді жыл сайын қайта тексеру",
            "Ежегодная проверка льгот",
            "The yearly re-check of privileges"
        ]),
        esc(&match locale {
            Locale::Kk => format!(
                "{due_day} дейін қайта расталмаған жеңілдік келесі күні алынады: бала жалпы кезекке \
                 бастапқы өтініш күнімен ауысады, ата-анасына хабар жіберіледі."
            ),
            Locale::Ru => format!(
                "Льгота, не подтверждённая до {due_day}, на следующий день снимается: ребёнок \
                 переходит в общую очередь с исходной датой заявления, родителю приходит уведомление."
            ),
            Locale::En => format!(
                "A privilege not re-confirmed by {due_day} is dropped the next day: the child moves \
                 to the general list at its original date, and the parent is told."
            ),
        })
    );
    if let Some((ok, text)) = last.and_then(|c| said(locale, c)) {
        h.push_str(&outcome(ok, text, "privileges-outcome"));
    }
    let reason = p([
        "Себебі (көрген құжат)",
        "Причина (проверенный документ)",
        "Reason (the document seen)",
    ]);
    h.push_str(&format!(
        "<form class=\"admin-form\" method=\"post\" novalidate action=\"/admin/privileges\">{}{}\
         <button type=\"submit\">{}</button></form>",
        field(
            "privilege-number",
            p(["Өтінім нөмірі", "Номер заявки", "Application number"]),
            "",
            "name=\"number\" required autocomplete=\"off\" autocapitalize=\"characters\""
        ),
        field(
            "privilege-reason",
            reason,
            "",
            "name=\"reason\" maxlength=\"200\" required autocomplete=\"off\""
        ),
        p([
            "Жеңілдікті растау",
            "Подтвердить льготу",
            "Confirm the privilege"
        ]),
    ));
    h.push_str(&format!(
        "<h3>{}</h3>",
        esc(&match locale {
            Locale::Kk => format!(
                "{due_day} дейін расталмаса, алынатын жеңілдіктер: {}",
                fmt_int(locale, due.total)
            ),
            Locale::Ru => format!(
                "Будут сняты, если не подтвердить до {due_day}: {}",
                fmt_int(locale, due.total)
            ),
            Locale::En => format!(
                "Dropped unless confirmed by {due_day}: {}",
                fmt_int(locale, due.total)
            ),
        })
    ));
    if due.first.is_empty() {
        return h;
    }
    h.push_str("<ul class=\"heads privileges\" data-testid=\"privileges-due\">");
    for d in &due.first {
        let never = if d.never {
            format!(
                " · <em>{}</em>",
                p([
                    "бұрынғы кезектен, расталмаған",
                    "из прежней очереди, не подтверждалась",
                    "from a former queue, never confirmed"
                ])
            )
        } else {
            String::new()
        };
        h.push_str(&format!(
            "<li data-number=\"{no}\"><strong><code>{no}</code></strong> · {} {} · {} · {} {}{never}\
             <br><span class=\"hint\">{}</span>\
             <form method=\"post\" action=\"/admin/privileges\" novalidate>\
             <input type=\"hidden\" name=\"number\" value=\"{no}\">\
             <input name=\"reason\" maxlength=\"200\" required aria-label=\"{reason}\" placeholder=\"{reason}\">\
             <button type=\"submit\">{}</button></form></li>",
            d.cohort,
            p(["жылы туған", "г. р.", "born"]),
            class(locale, d.priority),
            p(["өтініш", "заявление от", "applied"]),
            day(d.applied_at),
            esc(&d.document),
            p(["Растау", "Подтвердить", "Confirm"]),
            no = esc(&d.public_no),
        ));
    }
    h.push_str("</ul>");
    if due.total > due.first.len() as i64 {
        h.push_str(&format!(
            "<p class=\"hint\">{}</p>",
            p([
                "Ең ескі өтініштер көрсетілген; басқасын нөмірі бойынша растаңыз.",
                "Показаны самые ранние заявки; остальные подтверждайте по номеру.",
                "The oldest applications are shown; confirm others by number.",
            ])
        ));
    }
    h
}
