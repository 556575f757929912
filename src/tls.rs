//! `serve` over TLS (rustls): the certificate and key come from PEM files and are read
//! again on SIGHUP, so a renewed certificate takes over without a restart and without
//! dropping connections; with `server.tls.client_ca_file`, clients must present a
//! certificate that CA signed (mutual TLS between services).

use std::path::Path;
use std::sync::{Arc, PoisonError, RwLock};

use anyhow::Context as _;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::{ClientHello, ResolvesServerCert, WebPkiClientVerifier};
use rustls::sign::CertifiedKey;

use crate::config::TlsSettings;

/// The served certificate, swapped in place by [`ReloadingCert::reload`].
#[derive(Debug)]
pub struct ReloadingCert {
    settings: TlsSettings,
    current: RwLock<Arc<CertifiedKey>>,
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn load_key(settings: &TlsSettings) -> anyhow::Result<CertifiedKey> {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&settings.cert_file)
        .and_then(Iterator::collect)
        .with_context(|| {
            format!(
                "cannot read certificates from {}",
                settings.cert_file.display()
            )
        })?;
    anyhow::ensure!(
        !chain.is_empty(),
        "{} holds no certificate",
        settings.cert_file.display()
    );
    let key = PrivateKeyDer::from_pem_file(&settings.key_file).with_context(|| {
        format!(
            "cannot read a private key from {}",
            settings.key_file.display()
        )
    })?;
    CertifiedKey::from_der(chain, key, &provider())
        .context("the certificate and the private key do not belong together")
}

impl ReloadingCert {
    pub fn load(settings: &TlsSettings) -> anyhow::Result<Arc<Self>> {
        Ok(Arc::new(Self {
            current: RwLock::new(Arc::new(load_key(settings)?)),
            settings: settings.clone(),
        }))
    }

    /// The modification times of the certificate and key files, to tell a renewal.
    pub fn files_modified(&self) -> [Option<std::time::SystemTime>; 2] {
        [&self.settings.cert_file, &self.settings.key_file]
            .map(|path| std::fs::metadata(path).and_then(|m| m.modified()).ok())
    }

    /// Seconds between checks for renewed files; 0 when only SIGHUP reloads.
    pub fn watch_secs(&self) -> u64 {
        self.settings.watch_secs
    }

    /// Reads the files again; on any error the certificate in service stays.
    pub fn reload(&self) -> anyhow::Result<()> {
        let fresh = Arc::new(load_key(&self.settings)?);
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = fresh;
        Ok(())
    }

    /// The rustls configuration serving this certificate.
    pub fn server_config(self: &Arc<Self>) -> anyhow::Result<rustls::ServerConfig> {
        let builder = rustls::ServerConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()?;
        let builder = match &self.settings.client_ca_file {
            Some(path) => builder.with_client_cert_verifier(client_verifier(path)?),
            None => builder.with_no_client_auth(),
        };
        let mut config = builder.with_cert_resolver(self.clone());
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(config)
    }
}

fn client_verifier(
    path: &Path,
) -> anyhow::Result<Arc<dyn rustls::server::danger::ClientCertVerifier>> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(path)
        .with_context(|| format!("cannot read client CAs from {}", path.display()))?
    {
        roots
            .add(cert.with_context(|| format!("a bad certificate in {}", path.display()))?)
            .with_context(|| format!("an unusable CA certificate in {}", path.display()))?;
    }
    WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider())
        .build()
        .context("cannot build the client-certificate verifier")
}

impl ResolvesServerCert for ReloadingCert {
    fn resolve(&self, _hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        Some(
            self.current
                .read()
                .unwrap_or_else(PoisonError::into_inner)
                .clone(),
        )
    }
}
