//! Charts drawn on the server as SVG (no chart library in the bundle), each with its table: the
//! picture for the eye, the table for screen readers, JavaScript off, and copying figures.

use crate::i18n::{fmt_int, t, Msg};
use crate::ui::common::use_locale;
use leptos::prelude::*;

/// One bar: its label as shown, and its value.
pub type Bar = (String, i64);

const WIDE: f64 = 400.0;

/// Horizontal bars, one per category (a birth year, a district): label, bar, value.
#[component]
pub fn BarChart(id: &'static str, title: Msg, label: Msg, bars: Vec<Bar>) -> impl IntoView {
    let locale = use_locale();
    let most = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1) as f64;
    let row = 26.0;
    let height = row * bars.len().max(1) as f64 + 4.0;
    let (left, room) = (165.0, WIDE - 165.0 - 70.0);
    let drawn = bars
        .iter()
        .enumerate()
        .map(|(i, (name, v))| {
            let y = 2.0 + row * i as f64;
            let w = (*v as f64 / most * room).max(if *v > 0 { 2.0 } else { 0.0 });
            view! {
                <g>
                    <text x=left - 8.0 y=y + 17.0 text-anchor="end" class="label">{name.clone()}</text>
                    <rect x=left y=y + 4.0 width=w height=row - 8.0 rx="3" class="bar"></rect>
                    <text x=left + w + 6.0 y=y + 17.0 class="value">{fmt_int(locale, *v)}</text>
                </g>
            }
        })
        .collect_view();
    let drawn = drawn.into_any();
    view! { <Figure id title label height bars drawn /> }
}

/// Columns over time (days or weeks, oldest first), the first, middle and last labelled.
#[component]
pub fn TimeChart(id: &'static str, title: Msg, label: Msg, bars: Vec<Bar>) -> impl IntoView {
    let locale = use_locale();
    let most = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1) as f64;
    let (height, base, top) = (170.0, 140.0, 18.0);
    let n = bars.len().max(1) as f64;
    let step = (WIDE - 40.0) / n;
    let labelled = [0, bars.len() / 2, bars.len().saturating_sub(1)];
    let drawn = bars
        .iter()
        .enumerate()
        .map(|(i, (name, v))| {
            let x = 20.0 + step * i as f64;
            let h = *v as f64 / most * (base - top);
            // The first label starts at its column, the last ends at its column, so neither is
            // cut at the edge.
            let (at, anchor) = match i {
                0 => (x, "start"),
                i if i + 1 == bars.len() => (x + step, "end"),
                _ => (x + step / 2.0, "middle"),
            };
            let tick = labelled.contains(&i).then(|| {
                view! { <text x=at y=base + 18.0 text-anchor=anchor class="label">{name.clone()}</text> }
            });
            view! {
                <g>
                    <rect x=x + 1.0 y=base - h width=(step - 2.0).max(1.0) height=h class="bar"></rect>
                    {tick}
                </g>
            }
        })
        .collect_view();
    let drawn = view! {
        <line x1="20" y1=base x2=WIDE - 20.0 y2=base class="axis"></line>
        <text x="20" y="12" class="value">{format!("max {}", fmt_int(locale, most as i64))}</text>
        {drawn}
    }
    .into_any();
    view! { <Figure id title label height bars drawn /> }
}

/// A chart: its caption, the picture (`drawn`, `height` units high) and its table.
#[component]
fn Figure(
    id: &'static str,
    title: Msg,
    label: Msg,
    height: f64,
    bars: Vec<Bar>,
    drawn: AnyView,
) -> impl IntoView {
    let locale = use_locale();
    view! {
        <figure class="chart" id=id>
            <figcaption>{t(locale, title)}</figcaption>
            <svg viewBox=format!("0 0 {WIDE} {height}") role="img" aria-label=t(locale, title)
                preserveAspectRatio="xMinYMin meet">
                {drawn}
            </svg>
            <Table label bars />
        </figure>
    }
    .into_any()
}

/// The chart's figures as a table, behind a disclosure.
#[component]
fn Table(label: Msg, bars: Vec<Bar>) -> impl IntoView {
    let locale = use_locale();
    view! {
        <details class="chart-table">
            <summary>{t(locale, Msg::ShowTable)}</summary>
            <table>
                <thead>
                    <tr>
                        <th scope="col">{t(locale, label)}</th>
                        <th scope="col" class="num">{t(locale, Msg::ColCount)}</th>
                    </tr>
                </thead>
                <tbody>
                    {bars
                        .into_iter()
                        .map(|(name, v)| view! {
                            <tr>
                                <th scope="row">{name}</th>
                                <td class="num">{fmt_int(locale, v)}</td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
        </details>
    }
    .into_any()
}
