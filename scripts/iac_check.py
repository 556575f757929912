"""Checks the deployment code without a cluster or a terraform binary (run by
scripts/iac_check.sh in .ci/run):

1. every Kustomize overlay renders (`kubectl kustomize`);
2. every rendered manifest is valid: core kinds against the Kubernetes JSON schemas of
   kubernetes-validate (strict: an unknown field fails), custom resources against the
   strict schemas in infra/k8s/schemas;
3. the network policy allows exactly the flows docs/deployment.md lists, and each
   service the ConfigMap points at is one of them;
4. the pods are hardened as the issue asks (probes, non-root, read-only root, no
   capabilities, seccomp, secrets only by reference);
5. every .tf file parses (python-hcl2's grammar, as bundled with checkov).

Each check also runs once on a broken copy, which it must reject: a check that cannot fail
proves nothing.
"""

import copy
import glob
import json
import os
import subprocess
import sys
import urllib.parse

import hcl2
import jsonschema
import kubernetes_validate
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
K8S = os.path.join(ROOT, "infra", "k8s")
KUBERNETES_VERSION = "1.33"
CUSTOM_KINDS = {
    ("cert-manager.io/v1", "Certificate"): "certificate.json",
    ("cert-manager.io/v1", "Issuer"): "issuer.json",
    ("cilium.io/v2", "CiliumNetworkPolicy"): "ciliumnetworkpolicy.json",
    ("monitoring.coreos.com/v1", "ServiceMonitor"): "servicemonitor.json",
}
NAMESPACE_LABEL = "k8s:io.kubernetes.pod.namespace"
DNS = {("kube-system/kube-dns", "53/UDP"), ("kube-system/kube-dns", "53/TCP")}


def expected_flows(postgres):
    """The flows docs/deployment.md lists, as (component, direction, peer, port)."""
    api_egress = DNS | {
        (f"fqdn:{postgres}", "5432/TCP"),
        ("qdrant/qdrant", "6334/TCP"),
        ("ollama/ollama", "11434/TCP"),
        ("temporal/temporal", "7233/TCP"),
        ("observability/opentelemetry-collector", "4318/TCP"),
    }
    flows = {("api", "ingress", "ingress-nginx/ingress-nginx", "8443/TCP")}
    # The ServiceMonitor's scrape, to the plain metrics listener only.
    flows.add(("api", "ingress", "monitoring/prometheus", "9100/TCP"))
    flows |= {("api", "egress", peer, port) for peer, port in api_egress}
    flows |= {("migrate", "egress", peer, port) for peer, port in DNS | {(f"fqdn:{postgres}", "5432/TCP")}}
    return flows


def render(overlay):
    out = subprocess.run(
        ["kubectl", "kustomize", os.path.join(K8S, "overlays", overlay)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [d for d in yaml.safe_load_all(out) if d]


def schema_problems(docs):
    problems = []
    for doc in docs:
        key = (doc.get("apiVersion"), doc.get("kind"))
        where = f"{doc.get('kind')}/{doc.get('metadata', {}).get('name')}"
        try:
            if key in CUSTOM_KINDS:
                with open(os.path.join(K8S, "schemas", CUSTOM_KINDS[key])) as f:
                    jsonschema.validate(doc, json.load(f))
            else:
                kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.SchemaNotFoundError:
            problems.append(f"{where}: no schema for {key}")
        except (jsonschema.ValidationError, kubernetes_validate.ValidationError) as e:
            problems.append(f"{where}: {getattr(e, 'message', e)}")
    return problems


def peer_name(selector):
    labels = dict(selector.get("matchLabels", {}))
    namespace = labels.pop(NAMESPACE_LABEL, None)
    name = labels.get("app.kubernetes.io/name") or labels.get("k8s-app")
    return f"{namespace}/{name}" if namespace else f"(own namespace)/{name}"


def flows_of(docs):
    """What the Cilium policies allow, and anything they allow that has no fixed shape."""
    flows, problems = set(), []
    for doc in docs:
        if doc["kind"] != "CiliumNetworkPolicy":
            continue
        spec = doc["spec"]
        component = spec["endpointSelector"]["matchLabels"].get("app.kubernetes.io/component")
        for direction, peers_keys in (("ingress", ("fromEndpoints",)), ("egress", ("toEndpoints", "toFQDNs"))):
            for rule in spec.get(direction, []):
                loose = set(rule) - set(peers_keys) - {"toPorts"}
                if loose:
                    problems.append(f"{doc['metadata']['name']}: {direction} by {sorted(loose)}")
                if not rule.get("toPorts"):
                    problems.append(f"{doc['metadata']['name']}: a {direction} rule on every port")
                peers = [peer_name(s) for s in rule.get("fromEndpoints", []) + rule.get("toEndpoints", [])]
                peers += [f"fqdn:{f.get('matchName', '*' + f.get('matchPattern', ''))}" for f in rule.get("toFQDNs", [])]
                for to_ports in rule.get("toPorts", []):
                    for port in to_ports["ports"]:
                        for peer in peers:
                            flows.add((component, direction, peer, f"{port['port']}/{port.get('protocol', 'ANY')}"))
    return flows, problems


def policy_problems(docs):
    problems = []
    deny = [
        d for d in docs
        if d["kind"] == "NetworkPolicy"
        and d["spec"].get("podSelector") == {}
        and set(d["spec"].get("policyTypes", [])) == {"Ingress", "Egress"}
        and not d["spec"].get("ingress")
        and not d["spec"].get("egress")
    ]
    if len(deny) != 1:
        problems.append("no single default-deny NetworkPolicy over every pod")
    others = [d for d in docs if d["kind"] == "NetworkPolicy" and d not in deny]
    if others:
        problems.append(f"NetworkPolicies that allow something: {[d['metadata']['name'] for d in others]}")

    fqdns = {
        f["matchName"]
        for d in docs if d["kind"] == "CiliumNetworkPolicy"
        for r in d["spec"].get("egress", []) for f in r.get("toFQDNs", [])
        if "matchName" in f
    }
    if len(fqdns) != 1:
        return problems + [f"PostgreSQL must be one host name, not {sorted(fqdns)}"]
    flows, loose = flows_of(docs)
    problems += loose
    want = expected_flows(fqdns.pop())
    problems += [f"allowed but not listed: {f}" for f in sorted(flows - want)]
    problems += [f"listed but not allowed: {f}" for f in sorted(want - flows)]

    # Each workload is governed by exactly one Cilium policy.
    policies = [d for d in docs if d["kind"] == "CiliumNetworkPolicy"]
    for doc in docs:
        if doc["kind"] not in ("Deployment", "Job"):
            continue
        labels = doc["spec"]["template"]["metadata"]["labels"]
        governing = [
            p for p in policies
            if all(labels.get(k) == v for k, v in p["spec"]["endpointSelector"]["matchLabels"].items())
        ]
        if len(governing) != 1:
            problems.append(f"{doc['kind']}/{doc['metadata']['name']} is governed by {len(governing)} Cilium policies")

    # Every service the API is configured to reach is an allowed flow.
    config = next(d for d in docs if d["kind"] == "ConfigMap")["data"]
    for key in (
        "HELPDESK__VECTOR__QDRANT_URL",
        "HELPDESK__LLM__OLLAMA__URL",
        "HELPDESK__WORKFLOW__TEMPORAL__URL",
        "HELPDESK__TELEMETRY__OTLP_ENDPOINT",
    ):
        url = urllib.parse.urlsplit(config[key])
        namespace = url.hostname.split(".")[1]
        if not any(
            c == "api" and d == "egress" and p.startswith(f"{namespace}/") and port == f"{url.port}/TCP"
            for c, d, p, port in flows
        ):
            problems.append(f"{key} points at {url.hostname}:{url.port}, which no policy allows")
    return problems


def pod_problems(docs):
    problems = []
    for doc in docs:
        if doc["kind"] not in ("Deployment", "Job"):
            continue
        where = f"{doc['kind']}/{doc['metadata']['name']}"
        pod = doc["spec"]["template"]["spec"]
        if pod.get("automountServiceAccountToken") is not False:
            problems.append(f"{where}: mounts a service account token")
        if pod.get("securityContext", {}).get("seccompProfile", {}).get("type") != "RuntimeDefault":
            problems.append(f"{where}: no RuntimeDefault seccomp profile")
        for c in pod["containers"]:
            sc = c.get("securityContext", {})
            if not (sc.get("runAsNonRoot") and sc.get("readOnlyRootFilesystem")
                    and sc.get("allowPrivilegeEscalation") is False
                    and sc.get("capabilities", {}).get("drop") == ["ALL"]):
                problems.append(f"{where}/{c['name']}: not non-root, read-only, without capabilities")
            if not c.get("resources", {}).get("limits") or not c.get("resources", {}).get("requests"):
                problems.append(f"{where}/{c['name']}: no resource requests and limits")
            for env in c.get("env", []):
                if "value" in env and any(w in env["name"] for w in ("URL", "KEY", "SECRET", "TOKEN", "PASSWORD")):
                    problems.append(f"{where}/{c['name']}: {env['name']} is written in, not a Secret reference")
            if doc["kind"] == "Deployment":
                probes = {p: c.get(p, {}).get("httpGet", {}).get("path") for p in ("startupProbe", "livenessProbe", "readinessProbe")}
                if probes != {"startupProbe": "/health", "livenessProbe": "/health", "readinessProbe": "/ready"}:
                    problems.append(f"{where}/{c['name']}: probes {probes}")
    config = [d for d in docs if d["kind"] == "ConfigMap"]
    for d in config:
        for key in d.get("data", {}):
            if any(w in key for w in ("DATABASE__URL", "ADMIN_URL", "API_KEY", "TOKEN", "PASSWORD")):
                problems.append(f"ConfigMap holds a secret setting: {key}")
    return problems


def hcl_problems():
    problems = []
    files = sorted(glob.glob(os.path.join(ROOT, "infra", "terraform", "**", "*.tf"), recursive=True))
    if not files:
        problems.append("no .tf files")
    for path in files:
        try:
            with open(path) as f:
                hcl2.load(f)
        except Exception as e:  # the parser raises lark's many error types
            problems.append(f"{os.path.relpath(path, ROOT)}: {e}")
    return problems, len(files)


def must_reject(name, check, docs, mutate):
    broken = copy.deepcopy(docs)
    mutate(broken)
    if not check(broken):
        sys.exit(f"self-test: the {name} check accepted a broken copy")


def find(docs, kind, name=None):
    return next(d for d in docs if d["kind"] == kind and (name is None or d["metadata"]["name"] == name))


def main():
    failed = False
    for overlay in sorted(os.listdir(os.path.join(K8S, "overlays"))):
        docs = render(overlay)
        results = {
            "schemas": schema_problems(docs),
            "network policy": policy_problems(docs),
            "pods": pod_problems(docs),
        }
        for check, problems in results.items():
            for problem in problems:
                print(f"{overlay}: {check}: {problem}", file=sys.stderr)
            failed |= bool(problems)
        kinds = sorted({d["kind"] for d in docs})
        print(f"{overlay}: {len(docs)} manifests valid ({', '.join(kinds)}); flows as listed; pods hardened")

        must_reject("schema", schema_problems, docs,
                    lambda d: find(d, "Deployment")["spec"]["template"]["spec"]["containers"][0].update(readOnlyRootFilesytem=True))
        must_reject("custom schema", schema_problems, docs,
                    lambda d: find(d, "CiliumNetworkPolicy", "helpdesk-api")["spec"].update(egres=[]))
        must_reject("flow", policy_problems, docs,
                    lambda d: find(d, "CiliumNetworkPolicy", "helpdesk-api")["spec"]["egress"].append(
                        {"toEntities": ["world"], "toPorts": [{"ports": [{"port": "443", "protocol": "TCP"}]}]}))
        must_reject("flow", policy_problems, docs,
                    lambda d: find(d, "CiliumNetworkPolicy", "helpdesk-api")["spec"]["egress"].pop())
        must_reject("settings-to-flow", policy_problems, docs,
                    lambda d: find(d, "ConfigMap")["data"].update(HELPDESK__LLM__OLLAMA__URL="http://ollama.gpu.svc:11434"))
        must_reject("pod", pod_problems, docs,
                    lambda d: find(d, "Deployment")["spec"]["template"]["spec"]["containers"][0]["env"].append(
                        {"name": "HELPDESK__DATABASE__URL", "value": "postgres://u:p@h/db"}))
    problems, count = hcl_problems()
    for problem in problems:
        print(f"terraform: {problem}", file=sys.stderr)
    failed |= bool(problems)
    print(f"terraform: {count} .tf files parse")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
