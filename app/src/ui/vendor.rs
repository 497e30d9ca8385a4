//! Libraries from npm that some pages use, served from the site's `/vendor` (copied there at
//! build time by `scripts/site.sh`) and loaded by the page the first time it needs them: Leaflet
//! for the maps, jsQR for the head's camera. In the browser only.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Adds `<script src>` (awaiting it) or `<link rel=stylesheet>` once.
pub async fn load(url: &str, script: bool) -> Result<(), JsValue> {
    let doc = leptos::prelude::document();
    let id = format!("vendor-{}", url.replace(['/', '.'], "-"));
    if doc.get_element_by_id(&id).is_some() {
        return Ok(());
    }
    let head = doc.head().ok_or("no head")?;
    if !script {
        let link: web_sys::HtmlLinkElement = doc.create_element("link")?.dyn_into()?;
        link.set_id(&id);
        link.set_rel("stylesheet");
        link.set_href(url);
        head.append_child(&link)?;
        return Ok(());
    }
    let el: web_sys::HtmlScriptElement = doc.create_element("script")?.dyn_into()?;
    el.set_id(&id);
    el.set_src(url);
    let loaded = js_sys::Promise::new(&mut |resolve, reject| {
        el.set_onload(Some(&resolve));
        el.set_onerror(Some(&reject));
    });
    head.append_child(&el)?;
    wasm_bindgen_futures::JsFuture::from(loaded)
        .await
        .map(|_| ())
}
