//! Authorisation in one place: casbin with the tenant as domain. Model and policy are
//! `assets/authz/`, compiled into the binary. Ownership rules (a customer sees only their
//! own tickets) live in the services; this decides what a role may do at all.

use casbin::{CoreApi as _, DefaultModel, Enforcer, StringAdapter};

use super::extract::AuthUser;
use crate::error::{AppError, Code};

const MODEL: &str = include_str!("../../assets/authz/model.conf");
const POLICY: &str = include_str!("../../assets/authz/policy.csv");

// What a policy line names: `Sources` is the text of the documents answers cite (published
// to the tenant's chat users), `Llm` raw model access (generate, embeddings, status).
crate::validation::string_enum!(Resource, "resource", {
    Tickets => "tickets",
    TicketComments => "ticket_comments",
    Users => "users",
    Documents => "documents",
    Chat => "chat",
    Usage => "usage",
    TenantSettings => "tenant_settings",
    Sources => "sources",
    Llm => "llm",
    Audit => "audit",
    People => "people",
    CannedReplies => "canned_replies",
    Macros => "macros",
    Reports => "reports",
});

crate::validation::string_enum!(Action, "action", {
    Create => "create",
    Read => "read",
    List => "list",
    Update => "update",
    Delete => "delete",
});

pub struct Authz {
    enforcer: Enforcer,
}

impl Authz {
    pub async fn load() -> anyhow::Result<Self> {
        let model = DefaultModel::from_str(MODEL)
            .await
            .map_err(|e| anyhow::anyhow!("authz model: {e}"))?;
        let enforcer = Enforcer::new(model, StringAdapter::new(POLICY))
            .await
            .map_err(|e| anyhow::anyhow!("authz policy: {e}"))?;
        Ok(Self { enforcer })
    }

    pub fn allows(&self, role: &str, tenant: &str, resource: Resource, action: Action) -> bool {
        self.enforcer
            .enforce((role, tenant, resource.as_str(), action.as_str()))
            .unwrap_or(false)
    }

    /// `Ok` when the caller's role may do `action` on `resource` in its tenant; a 403
    /// problem otherwise.
    pub fn require(
        &self,
        caller: &AuthUser,
        resource: Resource,
        action: Action,
    ) -> Result<(), AppError> {
        if self.allows(
            caller.role.as_str(),
            &caller.tenant.to_string(),
            resource,
            action,
        ) {
            Ok(())
        } else {
            Err(AppError::Forbidden(
                Code::ActionForbidden,
                format!(
                    "a {} may not {} {}",
                    caller.role.as_str(),
                    action.as_str(),
                    resource.as_str()
                ),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn roles_inherit_downwards() {
        let authz = Authz::load().await.expect("policy loads");
        let t = "00000000-0000-0000-0000-000000000001";
        assert!(
            authz.allows("admin", t, Resource::Tickets, Action::Update),
            "admin > agent"
        );
        assert!(
            authz.allows("admin", t, Resource::Chat, Action::Create),
            "admin > visitor"
        );
        assert!(
            authz.allows("agent", t, Resource::Tickets, Action::Create),
            "agent > customer"
        );
        assert!(!authz.allows("agent", t, Resource::Users, Action::Create));
        assert!(!authz.allows("customer", t, Resource::Tickets, Action::Update));
        assert!(!authz.allows("visitor", t, Resource::Tickets, Action::Read));
        assert!(!authz.allows("operator", t, Resource::Tickets, Action::Read));
        assert!(!authz.allows("nobody", t, Resource::Chat, Action::Read));
    }
}
