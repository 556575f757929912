//! Collects every field error of an input before anything is written, so a client learns
//! all that is wrong with a request at once.

use crate::error::{AppError, FieldError};

/// Why one value was refused: a stable code and a readable message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub code: &'static str,
    pub message: String,
}

impl Invalid {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Invalid {}

#[derive(Debug, Default)]
pub struct Fields(Vec<FieldError>);

impl Fields {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps the value, or records why it was refused under `field`.
    pub fn check<T>(&mut self, field: &str, result: Result<T, Invalid>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(invalid) => {
                self.add(field, invalid);
                None
            }
        }
    }

    pub fn add(&mut self, field: &str, invalid: Invalid) {
        self.0.push(FieldError {
            field: field.to_owned(),
            code: invalid.code.to_owned(),
            message: invalid.message,
        });
    }

    /// `Ok` when nothing was refused; otherwise one validation error listing every field.
    pub fn finish(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            return Ok(());
        }
        let detail = self
            .0
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; ");
        Err(AppError::Validation {
            detail,
            fields: self.0,
        })
    }
}

/// For the values `Fields::check` returned after `finish` succeeded: all are present.
pub fn checked<T>(value: Option<T>) -> Result<T, AppError> {
    value.ok_or_else(|| AppError::Internal(anyhow::anyhow!("validated field missing")))
}

/// A list's `limit`: `default` when absent, else 1 to `max`. Out of range is refused rather
/// than capped, so a client's mistaken `limit=0` or `limit=5000` is told, not reinterpreted.
pub fn page_limit(raw: Option<u64>, default: u64, max: u64) -> Result<u64, Invalid> {
    match raw {
        None => Ok(default),
        Some(n) if (1..=max).contains(&n) => Ok(n),
        Some(_) => Err(Invalid::new("out_of_range", format!("limit is 1 to {max}"))),
    }
}

/// Trims `raw` and checks its length in characters.
pub fn bounded_text(raw: &str, what: &str, max_chars: usize) -> Result<String, Invalid> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(Invalid::new(
            "required",
            format!("{what} must not be empty"),
        ));
    }
    let chars = trimmed.chars().count();
    if chars > max_chars {
        return Err(Invalid::new(
            "too_long",
            format!("{what} is {chars} characters; at most {max_chars} are allowed"),
        ));
    }
    if trimmed
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        return Err(Invalid::new(
            "control_characters",
            format!("{what} contains control characters"),
        ));
    }
    Ok(trimmed.to_owned())
}

/// A closed set of lower-case names as an enum: `as_str`, and `parse` that reports the
/// allowed values as a field error.
macro_rules! string_enum {
    ($name:ident, $what:literal, { $($variant:ident => $text:literal),+ $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        pub enum $name { $(#[serde(rename = $text)] $variant),+ }

        // By hand: the derive does not see serde's renames through this macro's literals.
        impl ::utoipa::PartialSchema for $name {
            fn schema() -> ::utoipa::openapi::RefOr<::utoipa::openapi::schema::Schema> {
                ::utoipa::openapi::ObjectBuilder::new()
                    .schema_type(::utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($text),+]))
                    .into()
            }
        }

        impl ::utoipa::ToSchema for $name {}

        impl $name {
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }

            pub fn parse(raw: &str) -> Result<Self, $crate::validation::Invalid> {
                match raw {
                    $($text => Ok(Self::$variant),)+
                    _ => Err($crate::validation::Invalid::new(
                        concat!("invalid_", $what),
                        concat!($what, " must be one of: ", $($text, " "),+),
                    )),
                }
            }
        }
    };
}

pub(crate) use string_enum;
