//! TLS with certificates made here (rcgen): `serve` over HTTPS, mutual TLS, the
//! certificate reloaded on SIGHUP by the real binary, and PostgreSQL over TLS with
//! `sslmode=verify-full` against a PostgreSQL server of the test's own.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use helpdesk::config::TlsSettings;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};

use crate::helpers::{Backend, spawn_app_with};

/// A test certificate authority that signs server and client certificates.
struct Authority {
    issuer: Issuer<'static, KeyPair>,
    pem: String,
}

impl Authority {
    fn new(name: &str) -> Self {
        let key = KeyPair::generate().expect("key");
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        let pem = params.self_signed(&key).expect("CA").pem();
        Self {
            issuer: Issuer::new(params, key),
            pem,
        }
    }

    /// A certificate for `names` and its key, both PEM.
    fn sign(&self, names: &[&str]) -> (String, String) {
        let key = KeyPair::generate().expect("key");
        let params =
            CertificateParams::new(names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>())
                .expect("params");
        let cert = params.signed_by(&key, &self.issuer).expect("signed");
        (cert.pem(), key.serialize_pem())
    }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("written");
    path
}

fn https_client(ca: &str, identity: Option<(&str, &str)>) -> reqwest::Client {
    helpdesk::app::install_tls_provider();
    let mut builder = reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(ca.as_bytes()).expect("CA")])
        .tls_info(true)
        .timeout(Duration::from_secs(10));
    if let Some((cert, key)) = identity {
        builder = builder
            .identity(reqwest::Identity::from_pem(format!("{cert}{key}").as_bytes()).expect("id"));
    }
    builder.build().expect("client")
}

fn port_of(address: &str) -> u16 {
    address
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .expect("port")
}

#[tokio::test]
async fn serve_speaks_tls_and_asks_clients_for_certificates() {
    let dir = tempfile::tempdir().expect("dir");
    let ca = Authority::new("helpdesk test CA");
    let (cert, key) = ca.sign(&["localhost"]);
    let clients = Authority::new("service mesh CA");
    let (client_cert, client_key) = clients.sign(&["billing.internal"]);
    let settings = TlsSettings {
        cert_file: write(dir.path(), "server.pem", &cert),
        key_file: write(dir.path(), "server.key", &key),
        client_ca_file: Some(write(dir.path(), "clients.pem", &clients.pem)),
        watch_secs: 0,
    };
    let app = spawn_app_with(
        Backend::Sqlite,
        move |s| s.server.tls = Some(settings),
        Arc::new(|_| {}),
    )
    .await;
    let url = format!("https://localhost:{}/health", port_of(&app.address));

    let with_cert = https_client(&ca.pem, Some((&client_cert, &client_key)));
    let response = with_cert.get(&url).send().await.expect("mutual TLS");
    assert_eq!(response.status().as_u16(), 200);
    // No client certificate, or one another CA signed: no connection.
    assert!(https_client(&ca.pem, None).get(&url).send().await.is_err());
    let strangers = Authority::new("someone else");
    let (other_cert, other_key) = strangers.sign(&["intruder"]);
    let refused = https_client(&ca.pem, Some((&other_cert, &other_key)))
        .get(&url)
        .send()
        .await;
    assert!(
        refused.is_err(),
        "a foreign client certificate was accepted"
    );
    // Plain HTTP on the TLS port gets nowhere either.
    let plain = reqwest::Client::new()
        .get(format!("http://localhost:{}/health", port_of(&app.address)))
        .timeout(Duration::from_secs(5))
        .send()
        .await;
    assert!(plain.map(|r| r.status().as_u16() != 200).unwrap_or(true));
}

fn served_certificate(response: &reqwest::Response) -> Vec<u8> {
    response
        .extensions()
        .get::<reqwest::tls::TlsInfo>()
        .and_then(|info| info.peer_certificate())
        .expect("a peer certificate")
        .to_vec()
}

fn pem_der(pem: &str) -> Vec<u8> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject as _;
    CertificateDer::from_pem_slice(pem.as_bytes())
        .expect("pem")
        .to_vec()
}

/// How a renewed certificate reaches the running server.
enum Renewal {
    /// `kill -HUP`, as an operator or a certificate agent would send.
    Signal,
    /// Nothing: the server watches the files (`server.tls.watch_secs`), as for a mounted
    /// Kubernetes Secret that cert-manager renews in place.
    Watched,
}

/// The real binary serves a certificate, which is then renewed in place; the next
/// handshake gets the renewed one.
async fn the_real_server_takes_up_a_renewal(renewal: Renewal) {
    let dir = tempfile::tempdir().expect("dir");
    let ca = Authority::new("helpdesk test CA");
    let (first, first_key) = ca.sign(&["localhost"]);
    let cert_file = write(dir.path(), "server.pem", &first);
    let key_file = write(dir.path(), "server.key", &first_key);
    let mut env = vec![
        ("HELPDESK__SERVER__TLS__CERT_FILE", cert_file.as_os_str()),
        ("HELPDESK__SERVER__TLS__KEY_FILE", key_file.as_os_str()),
    ];
    if matches!(renewal, Renewal::Watched) {
        env.push((
            "HELPDESK__SERVER__TLS__WATCH_SECS",
            std::ffi::OsStr::new("1"),
        ));
    }
    let server = crate::helpers::Served::start(dir.path(), &env);
    let url = format!("https://localhost:{}/health", server.port);
    let response = https_client(&ca.pem, None)
        .get(&url)
        .send()
        .await
        .expect("TLS");
    assert_eq!(served_certificate(&response), pem_der(&first));

    let (second, second_key) = ca.sign(&["localhost", "helpdesk.internal"]);
    write(dir.path(), "server.key", &second_key);
    write(dir.path(), "server.pem", &second);
    if matches!(renewal, Renewal::Signal) {
        let hup = Command::new("kill")
            .args(["-HUP", &server.pid().to_string()])
            .status()
            .expect("kill");
        assert!(hup.success());
    }
    crate::helpers::eventually(
        "the renewed certificate",
        Duration::from_secs(20),
        async || {
            // A new client: a new connection, a new handshake.
            let response = https_client(&ca.pem, None)
                .get(&url)
                .send()
                .await
                .expect("TLS");
            (served_certificate(&response) == pem_der(&second)).then_some(())
        },
    )
    .await;
}

#[tokio::test]
async fn the_real_server_reloads_its_certificate_on_sighup() {
    the_real_server_takes_up_a_renewal(Renewal::Signal).await;
}

#[tokio::test]
async fn the_real_server_reloads_a_renewed_certificate_it_watches() {
    the_real_server_takes_up_a_renewal(Renewal::Watched).await;
}

/// A PostgreSQL server of this test's own, with TLS on and plain connections refused,
/// stopped when dropped.
struct TlsPostgres {
    data: PathBuf,
    port: u16,
    as_postgres: bool,
    _dir: tempfile::TempDir,
}

fn pg_bin(name: &str) -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| Some(e.ok()?.path().join("bin").join(name)))
        .filter(|p| p.exists())
        .collect();
    found.sort();
    found.pop()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port")
}

impl TlsPostgres {
    /// As root, the server runs as the `postgres` account (PostgreSQL refuses root).
    fn command(&self, program: &Path) -> Command {
        if self.as_postgres {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(program);
            command
        } else {
            Command::new(program)
        }
    }

    fn start(ca: &Authority) -> Self {
        let initdb = pg_bin("initdb").expect("PostgreSQL's initdb (Debian package postgresql)");
        let pg_ctl = pg_bin("pg_ctl").expect("pg_ctl");
        let dir = tempfile::tempdir().expect("dir");
        let data = dir.path().join("data");
        let as_postgres = running_as_root();
        let server = Self {
            data: data.clone(),
            port: free_port(),
            as_postgres,
            _dir: dir,
        };
        if as_postgres {
            let status = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(server._dir.path())
                .status()
                .expect("chown");
            assert!(status.success());
        }
        let out = server
            .command(&initdb)
            .arg("-D")
            .arg(&data)
            .args(["-A", "trust", "-U", "postgres", "--no-sync"])
            .output()
            .expect("initdb");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let (cert, key) = ca.sign(&["localhost"]);
        write(&data, "server.crt", &cert);
        write(&data, "server.key", &key);
        std::fs::write(
            data.join("pg_hba.conf"),
            "hostssl all all 127.0.0.1/32 trust\nhostnossl all all 127.0.0.1/32 reject\n",
        )
        .expect("hba");
        let mut conf = std::fs::OpenOptions::new()
            .append(true)
            .open(data.join("postgresql.conf"))
            .expect("conf");
        use std::io::Write as _;
        write!(
            conf,
            "\nlisten_addresses = '127.0.0.1'\nport = {}\nssl = on\nssl_cert_file = 'server.crt'\n\
             ssl_key_file = 'server.key'\nunix_socket_directories = '{}'\nfsync = off\n",
            server.port,
            data.display()
        )
        .expect("conf");
        if as_postgres {
            let status = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&data)
                .status()
                .expect("chown");
            assert!(status.success());
        }
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(
            data.join("server.key"),
            std::fs::Permissions::from_mode(0o600),
        )
        .expect("key mode");
        let out = server
            .command(&pg_ctl)
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(data.join("server.log"))
            .args(["-w", "start"])
            .output()
            .expect("pg_ctl");
        assert!(
            out.status.success(),
            "{}{}",
            String::from_utf8_lossy(&out.stderr),
            std::fs::read_to_string(data.join("server.log")).unwrap_or_default()
        );
        server
    }

    fn url(&self, query: &str) -> String {
        format!(
            "postgres://postgres@localhost:{}/postgres?{query}",
            self.port
        )
    }
}

impl Drop for TlsPostgres {
    fn drop(&mut self) {
        if let Some(pg_ctl) = pg_bin("pg_ctl") {
            let _ = self
                .command(&pg_ctl)
                .arg("-D")
                .arg(&self.data)
                .args(["-m", "immediate", "stop"])
                .output();
        }
    }
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

#[tokio::test]
async fn postgres_over_tls_verifies_the_server() {
    let ca = Authority::new("database CA");
    let server = TlsPostgres::start(&ca);
    let dir = tempfile::tempdir().expect("dir");
    let ca_file = write(dir.path(), "db-ca.pem", &ca.pem);
    let verified = server.url(&format!(
        "sslmode=verify-full&sslrootcert={}",
        ca_file.display()
    ));
    let db = sea_orm::Database::connect(&verified)
        .await
        .expect("verify-full against the right CA");
    use sea_orm::ConnectionTrait as _;
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
        ))
        .await
        .expect("query")
        .expect("row");
    assert!(
        row.try_get::<bool>("", "ssl").expect("ssl"),
        "the connection is encrypted"
    );

    // The whole application runs on it: migrations, then a ready database.
    let app = spawn_app_with(
        Backend::Sqlite,
        |s| {
            s.database.url = Some(verified.clone().into());
            s.database.admin_url = Some(verified.clone().into());
        },
        Arc::new(|_| {}),
    )
    .await;
    let ready: serde_json::Value = app.get_ready().await.json().await.expect("json");
    assert_eq!(ready["components"]["database"]["status"], "ok", "{ready}");

    // Another CA's certificate, or no TLS at all, and there is no connection.
    let impostor = Authority::new("someone else");
    let wrong_ca = write(dir.path(), "other-ca.pem", &impostor.pem);
    let wrong = server.url(&format!(
        "sslmode=verify-full&sslrootcert={}",
        wrong_ca.display()
    ));
    assert!(sea_orm::Database::connect(&wrong).await.is_err());
    assert!(
        sea_orm::Database::connect(&server.url("sslmode=disable"))
            .await
            .is_err()
    );
}
