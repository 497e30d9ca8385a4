//! A kindergarten's history on its registry page: each `kindergarten.created` and
//! `kindergarten.changed` of the public log in words (the fields' names, yes or no, districts,
//! kinds, languages), when, by whom, why.

use crate::domain::{District, GroupLanguage, KindergartenKind};
use crate::i18n::{escape_html as esc, when, Locale};
use crate::ui::common::{district_name, kind_name, language_name};
use serde_json::Value;

/// The kindergarten's history: each change, when, by whom, why, and what it changed.
pub fn section(locale: Locale, log: &[(i64, String, Value)]) -> String {
    let p = |w: [&'static str; 3]| locale.pick(w);
    let mut h = format!(
        "<h2 id=\"history\">{}</h2><ul class=\"changes\" data-testid=\"history\">",
        p(["Өзгерістер тарихы", "История изменений", "History"])
    );
    for (at, kind, body) in log {
        let what = if kind == "kindergarten.created" {
            p([
                "Тізілімге енгізілді",
                "Внесён в реестр",
                "Entered in the registry",
            ])
            .to_string()
        } else {
            body["changes"]
                .as_object()
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| {
                            format!(
                                "{}: {} → {}",
                                label(locale, k),
                                show(locale, &v[0]),
                                show(locale, &v[1])
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("; ")
                })
                .unwrap_or_default()
        };
        let changed: Vec<&str> = body["changes"]
            .as_object()
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let reason = body["reason"].as_str().unwrap_or("");
        h.push_str(&format!(
            "<li data-changed=\"{}\"><p class=\"when\">{} · {}</p><p>{}</p>\
             <p class=\"hint\">{}: {}</p></li>",
            esc(&changed.join(" ")),
            esc(&when(*at)),
            esc(body["by"].as_str().unwrap_or("")),
            esc(&what),
            p(["Себебі", "Причина", "Reason"]),
            esc(reason)
        ));
    }
    h.push_str("</ul>");
    h
}

/// A field of the log's history in words.
fn label(locale: Locale, key: &str) -> String {
    let w: [&str; 3] = match key {
        "name_kk" => [
            "Атауы (қазақша)",
            "Название (на казахском)",
            "Name (Kazakh)",
        ],
        "name_ru" => ["Атауы (орысша)", "Название (на русском)", "Name (Russian)"],
        "district" => ["Ауданы", "Район", "District"],
        "address_kk" => [
            "Мекенжайы (қазақша)",
            "Адрес (на казахском)",
            "Address (Kazakh)",
        ],
        "address_ru" => [
            "Мекенжайы (орысша)",
            "Адрес (на русском)",
            "Address (Russian)",
        ],
        "lat" => ["Ендік", "Широта", "Latitude"],
        "lon" => ["Бойлық", "Долгота", "Longitude"],
        "languages" => ["Топ тілдері", "Языки групп", "Languages of groups"],
        "kind" => ["Түрі", "Тип", "Kind"],
        "in_queue" => [
            "Бірыңғай кезекте",
            "В единой очереди",
            "In the unified queue",
        ],
        other => match other.strip_prefix("capacity_") {
            Some(year) => {
                return format!(
                    "{} ({year} {})",
                    locale.pick(["Сыйымдылық", "Вместимость", "Capacity"]),
                    locale.pick(["жылы туғандар", "г. р.", "born"])
                )
            }
            None => return other.to_string(),
        },
    };
    locale.pick(w).to_string()
}

/// A value of the log as people read it: yes or no, a district's, a kind's or languages' names,
/// text without quotes.
fn show(locale: Locale, v: &Value) -> String {
    match v {
        Value::Bool(b) => locale
            .pick(if *b {
                ["иә", "да", "yes"]
            } else {
                ["жоқ", "нет", "no"]
            })
            .to_string(),
        Value::String(s) => match (District::from_code(s), KindergartenKind::from_code(s)) {
            (Some(d), _) => district_name(locale, d).to_string(),
            (_, Some(k)) => kind_name(locale, k).to_string(),
            _ => s.clone(),
        },
        Value::Array(list) => list
            .iter()
            .map(|l| {
                l.as_str()
                    .and_then(GroupLanguage::from_code)
                    .map_or_else(|| l.to_string(), |l| language_name(locale, l).to_string())
            })
            .collect::<Vec<_>>()
            .join(", "),
        Value::Null => "—".into(),
        other => other.to_string(),
    }
}
