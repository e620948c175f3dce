//! Files out of the page: the scenario as JSON, the canvas as SVG or PNG for slides.

use super::Ui;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// Offers `data` as a download named `file`.
pub fn download(file: &str, mime: &str, data: &str) -> Result<(), String> {
    let parts = web_sys::js_sys::Array::of1(&JsValue::from_str(data));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| "the browser could not make the file".to_string())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "the browser could not make the file".to_string())?;
    let done = save_url(file, &url);
    let _ = web_sys::Url::revoke_object_url(&url);
    done
}

fn save_url(file: &str, url: &str) -> Result<(), String> {
    let a: web_sys::HtmlAnchorElement = document()
        .create_element("a")
        .map_err(|_| "the browser could not offer the file".to_string())?
        .unchecked_into();
    a.set_href(url);
    a.set_download(file);
    a.click();
    Ok(())
}

/// A file name from a scenario name: letters, digits and dashes only.
pub fn file_name(name: &str, ext: &str) -> String {
    let mut base: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    while base.contains("--") {
        base = base.replace("--", "-");
    }
    let base = base.trim_matches('-');
    let base = if base.is_empty() { "scenario" } else { base };
    format!("{}.{ext}", base.chars().take(60).collect::<String>())
}

const PAD: f64 = 24.0;

/// The canvas as a standalone SVG: the whole design framed, with the page's styles inside.
pub fn svg_text(ui: Ui) -> Result<(String, f64, f64), String> {
    let none = || "there is no canvas to export".to_string();
    let svg = super::svg_element().ok_or_else(none)?;
    let content = svg
        .query_selector(":scope > g[transform]")
        .ok()
        .flatten()
        .ok_or_else(none)?;
    // What is drawn, without the endless background grid (hidden ones do not count).
    let grid: Option<web_sys::SvgElement> = content
        .query_selector(".grid")
        .ok()
        .flatten()
        .map(|g| g.unchecked_into());
    let hide = |on: bool| {
        if let Some(g) = &grid {
            let _ = g
                .style()
                .set_property("display", if on { "none" } else { "" });
        }
    };
    hide(true);
    let bbox = content
        .unchecked_ref::<web_sys::SvgGraphicsElement>()
        .get_b_box();
    hide(false);
    let bbox = bbox.map_err(|_| none())?;
    if bbox.width() <= 0.0 {
        return Err("the canvas is empty: nothing to export".into());
    }
    let (x, y) = (f64::from(bbox.x()), f64::from(bbox.y()));
    let (x1, y1) = (x + f64::from(bbox.width()), y + f64::from(bbox.height()));
    let (w, h) = (x1 - x + 2.0 * PAD, y1 - y + 2.0 * PAD);
    let copy: web_sys::Element = svg
        .clone_node_with_deep(true)
        .map_err(|_| none())?
        .unchecked_into();
    let set = |e: &web_sys::Element, k: &str, v: &str| {
        let _ = e.set_attribute(k, v);
    };
    set(&copy, "xmlns", "http://www.w3.org/2000/svg");
    set(&copy, "width", &format!("{w:.0}"));
    set(&copy, "height", &format!("{h:.0}"));
    set(
        &copy,
        "viewBox",
        &format!("{:.1} {:.1} {w:.1} {h:.1}", x - PAD, y - PAD),
    );
    for attr in ["style", "role", "tabindex", "data-testid"] {
        let _ = copy.remove_attribute(attr);
    }
    if let Some(g) = copy.query_selector(":scope > g[transform]").ok().flatten() {
        let _ = g.remove_attribute("transform");
    }
    if let Some(grid) = copy.query_selector(".grid").ok().flatten() {
        grid.remove();
    }
    // The page's look, so the file shows what the canvas shows; a plain background for slides.
    let svg_ns = Some("http://www.w3.org/2000/svg");
    let style = document()
        .create_element_ns(svg_ns, "style")
        .map_err(|_| none())?;
    let css = format!(
        "{}\n{}\nsvg {{ background: #fff; font-family: system-ui, sans-serif; }}",
        include_str!("../../style/main.css"),
        include_str!("../../style/simulate.css")
    );
    style.set_text_content(Some(&css));
    let _ = copy.insert_before(&style, copy.first_child().as_ref());
    let title = document()
        .create_element_ns(svg_ns, "title")
        .map_err(|_| none())?;
    title.set_text_content(Some(
        &ui.editor.with_untracked(|e| e.scenario().name.clone()),
    ));
    let _ = copy.insert_before(&title, copy.first_child().as_ref());
    let text = web_sys::XmlSerializer::new()
        .and_then(|s| s.serialize_to_string(&copy))
        .map_err(|_| none())?;
    Ok((text, w, h))
}

pub fn save_svg(ui: Ui) -> Result<(), String> {
    let (text, _, _) = svg_text(ui)?;
    let name = ui.editor.with_untracked(|e| e.scenario().name.clone());
    download(&file_name(&name, "svg"), "image/svg+xml", &text)
}

/// The canvas drawn at twice its size into a PNG, as a `data:` URL.
pub async fn png_data_url(ui: Ui) -> Result<String, String> {
    let (text, w, h) = svg_text(ui)?;
    let fail = |what: &str| format!("the PNG could not be made ({what})");
    let img = web_sys::HtmlImageElement::new().map_err(|_| fail("image"))?;
    let loaded = web_sys::js_sys::Promise::new(&mut |resolve, reject| {
        img.set_onload(Some(&resolve));
        img.set_onerror(Some(&reject));
    });
    let data = format!(
        "data:image/svg+xml;charset=utf-8,{}",
        String::from(web_sys::js_sys::encode_uri_component(&text))
    );
    img.set_src(&data);
    wasm_bindgen_futures::JsFuture::from(loaded)
        .await
        .map_err(|_| fail("the drawing did not load"))?;
    let scale = 2.0;
    let canvas: web_sys::HtmlCanvasElement = document()
        .create_element("canvas")
        .map_err(|_| fail("canvas"))?
        .unchecked_into();
    canvas.set_width((w * scale) as u32);
    canvas.set_height((h * scale) as u32);
    let ctx: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .ok_or_else(|| fail("no 2D drawing"))?
        .unchecked_into();
    ctx.set_fill_style_str("#fff");
    ctx.fill_rect(0.0, 0.0, w * scale, h * scale);
    ctx.draw_image_with_html_image_element_and_dw_and_dh(&img, 0.0, 0.0, w * scale, h * scale)
        .map_err(|_| fail("drawing"))?;
    canvas.to_data_url().map_err(|_| fail("encoding"))
}

pub async fn save_png(ui: Ui) -> Result<(), String> {
    let url = png_data_url(ui).await?;
    let name = ui.editor.with_untracked(|e| e.scenario().name.clone());
    save_url(&file_name(&name, "png"), &url)
}
