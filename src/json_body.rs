//! The JSON body extractor every handler takes. actix-web's own `Json` hands the body to
//! serde, whose derived structs also accept an array of their fields in order, so `[null,
//! null]` would pass as an empty user patch and `["acme", "…", "…"]` as a sign-in. Every
//! request body of this API is an object; anything else is refused as the wrong shape.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, error::JsonPayloadError, web};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use crate::error::{AppError, json_error};

/// A request body that is a JSON object deserialised into `T`. Content type, size limit and
/// malformed JSON are checked by actix-web's extractor, with the application's `JsonConfig`.
pub struct Json<T>(pub T);

impl<T> Json<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Json<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = web::Json::<serde_json::Value>::from_request(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let value = body.await?.into_inner();
            if !value.is_object() {
                return Err(AppError::validation(
                    "body",
                    "not_an_object",
                    "the body must be a JSON object",
                )
                .into());
            }
            serde_json::from_value(value)
                .map(Json)
                .map_err(|err| json_error(JsonPayloadError::Deserialize(err), &req))
        })
    }
}
