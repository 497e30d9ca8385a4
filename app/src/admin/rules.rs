//! The rules' parameters and the calendar: the department's forms (`/admin/rules`) and the
//! public page (`/rules`) that shows the same, with every change (when, by whom, why), as the
//! public log has them.

use super::{field, outcome};
use crate::engine::rules::Rules;
use crate::i18n::{escape_html as esc, when, Locale};
use serde_json::Value;
use std::collections::HashMap;
use time::Date;

/// `08-01`.
fn md((m, d): (u8, u8)) -> String {
    format!("{m:02}-{d:02}")
}

/// The parameters: (form name, words, value).
fn params(r: &Rules) -> [(&'static str, [&'static str; 3], String); 10] {
    [
        (
            "privileged_share",
            [
                "Жеңілдігі барларға берілетін орын үлесі",
                "Доля мест льготной очереди",
                "Seats' share of the privileged list",
            ],
            r.privileged_share.to_string(),
        ),
        (
            "general_share",
            [
                "Жалпы кезекке берілетін орын үлесі",
                "Доля мест общей очереди",
                "Seats' share of the general list",
            ],
            r.general_share.to_string(),
        ),
        (
            "invitation_days",
            [
                "Шақыру мерзімі, жұмыс күні",
                "Срок приглашения, рабочих дней",
                "An invitation lasts, working days",
            ],
            r.invitation_days.to_string(),
        ),
        (
            "referral_days",
            [
                "Жолдама мерзімі, жұмыс күні",
                "Срок направления, рабочих дней",
                "A referral lasts, working days",
            ],
            r.referral_days.to_string(),
        ),
        (
            "max_extension_days",
            [
                "Ұзартылған жолдаманың ең ұзақ мерзімі, күн",
                "Наибольший срок направления с продлением, дней",
                "Longest referral with extensions, days",
            ],
            r.max_extension_days.to_string(),
        ),
        (
            "stop_days",
            ["Тоқтату тізімі, күн", "Стоп-лист, дней", "Stop-list, days"],
            r.stop_days.to_string(),
        ),
        (
            "min_age_months",
            [
                "Шақырылатын жас, ай",
                "Приглашаются с возраста, месяцев",
                "Invited from the age of, months",
            ],
            r.min_age_months.to_string(),
        ),
        (
            "pause_from",
            [
                "Үзіліс басталады (АА-КК)",
                "Пауза начинается (ММ-ДД)",
                "The pause starts (MM-DD)",
            ],
            md(r.pause_from),
        ),
        (
            "pause_to",
            [
                "Үзіліс аяқталады (АА-КК)",
                "Пауза заканчивается (ММ-ДД)",
                "The pause ends (MM-DD)",
            ],
            md(r.pause_to),
        ),
        (
            "recheck_due",
            [
                "Жеңілдіктер қайта расталатын мерзім (АА-КК)",
                "Льготы подтверждаются до (ММ-ДД)",
                "Privileges re-confirmed by (MM-DD)",
            ],
            md(r.recheck_due),
        ),
    ]
}

/// The rules a form sent; `None` when a number or a day is not one.
pub fn parse(form: &HashMap<String, String>) -> Option<Rules> {
    let get = |k: &str| form.get(k).map(|v| v.trim()).unwrap_or("");
    let n = |k: &str| get(k).parse::<u32>().ok();
    let md = |k: &str| -> Option<(u8, u8)> {
        let (m, d) = get(k).split_once('-')?;
        Some((m.parse().ok()?, d.parse().ok()?))
    };
    Some(Rules {
        privileged_share: n("privileged_share")?,
        general_share: n("general_share")?,
        invitation_days: n("invitation_days")?,
        referral_days: n("referral_days")?,
        max_extension_days: n("max_extension_days")?,
        stop_days: n("stop_days")?,
        min_age_months: n("min_age_months")?,
        pause_from: md("pause_from")?,
        pause_to: md("pause_to")?,
        recheck_due: md("recheck_due")?,
    })
}

/// What a change of the rules or the calendar came to (`rules=…`, `calendar=…`).
fn said(locale: Locale, code: &str) -> Option<(bool, &'static str)> {
    let p = |w: [&'static str; 3]| locale.pick(w);
    Some(match code {
        "saved" => (
            true,
            p(["Сақталды.", "Сохранено.", "Saved."]),
        ),
        "removed" => (
            true,
            p([
                "Күн қалыпты күнге айналды.",
                "День снова обычный.",
                "The day is an ordinary day again.",
            ]),
        ),
        "invalid" => (
            false,
            p([
                "Мәндер жарамсыз: үлестер 1-ден бастап (қосындысы 100-ден аспайды), мерзімдер оң, күндер АА-КК түрінде.",
                "Неверные значения: доли от 1 (в сумме до 100), сроки положительные, дни в виде ММ-ДД.",
                "Not valid: shares from 1 (100 at most together), periods positive, days as MM-DD.",
            ]),
        ),
        "bad-date" => (
            false,
            p(["Күнді таңдаңыз.", "Выберите дату.", "Choose a date."]),
        ),
        "weekday" => (
            false,
            p([
                "Жұмыс күні етіп тек сенбі мен жексенбіні ғана ауыстыруға болады.",
                "Рабочим можно сделать только субботу или воскресенье.",
                "Only a Saturday or a Sunday can be made a working day.",
            ]),
        ),
        "no-name" => (
            false,
            p([
                "Күннің атауын жазыңыз (200 таңбаға дейін).",
                "Укажите название дня (до 200 знаков).",
                "Name the day (up to 200 characters).",
            ]),
        ),
        "no-reason" => (false, p(super::NO_REASON)),
        _ => return None,
    })
}

fn weekday(locale: Locale, d: Date) -> &'static str {
    let i = d.weekday().number_days_from_monday() as usize;
    let names: [[&str; 3]; 7] = [
        ["дүйсенбі", "понедельник", "Monday"],
        ["сейсенбі", "вторник", "Tuesday"],
        ["сәрсенбі", "среда", "Wednesday"],
        ["бейсенбі", "четверг", "Thursday"],
        ["жұма", "пятница", "Friday"],
        ["сенбі", "суббота", "Saturday"],
        ["жексенбі", "воскресенье", "Sunday"],
    ];
    locale.pick(names[i])
}

/// `25.11.2026`.
fn date(d: Date) -> String {
    format!("{:02}.{:02}.{}", d.day(), d.month() as u8, d.year())
}

fn reason_field(locale: Locale, id: &str) -> String {
    field(
        id,
        locale.pick([
            "Себебі (бұйрық, хат)",
            "Причина (приказ, письмо)",
            "Reason (order, letter)",
        ]),
        "",
        "name=\"reason\" maxlength=\"200\" required autocomplete=\"off\"",
    )
}

/// The department's section of the rules: the form, filled with the rules in force.
pub fn rules_form(locale: Locale, rules: &Rules, last: Option<&str>) -> String {
    let p = |w: [&'static str; 3]| locale.pick(w);
    let mut h = format!(
        "<h2 id=\"rules\">{}</h2>",
        p(["Кезек ережелері", "Правила очереди", "Queue rules"])
    );
    if let Some((ok, text)) = last.and_then(|c| said(locale, c)) {
        h.push_str(&outcome(ok, text, "rules-outcome"));
    }
    h.push_str("<form class=\"admin-form\" method=\"post\" novalidate action=\"/admin/rules\">");
    for (name, words, value) in params(rules) {
        let extra = if value.contains('-') {
            "required pattern=\"[0-9]{2}-[0-9]{2}\" inputmode=\"numeric\""
        } else {
            "required type=\"number\" min=\"0\" max=\"366\" inputmode=\"numeric\""
        };
        h.push_str(&field(name, p(words), &value, extra));
    }
    h.push_str(&reason_field(locale, "rules-reason"));
    h.push_str(&format!(
        "<button type=\"submit\">{}</button></form>",
        p(["Ережелерді сақтау", "Сохранить правила", "Save the rules"])
    ));
    h
}

/// The rules in force, as the public reads them (days as `01.08`).
pub fn rules_list(locale: Locale, rules: &Rules) -> String {
    let mut h = String::from("<dl class=\"rules-list\" data-testid=\"rules\">");
    for (_, words, value) in params(rules) {
        let label = locale.pick(words);
        let (label, value) = match value.split_once('-') {
            Some((m, d)) => (
                label.split(" (").next().unwrap_or(label),
                format!("{d}.{m}"),
            ),
            None => (label, value),
        };
        h.push_str(&format!("<dt>{}</dt><dd>{}</dd>", esc(label), esc(&value)));
    }
    h.push_str("</dl>");
    h
}

/// The calendar of `year`: its days off and worked weekend days; with `edit`, the department's
/// forms (remove a day, add one) and the outcome of the last change.
pub fn calendar(
    locale: Locale,
    year: i32,
    days: &[(Date, String, bool)],
    edit: Option<Option<&str>>,
) -> String {
    let p = |w: [&'static str; 3]| locale.pick(w);
    let base = if edit.is_some() {
        "/admin/rules"
    } else {
        "/rules"
    };
    let mut h = format!(
        "<h2 id=\"calendar\">{} {year}</h2><p class=\"year-nav\">\
         <a href=\"{base}?year={}#calendar\">← {}</a> <a href=\"{base}?year={}#calendar\">{} →</a></p>\
         <p class=\"hint\">{}</p>",
        p(["Күнтізбе", "Календарь", "Calendar"]),
        year - 1,
        year - 1,
        year + 1,
        year + 1,
        p([
            "Демалыс және мереке күндері, жұмыс күні етіп ауыстырылған сенбі мен жексенбі. Шақыру мен жолдама мерзімдері жұмыс күнімен саналады.",
            "Выходные и праздничные дни и перенесённые рабочие дни. Сроки приглашений и направлений считаются в рабочих днях.",
            "Days off and holidays, and weekend days moved to be worked. Invitations and referrals run in working days.",
        ])
    );
    if let Some((ok, text)) = edit.flatten().and_then(|c| said(locale, c)) {
        h.push_str(&outcome(ok, text, "calendar-outcome"));
    }
    let shown: Vec<_> = days.iter().filter(|d| d.0.year() == year).collect();
    if shown.is_empty() {
        h.push_str(&format!(
            "<p data-testid=\"calendar\">{}</p>",
            p([
                "Бұл жылға белгіленген күн жоқ.",
                "На этот год дней не отмечено.",
                "No days marked for this year."
            ])
        ));
    } else {
        h.push_str("<ul class=\"calendar-days\" data-testid=\"calendar\">");
        for (d, name, worked) in shown {
            let what = if *worked {
                p(["жұмыс күні", "рабочий день", "worked"])
            } else {
                p(["демалыс", "выходной", "day off"])
            };
            let class = if *worked { "worked" } else { "off" };
            h.push_str(&format!(
                "<li class=\"{class}\" data-day=\"{d}\"><strong>{}</strong>, {} · {} · <em>{what}</em>",
                date(*d),
                weekday(locale, *d),
                esc(name)
            ));
            if edit.is_some() {
                h.push_str(&format!(
                    "<form method=\"post\" action=\"/admin/calendar\" novalidate>\
                     <input type=\"hidden\" name=\"day\" value=\"{d}\">\
                     <input type=\"hidden\" name=\"kind\" value=\"ordinary\">\
                     <input name=\"reason\" maxlength=\"200\" required aria-label=\"{r}\" placeholder=\"{r}\">\
                     <button type=\"submit\" class=\"secondary\">{}</button></form>",
                    p(["Алып тастау", "Убрать", "Remove"]),
                    r = p(["Себебі", "Причина", "Reason"]),
                ));
            }
            h.push_str("</li>");
        }
        h.push_str("</ul>");
    }
    if edit.is_some() {
        h.push_str(&format!(
            "<h3>{}</h3><form class=\"admin-form\" method=\"post\" novalidate action=\"/admin/calendar\">{}\
             <div class=\"field\"><label for=\"day-kind\">{}</label><select id=\"day-kind\" name=\"kind\">\
             <option value=\"off\">{}</option><option value=\"worked\">{}</option></select></div>{}{}\
             <button type=\"submit\">{}</button></form>",
            p(["Күн қосу", "Добавить день", "Add a day"]),
            field("day", p(["Күні", "Дата", "Date"]), "", "type=\"date\" required"),
            p(["Не болады", "Чем станет", "It becomes"]),
            p(["Демалыс күні", "Выходной день", "A day off"]),
            p(["Жұмыс күні (сенбі, жексенбі)", "Рабочий день (сб, вс)", "A working day (Sat, Sun)"]),
            field("day-name", p(["Атауы", "Название", "Name"]), "", "name=\"name\" maxlength=\"200\" required"),
            reason_field(locale, "day-reason"),
            p(["Күнді сақтау", "Сохранить день", "Save the day"]),
        ));
    }
    h
}

/// The latest changes of the rules and the calendar (newest first, as the log has them): when,
/// by whom, what, why. A change of the rules names the parameters it changed.
pub fn changes(locale: Locale, log: &[(i64, String, Value)]) -> String {
    let p = |w: [&'static str; 3]| locale.pick(w);
    let mut h = format!(
        "<h2 id=\"changes\">{}</h2>",
        p(["Өзгерістер", "Изменения", "Changes"])
    );
    if log.is_empty() {
        h.push_str(&format!(
            "<p>{}</p>",
            p([
                "Әзірге өзгеріс жоқ.",
                "Изменений пока нет.",
                "No changes yet."
            ])
        ));
        return h;
    }
    h.push_str("<ul class=\"changes\" data-testid=\"changes\">");
    for (i, (at, kind, body)) in log.iter().enumerate() {
        let what = if kind == "rules.changed" {
            let now = serde_json::from_value::<Rules>(body["rules"].clone()).unwrap_or_default();
            let was = log[i + 1..]
                .iter()
                .find(|e| e.1 == "rules.changed")
                .and_then(|e| serde_json::from_value::<Rules>(e.2["rules"].clone()).ok());
            let was = was.unwrap_or_default();
            let diff: Vec<String> = params(&was)
                .into_iter()
                .zip(params(&now))
                .filter(|(a, b)| a.2 != b.2)
                .map(|(a, b)| format!("{}: {} → {}", locale.pick(b.1), a.2, b.2))
                .collect();
            if diff.is_empty() {
                p([
                    "Ережелер қайта сақталды",
                    "Правила сохранены без изменений",
                    "Rules saved unchanged",
                ])
                .to_string()
            } else {
                diff.join("; ")
            }
        } else {
            let d = body["day"].as_str().and_then(crate::domain::parse_iso_date);
            let d = d.map(date).unwrap_or_default();
            match (body["holiday"].as_str(), body["working"].as_bool()) {
                (Some(name), Some(true)) => format!(
                    "{d}: {} «{name}»",
                    p(["жұмыс күні", "рабочий день", "a working day"])
                ),
                (Some(name), _) => {
                    format!("{d}: {} «{name}»", p(["демалыс", "выходной", "a day off"]))
                }
                (None, _) => format!(
                    "{d}: {}",
                    p(["қалыпты күн", "обычный день", "an ordinary day"])
                ),
            }
        };
        let by = body["by"].as_str().unwrap_or("");
        let reason = body["reason"].as_str().unwrap_or("");
        h.push_str(&format!(
            "<li><p class=\"when\">{} · {}</p><p>{}</p>{}</li>",
            esc(&when(*at)),
            esc(by),
            esc(&what),
            if reason.is_empty() {
                String::new()
            } else {
                format!(
                    "<p class=\"hint\">{}: {}</p>",
                    p(["Себебі", "Причина", "Reason"]),
                    esc(reason)
                )
            }
        ));
    }
    h.push_str("</ul>");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_gives_back_the_rules_it_shows() {
        let r = Rules {
            recheck_due: (6, 27),
            invitation_days: 1,
            ..Rules::default()
        };
        let sent: HashMap<String, String> = params(&r)
            .into_iter()
            .map(|(k, _, v)| (k.to_string(), format!(" {v} ")))
            .collect();
        assert_eq!(parse(&sent), Some(r));
        let mut bad = sent.clone();
        bad.insert("pause_from".into(), "август".into());
        assert_eq!(parse(&bad), None);
        bad.insert("pause_from".into(), "08-01".into());
        bad.remove("stop_days");
        assert_eq!(parse(&bad), None);
    }

    #[test]
    fn a_change_of_the_rules_names_what_changed() {
        let was = Rules::default();
        let mut now = was.clone();
        now.stop_days = 7;
        let event = |r: &Rules, reason: &str| serde_json::json!({ "rules": r, "by": "admin #3", "reason": reason });
        let log = vec![
            (
                1_800_000_000_000,
                "rules.changed".to_string(),
                event(&now, "order 5"),
            ),
            (
                1_790_000_000_000,
                "rules.changed".to_string(),
                event(&was, "start"),
            ),
        ];
        let h = changes(Locale::En, &log);
        assert!(h.contains("Stop-list, days: 10 → 7"), "{h}");
        assert!(h.contains("admin #3") && h.contains("Reason: order 5"));
        assert!(h.contains("Rules saved unchanged"));
    }
}
