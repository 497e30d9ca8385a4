//! The kindergarten registry on the department's pages: the list (`/admin/kindergartens`, a
//! search of the directory), a kindergarten's form (`/admin/kindergartens/N`, or `…/new`) with
//! what is wrong said at the top and the values kept, the point on a map (a script of ours on
//! Leaflet: click or drag to move it; the numbers can be typed too), and the kindergarten's
//! history from the public log.

use super::{field, outcome};
use crate::domain::LanguageSet;
use crate::domain::{AgeGroup, Cohort, DirectoryPage, District, GroupLanguage, KindergartenKind};
use crate::engine::registry::{Entry, Problem};
use crate::i18n::{escape_html as esc, fmt_int, Locale};
use crate::ui::common::{age_group_name, district_name, kind_name, language_name};
use serde_json::Value;
use std::collections::HashMap;
use time::Date;

/// A blank entry for a new kindergarten: the city centre, Kazakh and Russian groups, in the
/// queue.
pub fn blank() -> Entry {
    let ((lat, lon), _) = District::Almaly.area();
    Entry {
        number: 0,
        name_kk: String::new(),
        name_ru: String::new(),
        district: District::Almaly,
        address_kk: String::new(),
        address_ru: String::new(),
        lat,
        lon,
        languages: LanguageSet::from_bits(0)
            .with(GroupLanguage::Kazakh)
            .with(GroupLanguage::Russian),
        kind: KindergartenKind::General,
        in_queue: true,
        capacities: [0; 5],
    }
}

/// The entry a form sent (what cannot be read becomes a value the checks refuse).
pub fn parse(form: &HashMap<String, String>) -> Entry {
    let get = |k: &str| {
        form.get(k)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let on = |k: &str| form.get(k).is_some_and(|v| v == "on");
    let real = |k: &str| get(k).replace(',', ".").parse::<f64>().unwrap_or(f64::NAN);
    let mut languages = LanguageSet::from_bits(0);
    for l in GroupLanguage::ALL {
        if on(&format!("lang_{}", l.code())) {
            languages = languages.with(l);
        }
    }
    let mut capacities = [0i64; 5];
    for (i, c) in capacities.iter_mut().enumerate() {
        *c = get(&format!("capacity_{i}")).parse().unwrap_or(-1);
    }
    Entry {
        number: get("number")
            .trim_start_matches('№')
            .trim()
            .parse()
            .unwrap_or(0),
        name_kk: get("name_kk"),
        name_ru: get("name_ru"),
        district: District::from_code(&get("district")).unwrap_or(District::Almaly),
        address_kk: get("address_kk"),
        address_ru: get("address_ru"),
        lat: real("lat"),
        lon: real("lon"),
        languages,
        kind: KindergartenKind::from_code(&get("kind")).unwrap_or(KindergartenKind::General),
        in_queue: on("in_queue"),
        capacities,
    }
}

fn problem(locale: Locale, p: Problem) -> String {
    let w = |t: [&'static str; 3]| locale.pick(t).to_string();
    match p {
        Problem::Number => w([
            "Нөмірі 1-ден 99999-ға дейін болуы керек.",
            "Номер должен быть от 1 до 99999.",
            "The number must be 1 to 99999.",
        ]),
        Problem::NumberTaken => w([
            "Бұл нөмір басқа балабақшада бар.",
            "Этот номер уже у другого детского сада.",
            "Another kindergarten has this number.",
        ]),
        Problem::Name => w([
            "Атауын қазақша және орысша жазыңыз (200 таңбаға дейін).",
            "Укажите название на казахском и русском (до 200 знаков).",
            "Give the name in Kazakh and Russian (up to 200 characters).",
        ]),
        Problem::Address => w([
            "Мекенжайын қазақша және орысша жазыңыз (200 таңбаға дейін).",
            "Укажите адрес на казахском и русском (до 200 знаков).",
            "Give the address in Kazakh and Russian (up to 200 characters).",
        ]),
        Problem::Point => w([
            "Картадағы нүкте Алматыда болуы керек.",
            "Точка на карте должна быть в Алматы.",
            "The point on the map must be in Almaty.",
        ]),
        Problem::Languages => w([
            "Кемінде бір топ тілін белгілеңіз.",
            "Отметьте хотя бы один язык групп.",
            "Tick at least one language of groups.",
        ]),
        Problem::QueueKind => w([
            "Бірыңғай кезекке тек жалпы мемлекеттік балабақша қатысады.",
            "В единой очереди участвует только общий государственный детский сад.",
            "Only a general state kindergarten takes children from the queue.",
        ]),
        Problem::Capacity => w([
            "Топ сыйымдылығы 0-ден 1000-ға дейін.",
            "Вместимость группы — от 0 до 1000.",
            "A group's capacity is 0 to 1,000.",
        ]),
        Problem::BelowPending(g) => format!(
            "{}: {}",
            age_group_name(locale, Some(g)),
            locale.pick([
                "сыйымдылық әлі пайдаланылмаған жолдамалардан аз болмайды.",
                "вместимость не может быть меньше действующих направлений.",
                "the capacity cannot be below the referrals not yet used.",
            ])
        ),
        Problem::Reason => w(super::NO_REASON),
    }
}

/// The list: a search, the kindergartens found, a link to add one.
pub fn list(locale: Locale, q: &str, found: &DirectoryPage) -> String {
    let p = |w: [&'static str; 3]| locale.pick(w);
    let mut h = format!(
        "<p><a class=\"button-link\" href=\"/admin/kindergartens/new\">{}</a></p>\
         <form class=\"admin-search\" method=\"get\" action=\"/admin/kindergartens\" role=\"search\">\
         <div class=\"field\"><label for=\"q\">{}</label>\
         <input id=\"q\" name=\"q\" type=\"search\" value=\"{}\" maxlength=\"80\"></div>\
         <button type=\"submit\">{}</button></form><p>{}: {}</p>",
        p(["Жаңа балабақша", "Новый детский сад", "New kindergarten"]),
        p(["Нөмірі не атауы", "Номер или название", "Number or name"]),
        esc(q),
        p(["Іздеу", "Найти", "Search"]),
        p(["Табылды", "Найдено", "Found"]),
        fmt_int(locale, found.total),
    );
    h.push_str("<ul class=\"heads registry\" data-testid=\"registry\">");
    for k in &found.items {
        let name = if locale == Locale::Kk {
            &k.name_kk
        } else {
            &k.name_ru
        };
        let queue = if k.in_queue {
            p(["кезекте", "в очереди", "in the queue"])
        } else {
            p(["кезектен тыс", "вне очереди", "outside the queue"])
        };
        h.push_str(&format!(
            "<li><a href=\"/admin/kindergartens/{n}\"><strong>{}</strong></a><br>\
             <span class=\"hint\">{} · {} · {} · {} {}</span></li>",
            esc(&titled(k.number, name)),
            district_name(locale, k.district),
            kind_name(locale, k.kind),
            queue,
            p(["орын", "мест", "seats"]),
            fmt_int(locale, k.capacity),
            n = k.number,
        ));
    }
    h.push_str("</ul>");
    h
}

/// A kindergarten's name with its number, unless the name carries it already (registry names
/// usually do: "№ 187 «Балдырған»").
fn titled(number: i32, name: &str) -> String {
    if name.contains(&number.to_string()) {
        name.to_string()
    } else {
        format!("№ {number} · {name}")
    }
}

/// What the form shows besides the entry.
pub struct FormView<'a> {
    /// The kindergarten's id, when it exists.
    pub id: Option<i64>,
    pub problems: &'a [Problem],
    pub saved: bool,
    /// The school year of the age groups (its 1 September).
    pub groups_day: Date,
    pub history: &'a [(i64, String, Value)],
    /// The map's tiles (URL template, attribution; empty: none).
    pub tiles: (&'a str, &'a str),
    /// The page's script nonce (the map's scripts carry it).
    pub nonce: &'a str,
    /// The reason as sent (kept when the form comes back with problems).
    pub reason: &'a str,
}

/// A kindergarten's form, and its history.
pub fn form(locale: Locale, e: &Entry, v: &FormView) -> String {
    let p = |w: [&'static str; 3]| locale.pick(w);
    let mut h = String::new();
    h.push_str(&format!(
        "<h2 id=\"kindergarten\">{}</h2>",
        esc(&match v.id {
            Some(_) => titled(
                e.number,
                if locale == Locale::Kk {
                    &e.name_kk
                } else {
                    &e.name_ru
                },
            ),
            None => p(["Жаңа балабақша", "Новый детский сад", "New kindergarten"]).to_string(),
        })
    ));
    if v.saved {
        h.push_str(&outcome(
            true,
            p(["Сақталды.", "Сохранено.", "Saved."]),
            "registry-outcome",
        ));
    }
    if !v.problems.is_empty() {
        h.push_str(&format!(
            "<div class=\"error\" role=\"alert\" data-testid=\"registry-problems\"><p>{}</p><ul>",
            p([
                "Ештеңе сақталмады:",
                "Ничего не сохранено:",
                "Nothing was saved:"
            ])
        ));
        for pr in v.problems {
            h.push_str(&format!("<li>{}</li>", esc(&problem(locale, *pr))));
        }
        h.push_str("</ul></div>");
    }
    h.push_str(
        "<form class=\"admin-form registry-form\" method=\"post\" novalidate action=\"/admin/kindergartens\">",
    );
    if let Some(id) = v.id {
        h.push_str(&format!(
            "<input type=\"hidden\" name=\"id\" value=\"{id}\">\
             <input type=\"hidden\" name=\"number\" value=\"{}\">",
            e.number
        ));
    } else {
        let n = if e.number > 0 {
            e.number.to_string()
        } else {
            String::new()
        };
        h.push_str(&field(
            "number",
            p(["Тізілімдегі нөмірі", "Номер в реестре", "Registry number"]),
            &n,
            "required inputmode=\"numeric\"",
        ));
    }
    let text = "required maxlength=\"200\"";
    h.push_str(&field(
        "name_kk",
        p([
            "Атауы (қазақша)",
            "Название (на казахском)",
            "Name (Kazakh)",
        ]),
        &e.name_kk,
        &format!("{text} lang=\"kk\""),
    ));
    h.push_str(&field(
        "name_ru",
        p(["Атауы (орысша)", "Название (на русском)", "Name (Russian)"]),
        &e.name_ru,
        &format!("{text} lang=\"ru\""),
    ));
    let districts: String = District::ALL
        .iter()
        .map(|d| {
            let sel = if *d == e.district { " selected" } else { "" };
            format!(
                "<option value=\"{}\"{sel}>{}</option>",
                d.code(),
                district_name(locale, *d)
            )
        })
        .collect();
    h.push_str(&format!(
        "<div class=\"field\"><label for=\"district\">{}</label>\
         <select id=\"district\" name=\"district\">{districts}</select></div>",
        p(["Ауданы", "Район", "District"])
    ));
    h.push_str(&field(
        "address_kk",
        p([
            "Мекенжайы (қазақша)",
            "Адрес (на казахском)",
            "Address (Kazakh)",
        ]),
        &e.address_kk,
        &format!("{text} lang=\"kk\""),
    ));
    h.push_str(&field(
        "address_ru",
        p([
            "Мекенжайы (орысша)",
            "Адрес (на русском)",
            "Address (Russian)",
        ]),
        &e.address_ru,
        &format!("{text} lang=\"ru\""),
    ));
    let (lat, lon) = (
        if e.lat.is_finite() {
            format!("{:.6}", e.lat)
        } else {
            String::new()
        },
        if e.lon.is_finite() {
            format!("{:.6}", e.lon)
        } else {
            String::new()
        },
    );
    h.push_str(&format!(
        "<fieldset class=\"point\"><legend>{}</legend>\
         <div id=\"point-map\" class=\"point-map\" data-tiles=\"{}\" data-attribution=\"{}\" \
         aria-label=\"{}\"></div><div class=\"point-numbers\">{}{}</div></fieldset>",
        p([
            "Картадағы нүктесі",
            "Точка на карте",
            "The point on the map"
        ]),
        esc(v.tiles.0),
        esc(v.tiles.1),
        p([
            "Нүктені жылжыту үшін картаны басыңыз",
            "Нажмите на карту, чтобы переставить точку",
            "Click the map to move the point"
        ]),
        field(
            "lat",
            p(["Ендік", "Широта", "Latitude"]),
            &lat,
            "required inputmode=\"decimal\""
        ),
        field(
            "lon",
            p(["Бойлық", "Долгота", "Longitude"]),
            &lon,
            "required inputmode=\"decimal\""
        ),
    ));
    let languages: String = GroupLanguage::ALL
        .iter()
        .map(|l| {
            let checked = if e.languages.contains(*l) { " checked" } else { "" };
            format!(
                "<div class=\"field field-check\"><input type=\"checkbox\" id=\"lang_{c}\" name=\"lang_{c}\"{checked}>\
                 <label for=\"lang_{c}\">{}</label></div>",
                language_name(locale, *l),
                c = l.code()
            )
        })
        .collect();
    h.push_str(&format!(
        "<fieldset><legend>{}</legend>{languages}</fieldset>",
        p(["Топ тілдері", "Языки групп", "Languages of groups"])
    ));
    let kinds: String = KindergartenKind::ALL
        .iter()
        .map(|k| {
            let sel = if *k == e.kind { " selected" } else { "" };
            format!(
                "<option value=\"{}\"{sel}>{}</option>",
                k.code(),
                kind_name(locale, *k)
            )
        })
        .collect();
    h.push_str(&format!(
        "<div class=\"field\"><label for=\"kind\">{}</label><select id=\"kind\" name=\"kind\">{kinds}</select></div>\
         <div class=\"field field-check\"><input type=\"checkbox\" id=\"in_queue\" name=\"in_queue\"{}>\
         <label for=\"in_queue\">{}</label></div>",
        p(["Түрі", "Тип", "Kind"]),
        if e.in_queue { " checked" } else { "" },
        p([
            "Бірыңғай кезекке қатысады",
            "Участвует в единой очереди",
            "Takes children from the unified queue"
        ]),
    ));
    let groups: String = AgeGroup::ALL
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let cohort = Cohort::in_group(*g, v.groups_day).0;
            let label = format!(
                "{} · {cohort} {}",
                age_group_name(locale, Some(*g)),
                p(["жылы туғандар", "г. р.", "born"])
            );
            field(
                &format!("capacity_{i}"),
                &label,
                &e.capacities[i].to_string(),
                "required type=\"number\" min=\"0\" max=\"1000\" inputmode=\"numeric\"",
            )
        })
        .collect();
    h.push_str(&format!(
        "<fieldset><legend>{} {}/{}</legend>{groups}</fieldset>",
        p([
            "Топтардың сыйымдылығы",
            "Вместимость групп",
            "Capacity of the groups"
        ]),
        v.groups_day.year(),
        v.groups_day.year() + 1,
    ));
    h.push_str(&field(
        "registry-reason",
        p([
            "Себебі (бұйрық, хат)",
            "Причина (приказ, письмо)",
            "Reason (order, letter)",
        ]),
        v.reason,
        "name=\"reason\" maxlength=\"200\" required autocomplete=\"off\"",
    ));
    h.push_str(&format!(
        "<button type=\"submit\">{}</button></form>",
        p(["Сақтау", "Сохранить", "Save"])
    ));
    if v.id.is_some() {
        h.push_str(&super::history::section(locale, v.history));
    }
    h.push_str(&format!(
        "<link rel=\"stylesheet\" href=\"/vendor/leaflet/leaflet.css\">\
         <script nonce=\"{n}\" src=\"/vendor/leaflet/leaflet.js\"></script>\
         <script nonce=\"{n}\" src=\"/admin-point.js\"></script>",
        n = esc(v.nonce)
    ));
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_carries_its_number_once() {
        assert_eq!(titled(187, "№ 187 «Балдырған»"), "№ 187 «Балдырған»");
        assert_eq!(titled(5, "«Айгөлек»"), "№ 5 · «Айгөлек»");
    }

    #[test]
    fn what_a_form_cannot_say_becomes_a_problem() {
        let sent: HashMap<String, String> = [
            ("number", "№ 501"),
            ("name_kk", "Айгөлек"),
            ("name_ru", "Айголек"),
            ("address_kk", "Достық, 180"),
            ("address_ru", "Достык, 180"),
            ("district", "medeu"),
            ("lat", "43,225"),
            ("lon", "east"),
            ("lang_kk", "on"),
            ("kind", "general"),
            ("capacity_0", "15"),
            ("capacity_1", "x"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let e = parse(&sent);
        assert_eq!((e.number, e.lat, e.in_queue), (501, 43.225, false));
        assert_eq!(e.capacities[..2], [15, -1]);
        assert_eq!(e.problems(), [Problem::Point, Problem::Capacity]);
    }
}
