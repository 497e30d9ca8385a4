//! Leaflet driven from Rust, in the browser only. Leaflet and Leaflet.markercluster come from
//! npm and are served from the site's `/vendor` (copied at build time); they are loaded the
//! first time a page shows a map, never on other pages.
//!
//! Markers sit in two cluster groups, kindergartens with a free seat and those without, so a
//! cluster's colour and number say how many places with seats it holds. A marker is changed
//! in place when its seats change (an open popup stays open).
//!
//! The kindergarten picked in the list is taken out of its cluster and put on the map itself,
//! ringed, with its popup open: live seat counts re-cluster the groups at any time, and a
//! marker inside a cluster (or one Leaflet was still zooming to) would lose its popup.

use super::Pin;
use crate::ui::vendor::load;
use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    type LMap;
    #[derive(Clone)]
    type Layer;
    type Group;
    type Cluster;

    #[wasm_bindgen(js_namespace = L, js_name = map)]
    fn new_map(el: &web_sys::HtmlElement, options: &JsValue) -> LMap;
    #[wasm_bindgen(method, js_name = fitBounds)]
    fn fit_bounds(this: &LMap, bounds: &JsValue, options: &JsValue);
    #[wasm_bindgen(method)]
    fn remove(this: &LMap);
    #[wasm_bindgen(method, js_name = addLayer)]
    fn add_layer(this: &LMap, layer: &JsValue);
    #[wasm_bindgen(method, js_name = removeLayer)]
    fn remove_layer(this: &LMap, layer: &JsValue);
    #[wasm_bindgen(method, js_name = setView)]
    fn set_view(this: &LMap, center: &JsValue, zoom: f64, options: &JsValue);
    #[wasm_bindgen(method, js_name = getZoom)]
    fn get_zoom(this: &LMap) -> f64;

    #[wasm_bindgen(js_namespace = L, js_name = tileLayer)]
    fn tile_layer(url: &str, options: &JsValue) -> Layer;
    #[wasm_bindgen(js_namespace = L, js_name = marker)]
    fn marker(lat_lng: &JsValue, options: &JsValue) -> Layer;
    #[wasm_bindgen(js_namespace = L, js_name = divIcon)]
    fn div_icon(options: &JsValue) -> JsValue;
    #[wasm_bindgen(method, js_name = bindPopup)]
    fn bind_popup(this: &Layer, html: &str);
    #[wasm_bindgen(method, js_name = setPopupContent)]
    fn set_popup_content(this: &Layer, html: &str);
    #[wasm_bindgen(method, js_name = setIcon)]
    fn set_icon(this: &Layer, icon: &JsValue);

    #[wasm_bindgen(js_namespace = L, js_name = markerClusterGroup)]
    fn cluster_group(options: &JsValue) -> Group;
    #[wasm_bindgen(method, js_name = addLayer)]
    fn add(this: &Group, layer: &Layer);
    #[wasm_bindgen(method, js_name = removeLayer)]
    fn take_out(this: &Group, layer: &Layer);
    #[wasm_bindgen(method, js_name = openPopup)]
    fn open_popup(this: &Layer);
    #[wasm_bindgen(method, js_name = getChildCount)]
    fn child_count(this: &Cluster) -> u32;
}

/// A JavaScript object from `(key, value)` pairs.
fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        let _ = js_sys::Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o.into()
}

fn pair(a: f64, b: f64) -> JsValue {
    js_sys::Array::of2(&a.into(), &b.into()).into()
}

/// Leaflet and the cluster plugin with their style sheets.
async fn load_leaflet() -> Result<(), JsValue> {
    load("/vendor/leaflet/leaflet.css", false).await?;
    load("/vendor/leaflet.markercluster/MarkerCluster.css", false).await?;
    load("/vendor/leaflet/leaflet.js", true).await?;
    load(
        "/vendor/leaflet.markercluster/leaflet.markercluster.js",
        true,
    )
    .await
}

/// One map on the page.
pub struct SeatMap {
    map: LMap,
    free: Group,
    full: Group,
    markers: HashMap<i64, (Layer, Pin)>,
    fitted: bool,
    /// The kindergarten picked in the list: its marker (when it has one) is on the map itself,
    /// out of the clusters; one not on the map yet is shown when its marker arrives.
    selected: Option<i64>,
    // Kept alive as long as the map: the clusters' icon makers.
    _icons: [Closure<dyn Fn(JsValue) -> JsValue>; 2],
}

/// The icon of a cluster: how many kindergartens it holds (those without seats smaller).
fn cluster_icon(class: &'static str, size: f64) -> Closure<dyn Fn(JsValue) -> JsValue> {
    Closure::new(move |cluster: JsValue| {
        let n = cluster.unchecked_ref::<Cluster>().child_count();
        div_icon(&obj(&[
            ("html", format!("<span>{n}</span>").into()),
            ("className", format!("kg-cluster {class}").into()),
            ("iconSize", pair(size, size)),
        ]))
    })
}

fn pin_icon(pin: &Pin, selected: bool) -> JsValue {
    let (class, html, size) = if pin.free > 0 {
        ("kg-pin free", format!("<span>{}</span>", pin.free), 30.0)
    } else {
        ("kg-pin full", String::new(), 16.0)
    };
    let (class, size) = if selected {
        (format!("{class} selected"), 36.0)
    } else {
        (class.to_string(), size)
    };
    div_icon(&obj(&[
        ("html", html.into()),
        ("className", class.into()),
        ("iconSize", pair(size, size)),
    ]))
}

impl SeatMap {
    /// Loads Leaflet if the page has not yet, and starts a map in `el` on Almaty.
    pub async fn start(
        el: web_sys::HtmlElement,
        tiles: &str,
        attribution: &str,
    ) -> Result<SeatMap, JsValue> {
        load_leaflet().await?;
        let map = new_map(
            &el,
            &obj(&[
                ("center", pair(43.238, 76.89)),
                ("zoom", 11.into()),
                ("minZoom", 9.into()),
                ("maxZoom", 18.into()),
            ]),
        );
        if !tiles.is_empty() {
            let layer = tile_layer(
                tiles,
                &obj(&[("attribution", attribution.into()), ("maxZoom", 19.into())]),
            );
            map.add_layer(&layer);
        }
        let icons = [cluster_icon("free", 40.0), cluster_icon("full", 30.0)];
        let group = |icon: &Closure<dyn Fn(JsValue) -> JsValue>| {
            let g = cluster_group(&obj(&[
                ("iconCreateFunction", icon.as_ref().clone()),
                ("showCoverageOnHover", false.into()),
                ("maxClusterRadius", 50.into()),
                // Clusters split and merge at once, not faded: the map's view is set without
                // animation (see `show`), and a half-faded count is hard to read.
                ("animate", false.into()),
            ]));
            map.add_layer(&g);
            g
        };
        let (full, free) = (group(&icons[1]), group(&icons[0]));
        Ok(SeatMap {
            map,
            free,
            full,
            markers: HashMap::new(),
            fitted: false,
            selected: None,
            _icons: icons,
        })
    }

    /// Shows exactly `pins`: new ones added, changed ones changed in place, the rest removed.
    /// The first time, the map is fitted to them.
    pub fn show(&mut self, pins: &[Pin]) {
        let mut keep = std::collections::HashSet::with_capacity(pins.len());
        let mut arrived = false;
        for pin in pins {
            keep.insert(pin.id);
            let selected = self.selected == Some(pin.id);
            match self.markers.remove(&pin.id) {
                Some((layer, old)) if old == *pin => {
                    self.markers.insert(pin.id, (layer, old));
                }
                Some((layer, old)) => {
                    let moves = !selected && (old.free > 0) != (pin.free > 0);
                    if moves {
                        self.group(old.free).take_out(&layer);
                    }
                    layer.set_icon(&pin_icon(pin, selected));
                    layer.set_popup_content(&pin.popup);
                    if moves {
                        self.group(pin.free).add(&layer);
                    }
                    self.markers.insert(pin.id, (layer, pin.clone()));
                }
                None => {
                    let layer = marker(
                        &pair(pin.lat, pin.lon),
                        &obj(&[
                            ("icon", pin_icon(pin, selected)),
                            ("title", pin.title.as_str().into()),
                            ("alt", pin.title.as_str().into()),
                            ("keyboard", true.into()),
                        ]),
                    );
                    layer.bind_popup(&pin.popup);
                    if selected {
                        arrived = true;
                    } else {
                        self.group(pin.free).add(&layer);
                    }
                    self.markers.insert(pin.id, (layer, pin.clone()));
                }
            }
        }
        let gone: Vec<i64> = self
            .markers
            .keys()
            .filter(|id| !keep.contains(id))
            .copied()
            .collect();
        for id in gone {
            if let Some((layer, old)) = self.markers.remove(&id) {
                if self.selected == Some(id) {
                    self.map.remove_layer(&layer);
                } else {
                    self.group(old.free).take_out(&layer);
                }
            }
        }
        if !self.fitted && !pins.is_empty() {
            self.fitted = true;
            let bounds = js_sys::Array::new();
            for p in pins {
                bounds.push(&pair(p.lat, p.lon));
            }
            // Not animated: a zoom still running when a picked marker is brought into view
            // would end by moving the map back to these bounds.
            self.map.fit_bounds(
                &bounds,
                &obj(&[
                    ("padding", pair(20.0, 20.0)),
                    ("maxZoom", 15.into()),
                    ("animate", false.into()),
                ]),
            );
        }
        if arrived {
            self.open_selected();
        }
    }

    /// Picks a kindergarten: its marker leaves its cluster for the map itself, ringed, centred,
    /// with its popup open; the one picked before goes back to its cluster. A kindergarten not
    /// on the map yet (Leaflet started after the tap, or its seats are still on the way) is
    /// shown so when its marker arrives.
    pub fn reveal(&mut self, id: i64) {
        if self.selected == Some(id) {
            self.open_selected();
            return;
        }
        if let Some(old) = self.selected.take() {
            if let Some((layer, pin)) = self.markers.get(&old) {
                self.map.remove_layer(layer);
                layer.set_icon(&pin_icon(pin, false));
                self.group(pin.free).add(layer);
            }
        }
        self.selected = Some(id);
        if let Some((layer, pin)) = self.markers.get(&id) {
            self.group(pin.free).take_out(layer);
            layer.set_icon(&pin_icon(pin, true));
        }
        self.open_selected();
    }

    /// The picked marker on the map, in view, with its popup open (if it has arrived).
    fn open_selected(&self) {
        let Some((layer, pin)) = self.selected.and_then(|id| self.markers.get(&id)) else {
            return;
        };
        self.map.add_layer(layer);
        let zoom = self.map.get_zoom().max(14.0);
        self.map.set_view(
            &pair(pin.lat, pin.lon),
            zoom,
            &obj(&[("animate", false.into())]),
        );
        layer.open_popup();
    }

    fn group(&self, free: i64) -> &Group {
        if free > 0 {
            &self.free
        } else {
            &self.full
        }
    }
}

impl Drop for SeatMap {
    fn drop(&mut self) {
        self.map.remove();
    }
}
