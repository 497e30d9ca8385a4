//! The legacy import's report and its list of runs as HTML, in the reader's language, written
//! on the server (the department's page shows them as they come: their words cost the
//! browser's bundle nothing). Every value is escaped; rows are named by file and line,
//! children by their Kezek number, never by IIN or name.

use super::FileError;
use crate::domain::legacy::{ImportReport, RowProblem, RowRef};
use crate::i18n::{escape_html as esc, fmt_int, t, when, Locale, Msg};

/// How many rows of a list the page shows (the command line's `--report` has all).
const SHOWN: usize = 50;

/// Why a row was refused, in words.
pub fn problem(locale: Locale, p: RowProblem) -> &'static str {
    use RowProblem::*;
    let w = match p {
        ColumnCount => [
            "жолдағы өрістер саны тақырыппен сәйкес емес",
            "в строке больше или меньше полей, чем в заголовке",
        ],
        ChildIin => [
            "баланың ЖСН-і жарамсыз (ұзындығы, цифрлары немесе бақылау саны)",
            "неверный ИИН ребёнка (длина, цифры или контрольная цифра)",
        ],
        ChildName => [
            "баланың аты жоқ немесе 200 таңбадан ұзын",
            "нет имени ребёнка или оно длиннее 200 знаков",
        ],
        BirthDate => [
            "туған күні күн емес немесе ЖСН-мен сәйкес емес",
            "дата рождения не дата или не совпадает с ИИН",
        ],
        ParentIinMissing => ["ата-ананың ЖСН-і жоқ", "нет ИИН родителя"],
        ParentIin => ["ата-ананың ЖСН-і жарамсыз", "неверный ИИН родителя"],
        ChildIsParent => [
            "ата-ананың ЖСН-і баланың ЖСН-іне тең",
            "ИИН родителя совпадает с ИИН ребёнка",
        ],
        AppliedAt => [
            "өтініш күні жарамсыз: жоқ күн, туғанға дейін немесе болашақта",
            "неверная дата заявления: несуществующая, до рождения или в будущем",
        ],
        Priority => [
            "басымдық extraordinary, primary не general емес",
            "приоритет не extraordinary, primary или general",
        ],
        UnknownKindergarten => [
            "мұндай нөмірлі балабақша жоқ",
            "нет детского сада с таким номером",
        ],
        Phone1 => [
            "бірінші телефон жоқ немесе Қазақстанның ұялы нөмірі емес",
            "нет первого телефона или он не казахстанский мобильный",
        ],
        Phone2 => [
            "екінші телефон Қазақстанның ұялы нөмірі емес",
            "второй телефон не казахстанский мобильный",
        ],
        Email => [
            "электрондық пошта мекенжайы жарамсыз",
            "неверный адрес e-mail",
        ],
        District => [
            "аудан Алматының сегіз ауданының бірі емес",
            "район не из восьми районов Алматы",
        ],
        Language => ["тіл kk, ru немесе mixed емес", "язык не kk, ru или mixed"],
        NotBorn => [
            "туған күні бүгіннен кейін",
            "дата рождения позже сегодняшней",
        ],
        TooOld => ["бала алты жастан асқан", "ребёнку шесть лет или больше"],
    };
    match locale {
        Locale::Kk => w[0],
        Locale::Ru => w[1],
        Locale::En => p.english(),
    }
}

/// A file that stops the run, in words.
pub fn file_error(locale: Locale, e: &FileError) -> String {
    let (file, what) = match e {
        FileError::Unreadable { file, why } => (
            file,
            match why {
                super::csv::CsvError::NotUtf8 { line } => format!(
                    "{} {line}",
                    locale.pick([
                        "файл UTF-8 емес (файлды UTF-8 ретінде сақтаңыз), жол",
                        "файл не в UTF-8 (сохраните его как UTF-8), строка",
                        "the file is not UTF-8 (save it as UTF-8), line",
                    ])
                ),
                super::csv::CsvError::UnclosedQuote { line } => format!(
                    "{} {line}",
                    locale.pick([
                        "тырнақша жабылмаған, жол",
                        "не закрыта кавычка, строка",
                        "a quote is never closed, line",
                    ])
                ),
                super::csv::CsvError::Empty => locale
                    .pick(["файл бос", "файл пуст", "the file is empty"])
                    .into(),
            },
        ),
        FileError::Columns { file, missing } => (
            file,
            format!(
                "{} {}",
                locale.pick([
                    "тақырыпта бағандар жоқ:",
                    "в заголовке нет столбцов:",
                    "the header lacks the columns",
                ]),
                missing.join(", ")
            ),
        ),
        FileError::Twice { file } => (
            file,
            locale
                .pick([
                    "бұл файл екі рет берілді",
                    "этот файл дан дважды",
                    "the same file is given twice",
                ])
                .into(),
        ),
    };
    let nothing = locale.pick([
        "Ештеңе жүктелген жоқ.",
        "Ничего не загружено.",
        "Nothing was imported.",
    ]);
    format!(
        "<p class=\"error\" role=\"alert\" data-testid=\"import-error\">{}: {} {nothing}</p>",
        esc(file),
        esc(&what)
    )
}

fn rows(r: &ImportReport, rows: &[RowRef]) -> String {
    let mut shown: Vec<String> = rows
        .iter()
        .take(SHOWN)
        .map(|x| format!("{}:{}", esc(&r.files[x.file].name), x.line))
        .collect();
    if rows.len() > SHOWN {
        shown.push(format!("… +{}", rows.len() - SHOWN));
    }
    shown.join(", ")
}

/// A heading with the number of items, and the first [`SHOWN`] of them.
fn list(
    h: &mut String,
    (class, heading): (&str, &str),
    total: String,
    items: impl Iterator<Item = String>,
) {
    h.push_str(&format!(
        "<h3>{} ({total})</h3><ul class=\"{class}\">",
        esc(heading)
    ));
    for item in items.take(SHOWN) {
        h.push_str(&format!("<li>{item}</li>"));
    }
    h.push_str("</ul>");
}

/// The report of one run (or dry run).
pub fn report(locale: Locale, r: &ImportReport) -> String {
    let n = |v: u64| fmt_int(locale, v as i64);
    let p = |w: [&'static str; 3]| locale.pick(w);
    let mut h = String::new();
    let title = match (r.dry_run, r.import_id) {
        (true, _) => p([
            "Тексеру: ештеңе өзгерген жоқ",
            "Проверка: ничего не изменено",
            "Check: nothing was changed",
        ])
        .to_string(),
        (false, Some(id)) => format!(
            "{} {id}",
            p([
                "Жүктеу жасалды, №",
                "Загрузка выполнена, №",
                "Imported, No."
            ])
        ),
        (false, None) => p([
            "Өзгертетін ештеңе жоқ",
            "Менять нечего",
            "Nothing to change",
        ])
        .to_string(),
    };
    h.push_str(&format!(
        "<section class=\"import-report\" data-testid=\"import-report\" data-dry-run=\"{}\" \
         data-imported=\"{}\"><h2>{}</h2><dl class=\"figures\">",
        r.dry_run,
        r.imported,
        esc(&title)
    ));
    let imported = if r.dry_run {
        p([
            "Кезекке енгізіледі",
            "Будут внесены в очередь",
            "To enter the queue",
        ])
    } else {
        p([
            "Кезекке енгізілді",
            "Внесены в очередь",
            "Entered the queue",
        ])
    };
    let figures = [
        (
            p(["Оқылған жолдар", "Прочитано строк", "Rows read"]),
            n(r.rows_read),
        ),
        (
            p([
                "Файлдардағы балалар",
                "Детей в файлах",
                "Children in the files",
            ]),
            n(r.children),
        ),
        (imported, n(r.imported)),
        (
            p([
                "Біріктірілген қайталанулар",
                "Объединено повторов",
                "Duplicate rows merged",
            ]),
            n(r.duplicate_rows),
        ),
        (
            p(["Кезекте бар", "Уже в очереди", "Already in the queue"]),
            format!(
                "{} ({} {})",
                n(r.already_present),
                p([
                    "ертерек күн алғандары:",
                    "из них получили более раннюю дату:",
                    "given the earlier date:",
                ]),
                n(r.moved_earlier)
            ),
        ),
        (
            p(["Қабылданбаған жолдар", "Отклонено строк", "Rows refused"]),
            n(r.rows_refused),
        ),
    ];
    for (k, v) in figures {
        h.push_str(&format!("<dt>{}</dt><dd>{}</dd>", esc(k), esc(&v)));
    }
    h.push_str("</dl>");
    if r.already_closed > 0 {
        h.push_str(&format!(
            "<p>{} {}</p>",
            p([
                "Балабақшаға қабылданған не өтінішін қайтарған, өзгертілмейді:",
                "Уже зачислены или отозвали заявление, не меняются:",
                "Enrolled or withdrawn already, left as they are:",
            ]),
            n(r.already_closed)
        ));
    }
    if r.imported == 0 && r.moved_earlier == 0 && r.children > 0 {
        h.push_str(&format!(
            "<p class=\"notice\" data-testid=\"import-nothing-twice\">{}</p>",
            p([
                "Ешкім екі рет енгізілмейді: бұл файлдардағы балалардың бәрі кезекте бар.",
                "Никто не вносится дважды: все дети из этих файлов уже в очереди.",
                "Nothing is imported twice: every child of these files is already in the queue.",
            ])
        ));
    }
    h.push_str(&format!(
        "<h3>{}</h3><ul class=\"files\">",
        p(["Файлдар", "Файлы", "Files"])
    ));
    for f in &r.files {
        let before = f.imported_before.map_or(String::new(), |at| {
            format!(
                " <strong>{} {}</strong>",
                p(["бұрын жүктелген", "уже загружался", "imported before"]),
                esc(&when(at))
            )
        });
        h.push_str(&format!(
            "<li>{} · {} {} · SHA-256 <code>{}</code>{before}</li>",
            esc(&f.name),
            n(f.rows),
            p(["жол", "строк", "rows"]),
            esc(&f.sha256)
        ));
    }
    h.push_str("</ul>");
    if !r.refused.is_empty() {
        h.push_str(&format!(
            "<h3>{}</h3><ul class=\"refused\">",
            p(["Қабылданбаған жолдар", "Отклонённые строки", "Rows refused"])
        ));
        for x in &r.refused {
            h.push_str(&format!(
                "<li><strong>{}</strong>: {} — {}</li>",
                esc(problem(locale, x.problem)),
                n(x.rows.len() as u64),
                rows(r, &x.rows)
            ));
        }
        h.push_str("</ul>");
    }
    let new = p(["(жаңа)", "(новая)", "(new)"]);
    if !r.merged.is_empty() {
        let heading = p([
            "Бірнеше жолдан біріктірілген балалар",
            "Дети, объединённые из нескольких строк",
            "Children merged from several rows",
        ]);
        let items = r.merged.iter().map(|m| {
            let k: Vec<String> = m.kindergartens.iter().map(|k| format!("№{k}")).collect();
            let no = esc(m.public_no.as_deref().unwrap_or(new));
            format!("{no}: {} — {}", k.join(", "), rows(r, &m.rows))
        });
        list(&mut h, ("merged", heading), n(r.merged.len() as u64), items);
    }
    if !r.privileges_to_confirm.is_empty() {
        let heading = p([
            "Құжатын растау керек жеңілдіктер",
            "Льготы, документ которых нужно подтвердить",
            "Privileges whose document must be confirmed",
        ]);
        let items = r.privileges_to_confirm.iter().map(|x| {
            let class = match crate::domain::PriorityClass::from_code(&x.priority) {
                Some(crate::domain::PriorityClass::Extraordinary) => Msg::ClassExtraordinary,
                _ => Msg::ClassPrimary,
            };
            let no = esc(x.public_no.as_deref().unwrap_or(new));
            format!("{no}: {} — {}", esc(t(locale, class)), rows(r, &x.rows))
        });
        let total = n(r.privileges_to_confirm.len() as u64);
        list(&mut h, ("privileges", heading), total, items);
    }
    h.push_str("</section>");
    h
}

/// The runs that changed the queue, newest first: (number, time, who, report).
pub fn runs(locale: Locale, runs: &[(i64, i64, String, ImportReport)]) -> String {
    let p = |w: [&'static str; 3]| locale.pick(w);
    if runs.is_empty() {
        return format!(
            "<p data-testid=\"import-runs\">{}</p>",
            p([
                "Әзірге жүктеу болған жоқ.",
                "Загрузок ещё не было.",
                "No imports yet.",
            ])
        );
    }
    let mut h = String::from("<ol class=\"import-runs\" data-testid=\"import-runs\">");
    for (id, at, by, r) in runs {
        let files: Vec<String> = r.files.iter().map(|f| esc(&f.name)).collect();
        h.push_str(&format!(
            "<li><strong>№{id}</strong> · {} · {} · {}: {} · {}: {} · {}: {}<br><small>{}</small></li>",
            esc(&when(*at)),
            esc(by),
            p(["енгізілді", "внесено", "imported"]),
            fmt_int(locale, r.imported as i64),
            p(["ертерек күн", "более ранняя дата", "earlier date"]),
            fmt_int(locale, r.moved_earlier as i64),
            p(["қабылданбаған жол", "отклонено строк", "rows refused"]),
            fmt_int(locale, r.rows_refused as i64),
            files.join(", ")
        ));
    }
    h.push_str("</ol>");
    h
}

/// The department's tools: merging the former queues. `shown` is what to show
/// above the list of runs: a check's result (with the form that imports exactly its files), a
/// run's report, or nothing.
pub fn page(
    locale: Locale,
    shown: Shown,
    runs_list: &[(i64, i64, String, ImportReport)],
) -> String {
    let p = |w: [&'static str; 3]| locale.pick(w);
    let mut h = format!(
        "<h2>{}</h2><p class=\"hint\">{}</p><p class=\"hint\"><code>{}</code></p>\
         <form class=\"import-form\" method=\"post\" action=\"/admin/import\" \
         enctype=\"multipart/form-data\" data-testid=\"import-form\">\
         <label for=\"import-files\">{}</label>\
         <input id=\"import-files\" type=\"file\" name=\"files\" multiple required accept=\".csv,text/csv\">\
         <div class=\"actions\"><button type=\"submit\" name=\"action\" value=\"check\" \
         class=\"secondary\">{}</button></div></form>",
        p([
            "Балабақшалардың бұрынғы кезектерін біріктіру",
            "Объединение прежних очередей детских садов",
            "Merging the kindergartens' former queues",
        ]),
        p([
            "CSV файлдары (UTF-8, үтір не нүктелі үтір). Алдымен тексеріңіз: ештеңе өзгермейді, \
             есеп не болатынын айтады. Содан кейін дәл сол файлдарды жүктеңіз: бәрі бірге, не ештеңе.",
            "Файлы CSV (UTF-8, запятая или точка с запятой). Сначала проверьте: ничего не \
             изменится, отчёт скажет, что будет. Затем загрузите именно эти файлы: всё сразу или ничего.",
            "CSV files (UTF-8, comma or semicolon). Check first: nothing changes, the report says \
             what would happen. Then import exactly those files: all at once or nothing.",
        ]),
        super::rows::COLUMNS.join(", "),
        p(["Файлдар", "Файлы", "Files"]),
        p(["Тексеру", "Проверить", "Check"]),
    );
    h.push_str("<div class=\"import-answer\" aria-live=\"polite\">");
    match shown {
        Shown::Nothing => {}
        Shown::Check(token, Some(Ok(r)), no_reason) => {
            h.push_str(&report(locale, &r));
            if r.imported + r.moved_earlier > 0 {
                if no_reason {
                    h.push_str(&crate::admin::outcome(
                        false,
                        p([
                            "Себебін жазыңыз (200 таңбаға дейін): ештеңе жүктелген жоқ.",
                            "Укажите причину (до 200 знаков): ничего не загружено.",
                            "Give the reason (up to 200 characters): nothing was imported.",
                        ]),
                        "import-no-reason",
                    ));
                }
                h.push_str(&format!(
                    "<form class=\"import-confirm admin-form\" method=\"post\" action=\"/admin/import\" \
                     enctype=\"multipart/form-data\" novalidate><input type=\"hidden\" name=\"check\" \
                     value=\"{}\">{}<button type=\"submit\" name=\"action\" value=\"import\" \
                     class=\"primary\" data-testid=\"import-confirm\">{}</button></form>",
                    esc(&token),
                    crate::admin::field(
                        "import-reason",
                        p(["Себебі (бұйрық, хат)", "Причина (приказ, письмо)", "Reason (order, letter)"]),
                        "",
                        "name=\"reason\" maxlength=\"200\" required autocomplete=\"off\""
                    ),
                    p(["Осы файлдарды жүктеу", "Загрузить эти файлы", "Import these files"])
                ));
            }
        }
        Shown::Check(_, Some(Err(e)), _) => h.push_str(&file_error(locale, &e)),
        Shown::Check(_, None, _) => h.push_str(&format!(
            "<p class=\"error\" role=\"alert\" data-testid=\"import-gone\">{}</p>",
            p([
                "Бұл тексеру сақталмаған (жүктеліп қойған не бір күннен асқан): файлдарды қайта тексеріңіз.",
                "Эта проверка не сохранилась (уже загружена или старше суток): проверьте файлы снова.",
                "This check is no longer kept (imported already, or a day old): check the files again.",
            ])
        )),
        Shown::Run(id) => match runs_list.iter().find(|r| r.0 == id) {
            Some((_, _, _, r)) => h.push_str(&report(locale, r)),
            None => h.push_str(&format!(
                "<p class=\"notice\" data-testid=\"import-nothing-twice\">{}</p>",
                p([
                    "Ештеңе өзгерген жоқ: бұл файлдардағы балалардың бәрі кезекте бар.",
                    "Ничего не изменилось: все дети из этих файлов уже в очереди.",
                    "Nothing changed: every child of these files is already in the queue.",
                ])
            )),
        },
    }
    h.push_str("</div>");
    h.push_str(&format!(
        "<h2>{}</h2>{}",
        p(["Бұрынғы жүктеулер", "Прошлые загрузки", "Earlier imports"]),
        runs(locale, runs_list)
    ));
    h
}

/// What the department's page shows above the runs (one per page written: its size is no
/// matter).
#[allow(clippy::large_enum_variant)]
pub enum Shown {
    Nothing,
    /// A check by its token, its result if it is kept, and whether an import of it was just
    /// refused for want of a reason.
    Check(String, Option<Result<ImportReport, FileError>>, bool),
    /// A run by its number (0: it changed nothing).
    Run(i64),
}
