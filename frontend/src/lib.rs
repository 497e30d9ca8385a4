//! The browser entry point: hydrate the server-rendered page.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // A panic is said in the console with its message and where it happened (the JavaScript
    // stack that console_error_panic_hook adds is wasm offsets, and its code cost the main
    // bundle a share of issue 9's 250 KB).
    std::panic::set_hook(Box::new(|info| leptos::logging::error!("{info}")));
    // Lazy: some pages' code arrives in chunks of its own (`cargo leptos build --split`).
    leptos::mount::hydrate_lazy(app::App);
}
