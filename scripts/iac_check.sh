#!/usr/bin/env bash
# The deployment code, checked without a cluster, a registry or a terraform binary:
# Kustomize renders, manifests against the Kubernetes schemas, the network policy's flows,
# the pods' hardening and the HCL parse (scripts/iac_check.py), then checkov over the
# Terraform, the rendered manifests and the Dockerfile. Suppressions are inline, each with
# its reason. Tools: Debian's kubectl; checkov and kubernetes-validate from PyPI, in a
# virtualenv of their own (checkov pins many packages).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

TOOLS="${HELPDESK_TOOLS_DIR:-$HOME/.cache/helpdesk-tools}"
VENV="$TOOLS/iac-venv"
CHECKOV_VERSION=3.3.30
KUBERNETES_VALIDATE_VERSION=1.37.0

command -v kubectl >/dev/null || apt_install kubernetes-client
# Read whole before matching: `grep -q` stopping early would break pip's pipe.
installed="$("$VENV/bin/checkov" --version 2>/dev/null || true) $("$VENV/bin/pip" show kubernetes-validate 2>/dev/null || true)"
if ! grep -q "^$CHECKOV_VERSION " <<<"$installed" ||
    ! grep -q "^Version: $KUBERNETES_VALIDATE_VERSION$" <<<"$installed"; then
    log "installing checkov $CHECKOV_VERSION and kubernetes-validate $KUBERNETES_VALIDATE_VERSION"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check \
        "checkov==$CHECKOV_VERSION" "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
fi

"$VENV/bin/python" scripts/iac_check.py

# Formatting, where a terraform binary happens to exist (it needs no providers for this).
if command -v terraform >/dev/null; then
    terraform fmt -check -recursive infra/terraform >/dev/null 2>&1 ||
        die "infra/terraform is not formatted: run terraform fmt -recursive infra/terraform"
fi

rendered="$(mktemp -d)"
trap 'rm -rf "$rendered"' EXIT
for overlay in infra/k8s/overlays/*/; do
    kubectl kustomize "$overlay" >"$rendered/$(basename "$overlay").yaml"
done
# --skip-download: no calls to the vendor's platform (not reachable here, and not needed).
checkov_run() {
    "$VENV/bin/checkov" --quiet --compact --skip-download "$@"
}
checkov_run --framework terraform -d infra/terraform
checkov_run --framework kubernetes -d "$rendered"
checkov_run --framework dockerfile -f infra/Dockerfile
log "infrastructure checks passed: manifests, network policy, Terraform, checkov"
