//! The web app (`web/`, built into `assets/web/`) compiled into the binary and served at
//! `/`: files by path, and `index.html` for any other page path so the SPA's own router
//! handles deep links. Hashed build assets are cached for a year; everything else is
//! revalidated by its ETag on each use, so a new release shows at the next load.

use actix_web::http::header::{self, CacheControl, CacheDirective, EntityTag, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, http::Method};
use rust_embed::Embed;

use crate::error::{AppError, Code};

#[derive(Embed)]
#[folder = "assets/web/"]
struct Bundle;

/// Paths the service answers itself: never the SPA, a JSON 404 when nothing matched.
const SERVICE_PREFIXES: &[&str] = &["/api/", "/health", "/ready", "/metrics", "/.well-known/"];

/// The default service: a bundle file, the SPA's page, or the API's 404 or 405 problem.
pub async fn serve(req: HttpRequest) -> Result<HttpResponse, AppError> {
    let path = req.path();
    if SERVICE_PREFIXES
        .iter()
        .any(|p| path.starts_with(p) || path == p.trim_end_matches('/'))
    {
        // The route for this method would have matched had it existed: a path the route
        // table knows was asked with a method it does not take.
        if let Some(allow) =
            crate::openapi::methods_at(path).filter(|allow| !allow.contains(&req.method().as_str()))
        {
            let allow = allow.join(", ");
            return Err(AppError::MethodNotAllowed {
                detail: format!(
                    "{} {path} is not served; this path takes {allow}",
                    req.method()
                ),
                allow,
            });
        }
        return crate::health::not_found(req).await;
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return crate::health::not_found(req).await;
    }
    let wanted = path.trim_start_matches('/');
    if let Some(file) = Bundle::get(wanted).filter(|_| !wanted.is_empty()) {
        let immutable = wanted.starts_with("assets/");
        return Ok(respond(&req, &file, immutable));
    }
    // A missing file (it has an extension) is a 404; any other path is a page of the SPA.
    let last = wanted.rsplit('/').next().unwrap_or_default();
    if last.contains('.') {
        return crate::health::not_found(req).await;
    }
    match Bundle::get("index.html") {
        Some(index) => Ok(respond(&req, &index, false)),
        None => Err(AppError::NotFound(
            Code::WebAppNotBuilt,
            "the web app is not built into this binary (assets/web is empty)".into(),
        )),
    }
}

/// One file of the bundle, as a response that revalidates (pages served under API paths).
pub fn file(req: &HttpRequest, path: &str) -> Option<HttpResponse> {
    Bundle::get(path).map(|file| respond(req, &file, false))
}

fn respond(req: &HttpRequest, file: &rust_embed::EmbeddedFile, immutable: bool) -> HttpResponse {
    let hash = file.metadata.sha256_hash();
    let tag = EntityTag::new_strong(hash.iter().take(16).map(|b| format!("{b:02x}")).collect());
    let cache = if immutable {
        CacheControl(vec![
            CacheDirective::Public,
            CacheDirective::MaxAge(31_536_000),
            CacheDirective::Extension("immutable".into(), None),
        ])
    } else {
        CacheControl(vec![CacheDirective::NoCache])
    };
    let matches = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag.to_string()));
    let mut response = if matches {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header(cache)
        .insert_header(header::ETag(tag))
        .insert_header((
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ));
    if matches {
        return response.finish();
    }
    response
        .content_type(file.metadata.mimetype())
        .body(file.data.clone().into_owned())
}
