//! Who is calling, as a key for per-client budgets. The TCP peer is the client unless it is
//! one of the operator's trusted proxies (`server.trusted_proxies`); then the client is the
//! right-most `X-Forwarded-For` (or `Forwarded: for=`) address that is not itself a trusted
//! proxy — the left-most entries are whatever the client chose to send. IPv6 clients are
//! keyed by their /64, the block one subscriber holds, so rotating addresses within it
//! buys no fresh budget.

use std::net::IpAddr;

use actix_web::HttpRequest;
use ipnet::IpNet;

/// The trusted proxies, parsed once from settings.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    pub fn new(entries: &[String]) -> anyhow::Result<Self> {
        let mut nets = Vec::new();
        for entry in entries.iter().map(|e| e.trim()).filter(|e| !e.is_empty()) {
            let net = match entry.parse::<IpNet>() {
                Ok(net) => net,
                Err(_) => IpNet::from(entry.parse::<IpAddr>().map_err(|_| {
                    anyhow::anyhow!(
                        "server.trusted_proxies: {entry:?} is not an address or a CIDR range"
                    )
                })?),
            };
            nets.push(net);
        }
        Ok(Self(nets))
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(&ip))
    }

    /// The client's address as the proxies in front of this server saw it.
    pub fn client_ip(&self, req: &HttpRequest) -> Option<IpAddr> {
        let peer = req.peer_addr()?.ip();
        if !self.trusts(peer) {
            return Some(peer);
        }
        let mut hops: Vec<IpAddr> = Vec::new();
        for value in req.headers().get_all("x-forwarded-for") {
            let Ok(text) = value.to_str() else { continue };
            hops.extend(text.split(',').filter_map(parse_hop));
        }
        if hops.is_empty() {
            for value in req.headers().get_all("forwarded") {
                let Ok(text) = value.to_str() else { continue };
                hops.extend(
                    text.split([',', ';'])
                        .filter_map(|pair| pair.trim().strip_prefix("for="))
                        .filter_map(parse_hop),
                );
            }
        }
        // From the right: each trusted proxy vouches for the hop before it.
        Some(
            hops.into_iter()
                .rev()
                .find(|ip| !self.trusts(*ip))
                .unwrap_or(peer),
        )
    }

    /// The budget key of the request's client: its address, or its /64 for IPv6.
    pub fn client_key(&self, req: &HttpRequest) -> String {
        match self.client_ip(req) {
            Some(ip) => key_of(ip),
            None => "unknown".into(),
        }
    }
}

/// One hop of a forwarding header: `203.0.113.7`, `"[2001:db8::1]:443"`, `198.51.100.2:80`.
fn parse_hop(raw: &str) -> Option<IpAddr> {
    let hop = raw.trim().trim_matches('"');
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Some(rest) = hop.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    hop.rsplit_once(':')?.0.parse().ok()
}

fn key_of(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    fn proxies() -> TrustedProxies {
        TrustedProxies::new(&["10.0.0.0/8".into(), "127.0.0.1".into()]).expect("proxies")
    }

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let direct = TestRequest::default()
            .peer_addr("203.0.113.9:5000".parse().expect("addr"))
            .insert_header(("x-forwarded-for", "198.51.100.1"))
            .to_http_request();
        assert_eq!(proxies().client_key(&direct), "203.0.113.9");

        let proxied = TestRequest::default()
            .peer_addr("10.1.1.1:5000".parse().expect("addr"))
            .insert_header(("x-forwarded-for", "1.2.3.4, 198.51.100.1, 10.2.2.2"))
            .to_http_request();
        // The client may prepend anything; the right-most untrusted hop is the client.
        assert_eq!(proxies().client_key(&proxied), "198.51.100.1");

        let rfc7239 = TestRequest::default()
            .peer_addr("127.0.0.1:5000".parse().expect("addr"))
            .insert_header((
                "forwarded",
                "for=\"[2001:db8:cafe:1:2:3:4:5]:443\";proto=https",
            ))
            .to_http_request();
        assert_eq!(proxies().client_key(&rfc7239), "2001:db8:cafe:1::/64");
    }

    #[test]
    fn ipv6_clients_share_their_64() {
        let a = key_of("2001:db8:1:2::1".parse().expect("ip"));
        let b = key_of("2001:db8:1:2:ffff::9".parse().expect("ip"));
        let c = key_of("2001:db8:1:3::1".parse().expect("ip"));
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(key_of("::ffff:192.0.2.1".parse().expect("ip")), "192.0.2.1");
    }
}
