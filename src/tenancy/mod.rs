//! Tenants and their users.

mod business_hours;
mod model;
mod routes;
mod service;
mod settings;
mod tenant_settings;

pub use business_hours::BusinessHours;
pub use model::{
    CreateTenant, CreateUser, DisplayName, Email, ITEMS_RULES, NewAccount, NewTenant, NewUser,
    PASSWORD_RULE, Plan, Role, TEXT_RULES, TenantId, TenantName, TenantSlug, TenantView, UserId,
    UserView, check_password, default_tenant_settings,
};
pub use routes::configure;
pub use service::{
    Credentials, create_tenant, create_user, delete_user, ensure_visitor_user, erase_account,
    find_credentials, find_tenant_by_slug, find_user_by_email, get_tenant, get_user, hash_account,
    list_tenants, list_users, set_password_hash, set_user_disabled, settings_of, stores_redacted,
    update_user, user_is_active,
};
pub use settings::{SettingsPatch, Theme, allowed_origins, update_settings};
pub use tenant_settings::{
    CsatSettings, QueueNames, RoutingChoices, SlaMinutes, TenantSettings, ThemeSettings,
    WebhookSettings,
};
