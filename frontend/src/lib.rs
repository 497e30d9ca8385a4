//! The browser entry point: hydrate the server-rendered page.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Lazy: some pages' code arrives in chunks of its own (`cargo leptos build --split`).
    leptos::mount::hydrate_lazy(app::App);
}
