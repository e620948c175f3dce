//! The icons of each kind of component, drawn once as SVG symbols in the canvas's `<defs>` and
//! used by the canvas, the palette and the inspector (`<use href="#i-host">`). 24 x 24, one
//! stroke colour (`currentColor`), so they follow the theme.

use leptos::prelude::*;

/// (symbol id, SVG body).
const SYMBOLS: &[(&str, &str)] = &[
    (
        "i-host",
        r#"<rect x="3" y="3" width="18" height="7" rx="1.5"/><rect x="3" y="14" width="18" height="7" rx="1.5"/><path d="M10 6.5h7M10 17.5h7"/><circle cx="6.5" cy="6.5" r=".8"/><circle cx="6.5" cy="17.5" r=".8"/>"#,
    ),
    (
        "i-vm",
        r#"<rect x="3" y="4" width="18" height="13" rx="2"/><path d="M9 21h6M12 17v4"/><rect x="7" y="7.5" width="10" height="6" rx="1" stroke-dasharray="2 1.6"/>"#,
    ),
    (
        "i-switch-external",
        r#"<rect x="2" y="10" width="20" height="8" rx="2"/><path d="M6 14h1M10 14h1M14 14h1"/><path d="M12 10V3M9 5.5 12 2.5l3 3"/>"#,
    ),
    (
        "i-switch-internal",
        r#"<rect x="2" y="6" width="20" height="8" rx="2"/><path d="M6 10h1M10 10h1M14 10h1"/><path d="M12 14v7M9 18.5l3 3 3-3"/>"#,
    ),
    (
        "i-switch-private",
        r#"<rect x="2" y="6" width="20" height="8" rx="2"/><path d="M6 10h1M10 10h1"/><rect x="14" y="16" width="7" height="6" rx="1"/><path d="M15.5 16v-1.5a2 2 0 0 1 4 0V16"/>"#,
    ),
    (
        "i-storage-local",
        r#"<rect x="3" y="6" width="18" height="12" rx="2"/><circle cx="15.5" cy="12" r="3"/><circle cx="15.5" cy="12" r=".6"/><path d="M6 9h3"/>"#,
    ),
    (
        "i-storage-san",
        r#"<ellipse cx="12" cy="5.5" rx="8" ry="2.8"/><path d="M4 5.5v13c0 1.5 3.6 2.8 8 2.8s8-1.3 8-2.8v-13"/><path d="M4 12c0 1.5 3.6 2.8 8 2.8s8-1.3 8-2.8"/>"#,
    ),
    (
        "i-storage-smb",
        r#"<path d="M3 7a2 2 0 0 1 2-2h4.5l2 2H19a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z"/><circle cx="9" cy="14" r="1.6"/><circle cx="15" cy="14" r="1.6"/><path d="M10.6 14h2.8"/>"#,
    ),
    (
        "i-storage-csv",
        r#"<ellipse cx="12" cy="9" rx="7" ry="2.5"/><path d="M5 9v9c0 1.4 3.1 2.5 7 2.5s7-1.1 7-2.5V9"/><path d="M6 3.5l2 2.5M12 2v3.5M18 3.5l-2 2.5"/>"#,
    ),
    (
        "i-witness",
        r#"<path d="M4 13h16v8H4z"/><path d="M7 13V3h10v10"/><path d="m9.5 8 1.8 1.8L15 6"/>"#,
    ),
    (
        "i-clients",
        r#"<circle cx="9" cy="8" r="3.2"/><path d="M3 20.5c0-3.4 2.7-6 6-6s6 2.6 6 6"/><circle cx="17.5" cy="9" r="2.4"/><path d="M16.5 14.3c2.6.4 4.5 2.7 4.5 5.5"/>"#,
    ),
    (
        "i-site",
        r#"<path d="M4 21V7l8-4 8 4v14"/><path d="M2 21h20M9.5 21v-5h5v5"/><path d="M8 10h1M12 10h1M16 10h-1M8 13h1M16 13h-1"/>"#,
    ),
    (
        "i-cloud",
        r#"<path d="M7 19h10.5a4.5 4.5 0 0 0 .6-8.96A6 6 0 0 0 6.4 9.2 5 5 0 0 0 7 19z"/>"#,
    ),
    (
        "i-cluster",
        r#"<circle cx="6" cy="6" r="2.6"/><circle cx="18" cy="6" r="2.6"/><circle cx="12" cy="18" r="2.6"/><path d="M8.6 6h6.8M7.3 8.3l3.4 7.4M16.7 8.3l-3.4 7.4"/>"#,
    ),
    (
        "i-nlb",
        r#"<circle cx="12" cy="4.5" r="2.3"/><path d="M12 6.8V11M12 11 5 17M12 11l7 6M12 11v6"/><circle cx="5" cy="19" r="2"/><circle cx="12" cy="19" r="2"/><circle cx="19" cy="19" r="2"/>"#,
    ),
    (
        "i-link",
        r#"<path d="M5 12h14"/><rect x="1.5" y="9" width="5" height="6" rx="1"/><rect x="17.5" y="9" width="5" height="6" rx="1"/>"#,
    ),
    (
        "i-settings",
        r#"<path d="M4 6h9M17 6h3M4 12h3M11 12h9M4 18h11M19 18h1"/><circle cx="15" cy="6" r="2"/><circle cx="9" cy="12" r="2"/><circle cx="17" cy="18" r="2"/>"#,
    ),
];

/// The symbols, for the canvas's `<defs>`.
pub fn symbols() -> String {
    SYMBOLS
        .iter()
        .map(|(id, body)| {
            format!(
                r#"<symbol id="{id}" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="1.7" stroke-linecap="round" stroke-linejoin="round">{body}</symbol>"#
            )
        })
        .collect()
}

/// An icon as an inline `<svg>` for HTML (palette, inspector, legends).
#[component]
pub fn Icon(name: &'static str) -> impl IntoView {
    view! { <svg class="icon" aria-hidden="true"><use href=format!("#i-{name}")/></svg> }
}
