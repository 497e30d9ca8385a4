//! `/open-data`: the exports kept, each dataset in CSV and JSON with its size; the export on
//! demand; the newest signed checkpoint and its key; how to check an export yourself.

use super::statistics::dotted;
use crate::api::public::{open_data_index, ExportNow};
use crate::domain::open_data::{Checkpoint, Manifest, PublishedKey};
use crate::i18n::{self, fmt_int, t, Locale, Msg};
use crate::ui::common::*;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OpenDataPage() -> impl IntoView {
    let locale = use_locale();
    let make = ServerAction::<ExportNow>::new();
    let index = Resource::new(move || make.version().get(), |_| open_data_index());
    view! {
        <Title text=t(locale, Msg::NavOpenData) />
        <section class="page open-data">
            <h1>{t(locale, Msg::NavOpenData)}</h1>
            <p class="lead">{t(locale, Msg::OpenDataIntro)}</p>
            <p>{t(locale, Msg::OpenDataPrivacy)}</p>
            <Transition fallback=move || view! { <p class="loading">{t(locale, Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    or_error(index.await, |i| {
                    let example = i
                        .exports
                        .iter()
                        .find(|m| m.name != "now")
                        .map_or("YYYY-MM-DD".to_string(), |m| m.name.clone());
                    view! {
                        <h2>{t(locale, Msg::OpenDataExports)}</h2>
                        {i.exports.is_empty().then(|| view! { <p>{t(locale, Msg::OpenDataNone)}</p> })}
                        <div class="exports">
                            {i.exports.into_iter().map(|m| view! { <Export m /> }).collect_view()}
                        </div>
                        <MakeNow make />
                        <Checkpoints checkpoint=i.checkpoint key=i.key />
                        <h2>{t(locale, Msg::OpenDataVerify)}</h2>
                        <p>{t(locale, Msg::OpenDataVerifyNote)}</p>
                        <pre class="command"><code>
                            "kezek audit replay https://…/open-data/"{example}"/ --checkpoint kept.json\n"
                            "sha256sum -c SHA256SUMS"
                        </code></pre>
                    }.into_any()})
                })}
            </Transition>
        </section>
    }
}

/// The export on demand: a button (a plain form post without JavaScript), and what came of it.
#[component]
fn MakeNow(make: ServerAction<ExportNow>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <ActionForm action=make attr:class="export-now">
            <button type="submit">{t(locale, Msg::OpenDataMakeNow)}</button>
            <span class="hint">{t(locale, Msg::OpenDataMakeNowNote)}</span>
        </ActionForm>
        {move || make.value().get().map(|r| match r {
            Ok(_) => view! { <p class="done" role="status">{t(locale, Msg::OpenDataMade)}</p> }.into_any(),
            Err(error) => view! { <ErrorBox error /> }.into_any(),
        })}
    }
}

/// A size in KB or MB, in the page's language.
fn size(locale: Locale, bytes: u64) -> String {
    let (kb, mb) = match locale {
        Locale::En => ("KB", "MB"),
        _ => ("КБ", "МБ"),
    };
    if bytes >= 1_000_000 {
        let tenths = (bytes + 50_000) / 100_000;
        let sep = if locale == Locale::En { "." } else { "," };
        format!("{}{sep}{} {mb}", tenths / 10, tenths % 10)
    } else {
        format!("{} {kb}", bytes.div_ceil(1_000))
    }
}

#[component]
fn Export(m: Manifest) -> impl IntoView {
    let locale = use_locale();
    let base = format!("/open-data/{}/", m.name);
    let title = if m.name == "now" {
        t(locale, Msg::OpenDataOnDemand).to_string()
    } else {
        format!("{} {}", t(locale, Msg::OpenDataDaily), dotted(&m.name))
    };
    let sets = [
        ("events", Msg::OpenDataFileEvents),
        ("queue", Msg::OpenDataFileQueue),
        ("seat-postings", Msg::OpenDataFileSeats),
        ("referrals", Msg::OpenDataFileReferrals),
    ];
    let link = {
        let (base, files) = (base.clone(), m.files.clone());
        move |file: String| {
            let bytes = files.iter().find(|f| f.name == file).map_or(0, |f| f.bytes);
            let format = file.rsplit('.').next().unwrap_or_default().to_uppercase();
            view! {
                <a href=format!("{base}{file}") download>
                    {format}" "<span class="size">{size(locale, bytes)}</span>
                </a>
            }
        }
    };
    view! {
        <article class="export" data-testid=format!("export-{}", m.name)>
            <h3>{title}</h3>
            <dl class="facts">
                <div><dt>{t(locale, Msg::OpenDataMadeAt)}</dt><dd>{i18n::when(m.made_at)}</dd></div>
                <div>
                    <dt>{t(locale, Msg::OpenDataHead)}</dt>
                    <dd>{t(locale, Msg::OpenDataEventNo)}" "{fmt_int(locale, m.seq)}" · "<code class="hash">{m.hash.clone()}</code></dd>
                </div>
                <div><dt>{t(locale, Msg::OpenDataOpenApps)}</dt><dd>{fmt_int(locale, m.queue as i64)}</dd></div>
            </dl>
            <ul class="datasets">
                {sets.into_iter().map(|(stem, name)| view! {
                    <li>
                        <span class="dataset">{t(locale, name)}</span>
                        <span class="formats">{link(format!("{stem}.csv"))}{link(format!("{stem}.json"))}</span>
                    </li>
                }).collect_view()}
            </ul>
            <p class="sums">
                {t(locale, Msg::OpenDataChecksums)}": "
                <a href=format!("{base}SHA256SUMS")>"SHA256SUMS"</a>" · "
                <a href=format!("{base}manifest.json")>"manifest.json"</a>" · "
                <a href=format!("{base}checkpoints.json")>"checkpoints.json"</a>
            </p>
        </article>
    }
}

#[component]
fn Checkpoints(checkpoint: Option<Checkpoint>, key: PublishedKey) -> impl IntoView {
    let locale = use_locale();
    view! {
        <h2>{t(locale, Msg::OpenDataCheckpoint)}</h2>
        <p>{t(locale, Msg::OpenDataCheckpointNote)}</p>
        {checkpoint.map(|cp| view! {
            <dl class="facts checkpoint" data-testid="checkpoint">
                <div>
                    <dt>{t(locale, Msg::OpenDataHead)}</dt>
                    <dd>{t(locale, Msg::OpenDataEventNo)}" "{fmt_int(locale, cp.seq)}" · "<code class="hash">{cp.hash}</code></dd>
                </div>
                <div><dt>{t(locale, Msg::OpenDataSignedAt)}</dt><dd>{i18n::when(cp.at)}</dd></div>
                <div><dt>{t(locale, Msg::OpenDataSignature)}</dt><dd><code class="hash">{cp.signature}</code></dd></div>
            </dl>
        })}
        <p class="sums">
            {t(locale, Msg::OpenDataKey)}" "<code>{key.kid}</code>" (Ed25519): "
            <a href="/open-data/checkpoint-key.json">"checkpoint-key.json"</a>" · "
            <a href="/open-data/checkpoints.json">{t(locale, Msg::OpenDataAllCheckpoints)}</a>
        </p>
    }
}
