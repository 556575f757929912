//! Identifier newtypes: a UUID that cannot be mixed up with another kind of id. The tenant
//! id lives here, below every domain, because every layer takes one (the vector store's
//! API among them).

macro_rules! uuid_newtype {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize,
            ::utoipa::ToSchema,
        )]
        #[serde(transparent)]
        pub struct $name(pub ::uuid::Uuid);

        impl $name {
            pub fn new() -> Self {
                Self(::uuid::Uuid::new_v4())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<$name> for ::uuid::Uuid {
            fn from(id: $name) -> ::uuid::Uuid {
                id.0
            }
        }
    };
}
pub(crate) use uuid_newtype;

uuid_newtype!(
    /// The tenant every service call is scoped to; only a verified token yields one.
    TenantId
);

/// Who does something: what the audit log records as the actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A signed-in account of the tenant (staff or customer).
    User(uuid::Uuid),
    /// A platform operator, by token subject.
    Operator(String),
    /// An anonymous help-chat visitor.
    Visitor(uuid::Uuid),
    /// The service itself: workers, migrations, the SLA clock.
    System,
}

impl Actor {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::User(_) => "user",
            Self::Operator(_) => "operator",
            Self::Visitor(_) => "visitor",
            Self::System => "system",
        }
    }

    pub fn id(&self) -> Option<String> {
        match self {
            Self::User(id) | Self::Visitor(id) => Some(id.to_string()),
            Self::Operator(subject) => Some(subject.clone()),
            Self::System => None,
        }
    }
}
