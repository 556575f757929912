//! The JSON body extractor every handler takes. actix-web's own `Json` hands the body to
//! serde, whose derived structs also accept an array of their fields in order, so `[null,
//! null]` would pass as an empty user patch and `["acme", "…", "…"]` as a sign-in. Every
//! request body of this API is an object; anything else is refused as the wrong shape.
//!
//! A key given twice is refused too. `serde_json::Value` keeps the last of the two, while a
//! proxy or a log reader in front of us may act on the first, so `{"status":"open",
//! "status":"solved"}` would mean different things to each (the chat socket's frames, which
//! derived structs read directly, already refuse it).

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, error::JsonPayloadError, web};
use futures_util::future::LocalBoxFuture;
use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

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
        let body = web::Json::<UniqueKeys>::from_request(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let UniqueKeys(value) = body.await?.into_inner();
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

/// A JSON value in which no object names a key twice.
struct UniqueKeys(Value);

impl<'de> Deserialize<'de> for UniqueKeys {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(UniqueKeysVisitor)
            .map(UniqueKeys)
    }
}

struct UniqueKeysVisitor;

impl<'de> Visitor<'de> for UniqueKeysVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(v.into())
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(v.into())
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        // JSON has no NaN or infinity, so every parsed float has a `Number`.
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(UniqueKeys(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(de::Error::custom(format_args!("duplicate key `{key}`")));
            }
            let UniqueKeys(value) = map.next_value()?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::UniqueKeys;

    fn parse(text: &str) -> Result<serde_json::Value, String> {
        serde_json::from_str::<UniqueKeys>(text)
            .map(|UniqueKeys(value)| value)
            .map_err(|err| err.to_string())
    }

    #[test]
    fn values_read_as_serde_json_reads_them() {
        let text = r#"{"a":[1,-2,3.5,true,null,"é\u00e9"],"b":{"c":{}},"d":18446744073709551615}"#;
        let plain: serde_json::Value = serde_json::from_str(text).expect("json");
        assert_eq!(parse(text), Ok(plain));
    }

    #[test]
    fn a_key_given_twice_is_refused_at_any_depth() {
        let err = parse(r#"{"subject":"a","subject":"b"}"#).expect_err("duplicate");
        assert!(err.starts_with("duplicate key `subject`"), "{err}");
        let err = parse(r#"{"x":[{"k":1,"k":2}]}"#).expect_err("nested duplicate");
        assert!(err.starts_with("duplicate key `k`"), "{err}");
        // The same key in two objects is no duplicate.
        assert!(parse(r#"[{"k":1},{"k":2}]"#).is_ok());
    }
}
