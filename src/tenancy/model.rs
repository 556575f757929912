use std::fmt;

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use validator::ValidateEmail as _;

use crate::entity::{tenant, user};
use crate::error::AppError;
use crate::validation::{Fields, Invalid, TextRule, bounded_text, checked};

pub use crate::ids::TenantId;
use crate::ids::uuid_newtype;

uuid_newtype!(UserId);

/// A tenant's URL name: 2–63 lowercase letters, digits and inner hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct TenantSlug(String);

impl TenantSlug {
    pub const RULE: TextRule = TextRule::pattern(2, 63, "^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$");

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let slug = raw.trim();
        let valid_chars = slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !(2..=63).contains(&slug.len())
            || !valid_chars
            || slug.starts_with('-')
            || slug.ends_with('-')
        {
            return Err(Invalid::new(
                "invalid_slug",
                "a slug is 2-63 lowercase letters, digits and inner hyphens",
            ));
        }
        Ok(Self(slug.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TenantSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The longest tenant or display name, in characters.
pub const MAX_NAME_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantName(String);

impl TenantName {
    pub const RULE: TextRule = TextRule::text(MAX_NAME_CHARS);

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        bounded_text(raw, "name", MAX_NAME_CHARS).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An email address, trimmed and lower-cased so that lookups are case-insensitive.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    /// RFC 5321's longest path, less its angle brackets.
    const MAX_CHARS: usize = 254;
    pub const RULE: TextRule = TextRule::format(Self::MAX_CHARS, "email");

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let email = raw.trim().to_lowercase();
        if email.len() > Self::MAX_CHARS || !email.validate_email() {
            return Err(Invalid::new("invalid_email", "not a valid email address"));
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub const RULE: TextRule = TextRule::text(MAX_NAME_CHARS);

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        bounded_text(raw, "display name", MAX_NAME_CHARS).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

crate::validation::string_enum!(Role, "role", {
    Admin => "admin",
    Agent => "agent",
    Customer => "customer",
});

crate::validation::string_enum!(Plan, "plan", {
    Free => "free",
    Team => "team",
    Business => "business",
    Enterprise => "enterprise",
});

/// A tenant as a client sends it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewTenant {
    pub slug: String,
    pub name: String,
    #[serde(default)]
    #[schema(value_type = Option<Plan>)]
    pub plan: Option<String>,
}

#[derive(Debug, Clone)]
pub struct CreateTenant {
    pub slug: TenantSlug,
    pub name: TenantName,
    pub plan: Plan,
}

impl CreateTenant {
    pub fn parse(input: &NewTenant) -> Result<Self, AppError> {
        let mut fields = Fields::new();
        let slug = fields.check("slug", TenantSlug::parse(&input.slug));
        let name = fields.check("name", TenantName::parse(&input.name));
        let plan = fields.check(
            "plan",
            input.plan.as_deref().map_or(Ok(Plan::Free), Plan::parse),
        );
        fields.finish()?;
        Ok(Self {
            slug: checked(slug)?,
            name: checked(name)?,
            plan: checked(plan)?,
        })
    }
}

/// A user as a client sends it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewUser {
    pub email: String,
    #[schema(value_type = Role)]
    pub role: String,
    pub display_name: String,
    #[schema(value_type = String, format = Password)]
    pub password: SecretString,
}

#[derive(Debug, Clone)]
pub struct CreateUser {
    pub email: Email,
    pub role: Role,
    pub display_name: DisplayName,
    pub password: SecretString,
}

/// A user ready to be stored: its password already hashed. Hashing is slow on purpose, so it
/// happens before the transaction that inserts the user opens ([`super::hash_account`]).
#[derive(Debug)]
pub struct NewAccount {
    pub email: Email,
    pub role: Role,
    pub display_name: DisplayName,
    pub password_hash: String,
}

pub const MIN_PASSWORD_CHARS: usize = 12;
/// Long passphrases are welcome; argon2 need not hash megabytes.
pub const MAX_PASSWORD_CHARS: usize = 1024;
pub const PASSWORD_RULE: TextRule = TextRule::between(MIN_PASSWORD_CHARS, MAX_PASSWORD_CHARS);

/// The string rules of this module's request bodies, for the OpenAPI document.
pub const TEXT_RULES: &[(&str, &str, TextRule)] = &[
    ("NewTenant", "slug", TenantSlug::RULE),
    ("NewTenant", "name", TenantName::RULE),
    ("NewUser", "email", Email::RULE),
    ("NewUser", "display_name", DisplayName::RULE),
    ("NewUser", "password", PASSWORD_RULE),
    ("PatchUserBody", "display_name", DisplayName::RULE),
    (
        "ThemePatch",
        "display_name",
        super::settings::THEME_NAME_RULE,
    ),
    ("ThemePatch", "primary_color", super::settings::COLOR_RULE),
    ("ThemePatch", "accent_color", super::settings::COLOR_RULE),
    ("WebhookPatch", "secret", super::settings::SECRET_RULE),
];
pub const ITEMS_RULES: &[(&str, &str, crate::validation::ItemsRule)] = &[(
    "SettingsPatch",
    "allowed_origins",
    super::settings::ORIGINS_ITEMS,
)];

/// The rule every new password meets, at sign-up, change and reset alike.
pub fn check_password(password: &SecretString) -> Result<(), Invalid> {
    use secrecy::ExposeSecret as _;
    let chars = password.expose_secret().chars().count();
    if chars < MIN_PASSWORD_CHARS {
        Err(Invalid::new(
            "too_short",
            format!("a password has at least {MIN_PASSWORD_CHARS} characters"),
        ))
    } else if chars > MAX_PASSWORD_CHARS {
        Err(Invalid::new(
            "too_long",
            format!("a password has at most {MAX_PASSWORD_CHARS} characters"),
        ))
    } else {
        Ok(())
    }
}

impl CreateUser {
    pub fn parse(input: &NewUser) -> Result<Self, AppError> {
        let mut fields = Fields::new();
        let email = fields.check("email", Email::parse(&input.email));
        let role = fields.check("role", Role::parse(&input.role));
        let display_name = fields.check("display_name", DisplayName::parse(&input.display_name));
        if let Err(invalid) = check_password(&input.password) {
            fields.add("password", invalid);
        }
        fields.finish()?;
        Ok(Self {
            email: checked(email)?,
            role: checked(role)?,
            display_name: checked(display_name)?,
            password: input.password.clone(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TenantView {
    pub id: TenantId,
    pub slug: String,
    pub name: String,
    pub plan: String,
    pub settings: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

impl From<tenant::Model> for TenantView {
    fn from(m: tenant::Model) -> Self {
        Self {
            id: TenantId(m.id),
            slug: m.slug,
            name: m.name,
            plan: m.plan,
            settings: m.settings,
            created_at: m.created_at,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct UserView {
    pub id: UserId,
    pub tenant_id: TenantId,
    pub email: String,
    pub role: Role,
    pub display_name: String,
    pub created_at: DateTime<Utc>,
    /// An admin disabled the account: it can neither sign in nor refresh.
    pub disabled: bool,
}

impl TryFrom<user::Model> for UserView {
    type Error = AppError;

    fn try_from(m: user::Model) -> Result<Self, AppError> {
        Ok(Self {
            id: UserId(m.id),
            tenant_id: TenantId(m.tenant_id),
            role: Role::parse(&m.role)
                .map_err(|e| AppError::Internal(anyhow::anyhow!("stored role: {e}")))?,
            email: m.email,
            display_name: m.display_name,
            created_at: m.created_at,
            disabled: m.disabled_at.is_some(),
        })
    }
}

/// Default settings of a new tenant: theme, SLA policy (minutes per priority) and queues.
pub fn default_tenant_settings(name: &str) -> serde_json::Value {
    serde_json::json!({
        "theme": {"display_name": name, "primary_color": "#2563eb", "logo_url": null},
        "sla_minutes": {
            "urgent": {"first_response": 30, "resolution": 240},
            "high": {"first_response": 120, "resolution": 1440},
            "normal": {"first_response": 480, "resolution": 4320},
            "low": {"first_response": 1440, "resolution": 10080}
        },
        "queues": {"default": "general", "triage": "triage", "escalation": "escalations"}
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_rules_hold() {
        use crate::validation::assert_rule_accepts;
        assert_rule_accepts(TenantSlug::RULE, |s| TenantSlug::parse(s).is_ok());
        assert_rule_accepts(TenantName::RULE, |s| TenantName::parse(s).is_ok());
        assert_rule_accepts(DisplayName::RULE, |s| DisplayName::parse(s).is_ok());
        assert_rule_accepts(PASSWORD_RULE, |s| {
            check_password(&SecretString::from(s.to_owned())).is_ok()
        });
    }

    #[test]
    fn slugs() {
        assert!(TenantSlug::parse("acme").is_ok());
        assert!(TenantSlug::parse("acme-corp-2").is_ok());
        for bad in ["", "a", "Acme", "-acme", "acme-", "ac me", "acmé"] {
            assert!(TenantSlug::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn emails_are_normalised() {
        let email = Email::parse("  Ada@Example.COM ").expect("valid");
        assert_eq!(email.as_str(), "ada@example.com");
        for bad in ["", "ada", "ada@", "@example.com", "a b@example.com"] {
            assert!(Email::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let err = CreateUser::parse(&NewUser {
            email: "not-an-email".into(),
            role: "root".into(),
            display_name: "  ".into(),
            password: SecretString::from("short"),
        })
        .expect_err("invalid");
        let AppError::Validation { fields, .. } = err else {
            panic!("expected a validation error");
        };
        let names: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(names, ["email", "role", "display_name", "password"]);
    }
}
