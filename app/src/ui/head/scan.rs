//! The tablet's camera reads a referral's QR code: the frames of `getUserMedia` are drawn on a
//! canvas four times a second and their pixels decoded in the browser (`rqrr`, in this page's
//! own chunk of the bundle). What it reads goes to the check as if it had been typed; the
//! server checks the signature and the referral's state.
//!
//! The button appears only once the page is live and the browser has a camera interface; the
//! code can always be typed instead.

use crate::i18n::{t, Msg};
use crate::ui::common::use_locale;
use leptos::prelude::*;

/// The text of the first QR code found in a greyscale picture (`luma`, `w` × `h`, row by
/// row), if any.
#[cfg(any(feature = "hydrate", test))]
pub fn decode_luma(w: usize, h: usize, luma: &[u8]) -> Option<String> {
    if w == 0 || h == 0 || luma.len() < w * h {
        return None;
    }
    let mut picture = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| luma[y * w + x]);
    picture
        .detect_grids()
        .into_iter()
        .find_map(|grid| grid.decode().ok().map(|(_, text)| text))
}

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
    use super::decode_luma;
    use leptos::prelude::*;
    use std::time::Duration;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlVideoElement, MediaStream};

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
                match self.open_stream().await {
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
                    if let Some(text) = self.frame(&canvas) {
                        self.stop();
                        self.open.set(false);
                        self.on_read.run(text);
                    }
                },
                Duration::from_millis(250),
            );
            self.timer.set_value(handle.ok());
        }

        /// Draws the video's current frame and reads a QR code from it.
        fn frame(self, canvas: &HtmlCanvasElement) -> Option<String> {
            let video: HtmlVideoElement = self.video.get_untracked()?;
            let (vw, vh) = (video.video_width(), video.video_height());
            if vw == 0 || vh == 0 {
                return None;
            }
            let w = vw.min(MOST_WIDTH);
            let h = (u64::from(vh) * u64::from(w) / u64::from(vw)) as u32;
            canvas.set_width(w);
            canvas.set_height(h);
            let ctx: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
            ctx.draw_image_with_html_video_element_and_dw_and_dh(
                &video,
                0.0,
                0.0,
                f64::from(w),
                f64::from(h),
            )
            .ok()?;
            let rgba = ctx
                .get_image_data(0.0, 0.0, f64::from(w), f64::from(h))
                .ok()?
                .data();
            let luma: Vec<u8> = rgba
                .chunks_exact(4)
                .map(|p| {
                    ((u32::from(p[0]) * 77 + u32::from(p[1]) * 150 + u32::from(p[2]) * 29) >> 8)
                        as u8
                })
                .collect();
            decode_luma(w as usize, h as usize, &luma)
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

#[cfg(test)]
mod tests {
    use super::decode_luma;

    /// A referral's token drawn as a QR code (4 pixels a module, grey on light grey, set off
    /// in a larger picture, as a camera sees it) is read back whole.
    #[test]
    fn a_token_drawn_as_a_qr_code_reads_back() {
        let token = format!(
            "kezek1.{}.{}",
            "eyJraWQiOiJhYmMiLCJjb2RlIjoiUkVGLTIwMjYtMDAwMDEyIn0".repeat(4),
            "s".repeat(86)
        );
        let code = qrcode::QrCode::with_error_correction_level(&token, qrcode::EcLevel::M).unwrap();
        let modules = code.width();
        let colors = code.to_colors();
        let (scale, left, top) = (4, 37, 21);
        let (w, h) = (
            modules * scale + 2 * left + 10,
            modules * scale + 2 * top + 6,
        );
        let luma: Vec<u8> = (0..w * h)
            .map(|i| {
                let (x, y) = (i % w, i / w);
                let inside = x >= left
                    && y >= top
                    && x < left + modules * scale
                    && y < top + modules * scale;
                let dark = inside
                    && colors[((y - top) / scale) * modules + (x - left) / scale]
                        == qrcode::Color::Dark;
                if dark {
                    40
                } else {
                    210
                }
            })
            .collect();
        assert_eq!(decode_luma(w, h, &luma).as_deref(), Some(token.as_str()));
        // A picture without a code, or one cut short, reads nothing.
        assert_eq!(decode_luma(w, h, &vec![210; w * h]), None);
        assert_eq!(decode_luma(w, h, &luma[..w]), None);
    }
}
