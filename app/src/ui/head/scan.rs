//! The tablet's camera reads a referral's QR code: the frames of `getUserMedia` are drawn on a
//! canvas four times a second and their pixels decoded in the browser (`rqrr`, in a chunk of
//! the bundle of its own, loaded when the camera first gives a frame). What it reads goes to the check as if it had been typed; the
//! server checks the signature and the referral's state.
//!
//! The button appears only once the page is live and the browser has a camera interface; the
//! code can always be typed instead.

use crate::i18n::{t, Msg};
use crate::ui::common::use_locale;
use leptos::prelude::*;

/// The camera button and, while it is open, the camera's picture. `on_read` gets the text of
/// the QR code read (the camera closes then).
#[component]
pub fn Scanner(on_read: Callback<String>) -> impl IntoView {
    let locale = use_locale();
    let can = RwSignal::new(false);
    let open = RwSignal::new(false);
    let failed = RwSignal::new(false);
    let video = NodeRef::<leptos::html::Video>::new();
    #[cfg(feature = "hydrate")]
    let camera = camera::Camera::new(video, on_read, open, failed);
    #[cfg(not(feature = "hydrate"))]
    let _ = on_read;
    Effect::new(move || can.set(camera_exists()));
    let start = move |_| {
        failed.set(false);
        open.set(true);
        #[cfg(feature = "hydrate")]
        camera.start();
    };
    let stop = move |_| {
        #[cfg(feature = "hydrate")]
        camera.stop();
        open.set(false);
    };
    view! {
        <div class="scanner">
            {move || (can.get() && !open.get()).then(|| view! {
                <button type="button" class="secondary scan" data-testid="scan" on:click=start>
                    {t(locale, Msg::ScanQr)}
                </button>
            })}
            <div class="camera" hidden=move || !open.get()>
                <video node_ref=video playsinline=true muted=true aria-label=t(locale, Msg::ScanHint)></video>
                <p class="hint">{t(locale, Msg::ScanHint)}</p>
                <button type="button" class="secondary" on:click=stop>{t(locale, Msg::ScanStop)}</button>
            </div>
            {move || failed.get().then(|| view! {
                <p class="alert" role="alert" data-testid="no-camera">{t(locale, Msg::ScanNoCamera)}</p>
            })}
        </div>
    }
}

/// Whether the browser offers a camera interface (a secure page in a browser that has one).
fn camera_exists() -> bool {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.navigator().media_devices().ok())
            .is_some()
    }
    #[cfg(not(feature = "hydrate"))]
    false
}

#[cfg(feature = "hydrate")]
mod camera {
    use leptos::prelude::*;
    use std::time::Duration;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlVideoElement, MediaStream};

    #[wasm_bindgen]
    extern "C" {
        /// jsQR: the first QR code in RGBA pixels, `{ data }`, or `null`.
        #[wasm_bindgen(catch, js_name = jsQR)]
        fn js_qr(
            rgba: &JsValue,
            width: u32,
            height: u32,
            options: &JsValue,
        ) -> Result<JsValue, JsValue>;
    }

    const JSQR: &str = "/vendor/jsqr/jsQR.js";

    /// The widest frame decoded: a referral's code fills much of the picture, and a smaller
    /// frame decodes faster.
    const MOST_WIDTH: u32 = 800;

    /// The open camera: its stream and the timer reading its frames.
    #[derive(Clone, Copy)]
    pub struct Camera {
        video: NodeRef<leptos::html::Video>,
        on_read: Callback<String>,
        open: RwSignal<bool>,
        failed: RwSignal<bool>,
        stream: StoredValue<Option<MediaStream>, LocalStorage>,
        timer: StoredValue<Option<IntervalHandle>>,
    }

    /// The text of the QR code in a frame's pixels, if jsQR finds one.
    fn read_code(rgba: &JsValue, w: u32, h: u32) -> Option<String> {
        let options = js_sys::Object::new();
        // Black on white, as printed: no inverted pass (half the work per frame).
        js_sys::Reflect::set(&options, &"inversionAttempts".into(), &"dontInvert".into()).ok()?;
        let found = js_qr(rgba, w, h, &options).ok()?;
        if found.is_null() || found.is_undefined() {
            return None;
        }
        js_sys::Reflect::get(&found, &"data".into())
            .ok()?
            .as_string()
    }

    impl Camera {
        pub fn new(
            video: NodeRef<leptos::html::Video>,
            on_read: Callback<String>,
            open: RwSignal<bool>,
            failed: RwSignal<bool>,
        ) -> Camera {
            let camera = Camera {
                video,
                on_read,
                open,
                failed,
                stream: StoredValue::new_local(None),
                timer: StoredValue::new(None),
            };
            on_cleanup(move || camera.stop());
            camera
        }

        pub fn start(self) {
            leptos::task::spawn_local(async move {
                let opened = async {
                    crate::ui::vendor::load(JSQR, true).await?;
                    self.open_stream().await
                };
                match opened.await {
                    Ok(()) => self.read_frames(),
                    Err(_) => {
                        self.stop();
                        self.open.set(false);
                        self.failed.set(true);
                    }
                }
            });
        }

        async fn open_stream(self) -> Result<(), JsValue> {
            let video: HtmlVideoElement = self.video.get_untracked().ok_or(JsValue::NULL)?;
            let devices = window().navigator().media_devices()?;
            let constraints = web_sys::MediaStreamConstraints::new();
            let wanted = js_sys::Object::new();
            // The camera on the back of the tablet, where there is one.
            js_sys::Reflect::set(&wanted, &"facingMode".into(), &"environment".into())?;
            constraints.set_video(&wanted);
            constraints.set_audio_bool(false);
            let stream: MediaStream = wasm_bindgen_futures::JsFuture::from(
                devices.get_user_media_with_constraints(&constraints)?,
            )
            .await?
            .dyn_into()?;
            video.set_src_object(Some(&stream));
            let _ = video.play()?;
            self.stream.set_value(Some(stream));
            Ok(())
        }

        fn read_frames(self) {
            let Ok(canvas) = document()
                .create_element("canvas")
                .map(JsCast::unchecked_into::<HtmlCanvasElement>)
            else {
                return;
            };
            let handle = set_interval_with_handle(
                move || {
                    let text = self
                        .frame(&canvas)
                        .and_then(|(rgba, w, h)| read_code(&rgba, w, h));
                    if let Some(text) = text {
                        self.stop();
                        self.open.set(false);
                        self.on_read.run(text);
                    }
                },
                Duration::from_millis(250),
            );
            self.timer.set_value(handle.ok());
        }

        /// The video's current frame: its RGBA pixels (left in the browser's memory) and size,
        /// at most [`MOST_WIDTH`] wide.
        fn frame(self, canvas: &HtmlCanvasElement) -> Option<(JsValue, u32, u32)> {
            let video: HtmlVideoElement = self.video.get_untracked()?;
            let (vw, vh) = (video.video_width(), video.video_height());
            if vw == 0 || vh == 0 {
                return None;
            }
            let w = vw.min(MOST_WIDTH);
            let h = (u64::from(vh) * u64::from(w) / u64::from(vw)) as u32;
            canvas.set_width(w);
            canvas.set_height(h);
            // Read back every frame: the browser keeps the canvas in memory, not on the GPU.
            let options = js_sys::Object::new();
            js_sys::Reflect::set(&options, &"willReadFrequently".into(), &true.into()).ok()?;
            let ctx: CanvasRenderingContext2d = canvas
                .get_context_with_context_options("2d", &options)
                .ok()??
                .dyn_into()
                .ok()?;
            ctx.draw_image_with_html_video_element_and_dw_and_dh(
                &video,
                0.0,
                0.0,
                f64::from(w),
                f64::from(h),
            )
            .ok()?;
            let image = ctx
                .get_image_data(0.0, 0.0, f64::from(w), f64::from(h))
                .ok()?;
            let rgba = js_sys::Reflect::get(&image, &"data".into()).ok()?;
            Some((rgba, w, h))
        }

        /// Closes the camera (its light goes off) and stops reading.
        pub fn stop(self) {
            if let Some(Some(timer)) = self.timer.try_get_value() {
                timer.clear();
                self.timer.set_value(None);
            }
            if let Some(Some(stream)) = self.stream.try_get_value() {
                for track in stream.get_tracks().iter() {
                    track.unchecked_into::<web_sys::MediaStreamTrack>().stop();
                }
                self.stream.set_value(None);
            }
        }
    }
}
