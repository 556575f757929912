//! Where the server may send requests a tenant chose: webhook receivers. A tenant admin
//! names the URL, so without a guard the server would post to its own loopback, the
//! private network, a cloud metadata endpoint or the Qdrant port beside it (SSRF). Only
//! public unicast addresses are allowed, unless the operator allow-lists a host or range
//! (`workflow.webhook_allow`). Addresses are checked after DNS resolution, and the HTTP
//! client connects to exactly the addresses checked ([`GuardedResolver`]), so a name that
//! resolves differently a second time (DNS rebinding) cannot slip past.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use ipnet::IpNet;

/// Why a destination is refused. The text names no URL: it reaches logs and job rows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("only http and https destinations are allowed")]
    Scheme,
    #[error("the URL names no host")]
    NoHost,
    #[error("the destination is a loopback, private, link-local, multicast or reserved address")]
    Address,
    #[error("the destination's host name does not resolve")]
    Unresolvable,
}

/// The operator's allow-list over the public-only default.
#[derive(Debug, Clone, Default)]
pub struct EgressPolicy {
    nets: Vec<IpNet>,
    hosts: Vec<String>,
}

impl EgressPolicy {
    /// `allow` holds host names, addresses and CIDR ranges (`10.0.0.0/8`, `::1`).
    pub fn new(allow: &[String]) -> anyhow::Result<Self> {
        let mut policy = Self::default();
        for entry in allow.iter().map(|e| e.trim()).filter(|e| !e.is_empty()) {
            if let Ok(net) = entry.parse::<IpNet>() {
                policy.nets.push(net);
            } else if let Ok(ip) = entry.parse::<IpAddr>() {
                policy.nets.push(IpNet::from(ip));
            } else {
                anyhow::ensure!(
                    entry
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.'),
                    "workflow.webhook_allow: {entry:?} is neither an address, a range nor a \
                     host name"
                );
                policy.hosts.push(entry.to_ascii_lowercase());
            }
        }
        Ok(policy)
    }

    fn allows_host(&self, host: &str) -> bool {
        self.hosts.iter().any(|h| h.eq_ignore_ascii_case(host))
    }

    /// A public unicast address, or one the operator allowed.
    pub fn allows_ip(&self, ip: IpAddr) -> bool {
        is_public(ip) || self.nets.iter().any(|net| net.contains(&ip))
    }

    /// Checks the scheme and every address the host resolves to now. A name that does not
    /// resolve (yet) passes here; delivery resolves and checks it again.
    pub async fn check_url(&self, url: &url::Url) -> Result<(), Refused> {
        self.check_static(url)?;
        let Some(url::Host::Domain(host)) = url.host() else {
            return Ok(());
        };
        if self.allows_host(host) {
            return Ok(());
        }
        let port = url.port_or_known_default().unwrap_or(443);
        match tokio::net::lookup_host((host, port)).await {
            Ok(addrs) => {
                for addr in addrs {
                    if !self.allows_ip(addr.ip()) {
                        return Err(Refused::Address);
                    }
                }
                Ok(())
            }
            Err(_) => Ok(()),
        }
    }

    /// What can be told without DNS: the scheme, and an address written in the URL (the
    /// HTTP client does not ask the resolver for those).
    pub fn check_static(&self, url: &url::Url) -> Result<(), Refused> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Refused::Scheme);
        }
        match url.host() {
            None => Err(Refused::NoHost),
            Some(url::Host::Ipv4(ip)) if !self.allows_ip(IpAddr::V4(ip)) => Err(Refused::Address),
            Some(url::Host::Ipv6(ip)) if !self.allows_ip(IpAddr::V6(ip)) => Err(Refused::Address),
            Some(url::Host::Domain(host))
                if host.eq_ignore_ascii_case("localhost")
                    || host.to_ascii_lowercase().ends_with(".localhost") =>
            {
                if self.allows_host(host) {
                    Ok(())
                } else {
                    Err(Refused::Address)
                }
            }
            Some(_) => Ok(()),
        }
    }

    /// A resolver for the HTTP client that hands it only allowed addresses.
    pub fn resolver(self: &Arc<Self>) -> Arc<GuardedResolver> {
        Arc::new(GuardedResolver(self.clone()))
    }
}

/// Resolves with the system resolver, then drops every address the policy refuses; a
/// name left with none fails, so the client never connects to an unchecked address.
pub struct GuardedResolver(Arc<EgressPolicy>);

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let policy = self.0.clone();
        let host = name.as_str().to_owned();
        Box::pin(async move {
            match policy.resolve_allowed(&host).await {
                Ok(addrs) => Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs),
                Err(e) => Err(Box::new(e) as Box<dyn std::error::Error + Send + Sync>),
            }
        })
    }
}

impl EgressPolicy {
    async fn resolve_allowed(&self, host: &str) -> Result<Vec<SocketAddr>, Refused> {
        let found: Vec<SocketAddr> = tokio::net::lookup_host((host, 0))
            .await
            .map_err(|_| Refused::Unresolvable)?
            .collect();
        let allowed: Vec<SocketAddr> = if self.allows_host(host) {
            found
        } else {
            found
                .into_iter()
                .filter(|a| self.allows_ip(a.ip()))
                .collect()
        };
        if allowed.is_empty() {
            return Err(Refused::Address);
        }
        Ok(allowed)
    }
}

/// A globally routable unicast address: none of the loopback, private, shared, link-local
/// (where cloud metadata lives), documentation, benchmarking, multicast or reserved ranges.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_documentation()
        || a == 0
        // 100.64.0.0/10: carrier-grade NAT, and Alibaba's metadata address.
        || (a == 100 && (64..128).contains(&b))
        // 192.0.0.0/24: IETF protocol assignments.
        || (a == 192 && b == 0 && c == 0)
        // 198.18.0.0/15: benchmarking.
        || (a == 198 && (b == 18 || b == 19))
        // 240.0.0.0/4: reserved.
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    // Addresses that carry an IPv4 address are judged by it.
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let seg = ip.segments();
    // 64:ff9b::/96 (NAT64) and 2002::/16 (6to4) embed an IPv4 address.
    if seg[0] == 0x64 && seg[1] == 0xff9b && seg[2..6] == [0, 0, 0, 0] {
        return is_public_v4(Ipv4Addr::new(
            (seg[6] >> 8) as u8,
            seg[6] as u8,
            (seg[7] >> 8) as u8,
            seg[7] as u8,
        ));
    }
    if seg[0] == 0x2002 {
        return is_public_v4(Ipv4Addr::new(
            (seg[1] >> 8) as u8,
            seg[1] as u8,
            (seg[2] >> 8) as u8,
            seg[2] as u8,
        ));
    }
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        // ::/96, IPv4-compatible (deprecated), and ::/8 generally.
        || seg[0] == 0
        // fc00::/7: unique local (AWS's metadata fd00:ec2::254 is one).
        || (seg[0] & 0xfe00) == 0xfc00
        // fe80::/10 link-local, fec0::/10 site-local (deprecated).
        || (seg[0] & 0xffc0) == 0xfe80
        || (seg[0] & 0xffc0) == 0xfec0
        // 2001:db8::/32 documentation, 2001::/32 Teredo, 100::/64 discard.
        || (seg[0] == 0x2001 && (seg[1] == 0x0db8 || seg[1] == 0))
        || (seg[0] == 0x0100 && seg[1..4] == [0, 0, 0]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(raw: &str) -> url::Url {
        url::Url::parse(raw).expect("url")
    }

    #[test]
    fn internal_ranges_and_metadata_addresses_are_refused() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.100.100.200",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fe80::1",
            "fd00:ec2::254",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a9fe:a9fe",
            "2002:7f00:1::",
        ] {
            let ip: IpAddr = ip.parse().expect("ip");
            assert!(!is_public(ip), "{ip} passed");
        }
        for ip in [
            "93.184.216.34",
            "1.1.1.1",
            "2606:4700:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            let ip: IpAddr = ip.parse().expect("ip");
            assert!(is_public(ip), "{ip} refused");
        }
    }

    #[test]
    fn urls_are_checked_for_scheme_and_literal_addresses() {
        let policy = EgressPolicy::default();
        let check = |raw: &str| policy.check_static(&url(raw));
        assert_eq!(check("ftp://hooks.example/x"), Err(Refused::Scheme));
        assert_eq!(check("file:///etc/passwd"), Err(Refused::Scheme));
        assert_eq!(
            check("http://127.0.0.1:6333/collections"),
            Err(Refused::Address)
        );
        assert_eq!(check("http://[::1]:8080/"), Err(Refused::Address));
        assert_eq!(
            check("http://169.254.169.254/latest/meta-data"),
            Err(Refused::Address)
        );
        assert_eq!(check("http://localhost:6334/"), Err(Refused::Address));
        // Decimal and hex spellings of loopback are normalised by the URL parser first.
        assert_eq!(check("http://2130706433/"), Err(Refused::Address));
        assert_eq!(check("http://0x7f.1/"), Err(Refused::Address));
        assert_eq!(check("https://hooks.example/sla"), Ok(()));
    }

    #[tokio::test]
    async fn the_allow_list_opens_ranges_and_hosts() {
        let policy =
            EgressPolicy::new(&["127.0.0.1/32".into(), "localhost".into()]).expect("policy");
        assert_eq!(
            policy.check_url(&url("http://127.0.0.1:9/hook")).await,
            Ok(())
        );
        assert_eq!(
            policy.check_url(&url("http://localhost:9/hook")).await,
            Ok(())
        );
        assert_eq!(
            policy.check_url(&url("http://10.0.0.1/hook")).await,
            Err(Refused::Address)
        );
        assert!(EgressPolicy::new(&["not a host/99".into()]).is_err());
    }

    #[tokio::test]
    async fn the_resolver_hands_out_only_allowed_addresses() {
        use reqwest::dns::Resolve as _;
        let strict = Arc::new(EgressPolicy::default()).resolver();
        let name: reqwest::dns::Name = "localhost".parse().expect("name");
        assert!(strict.resolve(name).await.is_err(), "loopback resolved");
        let open =
            Arc::new(EgressPolicy::new(&["127.0.0.0/8".into(), "::1".into()]).expect("policy"))
                .resolver();
        let name: reqwest::dns::Name = "localhost".parse().expect("name");
        let addrs: Vec<SocketAddr> = open.resolve(name).await.expect("resolves").collect();
        assert!(
            !addrs.is_empty() && addrs.iter().all(|a| a.ip().is_loopback()),
            "{addrs:?}"
        );
    }
}
