#!/usr/bin/env bash
# The monitoring config as code: Prometheus' scrape config and alert rules are valid, every
# alert's unit tests pass (promtool, from Debian's prometheus package), and every metric the
# rules and the Grafana dashboard name is one the service registers.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

command -v promtool >/dev/null || die "promtool missing: install Debian's prometheus package"
promtool check config infra/prometheus/prometheus.yml >/dev/null
promtool check rules infra/prometheus/alerts.yml >/dev/null
promtool test rules infra/prometheus/alerts_test.yml >/dev/null
log "promtool: config, rules and rule tests pass"

python3 - <<'PY'
import json, pathlib, re, sys

src = "\n".join(p.read_text() for p in pathlib.Path("src").rglob("*.rs"))
registered = set(re.findall(r'(?:Opts|IntCounter|IntGauge|Gauge)::new\(\s*"([a-z][a-z0-9_]*)"', src))
dashboard = json.loads(pathlib.Path("infra/grafana/dashboards/helpdesk.json").read_text())
exprs = [t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])]
exprs.append(pathlib.Path("infra/prometheus/alerts.yml").read_text())
named = set()
for expr in exprs:
    for name in re.findall(r"\b([a-z][a-z0-9_]*_(?:total|seconds|bucket|ready))\b", expr):
        named.add(re.sub(r"_bucket$", "", name))
unknown = sorted(n for n in named if n not in registered)
if unknown:
    sys.exit(f"prometheus_check: rules or dashboard name metrics the service does not register: {unknown}")
print(f"prometheus_check: {len(named)} metrics named by the rules and the dashboard, all registered")
PY
