"""Static checks of the deployment files in deploy/ (Dockerfile, compose, k8s, Prometheus, Grafana).

These need no Docker engine or cluster.  The promtool checks run `promtool` (Debian
package `prometheus`) and are skipped only when it is not installed.

After editing deploy/prometheus/rules.yml, regenerate the prometheus-operator copy:
    python tests/deploy/test_deploy_files.py --write-prometheusrule
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
# Our files only: deploy/kafka/ belongs to another component.
OWNED_DIRS = [DEPLOY / "k8s", DEPLOY / "prometheus", DEPLOY / "grafana"]
COMPOSE = DEPLOY / "compose.yaml"
DOCKERFILE = DEPLOY / "Dockerfile"
K8S = DEPLOY / "k8s"
PROM = DEPLOY / "prometheus"
RULES = PROM / "rules.yml"
PROMETHEUSRULE = K8S / "monitoring" / "prometheusrule.yaml"
DASHBOARD = DEPLOY / "grafana" / "dashboards" / "newsflow.json"

# The metrics the worker exports (product contract), without suffixes.
KNOWN_METRICS = {
    "newsflow_articles_consumed_total",
    "newsflow_articles_routed_total",
    "newsflow_duplicates_total",
    "newsflow_dead_letters_total",
    "newsflow_step_seconds",
    "newsflow_ingest_to_output_seconds",
    "newsflow_consumer_lag",
    "newsflow_worker_ready",
    "newsflow_dedup_index_articles",
}
HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")
METRIC_RE = re.compile(r"\bnewsflow_[a-z_]+")
ALERTS = {
    "NewsflowWorkerDown",
    "NewsflowDeadLettersRising",
    "NewsflowConsumerLagHigh",
    "NewsflowLatencyHigh",
    "NewsflowNotReady",
}
PROMTOOL = shutil.which("promtool")
needs_promtool = pytest.mark.skipif(
    PROMTOOL is None,
    reason="promtool not installed (apt-get install prometheus); CI installs it",
)


# ----------------------------------------------------------------------- helpers


def load_all(path: Path) -> list[Any]:
    """All YAML documents in a file, skipping empty ones."""
    return [d for d in yaml.safe_load_all(path.read_text()) if d is not None]


def yaml_files() -> list[Path]:
    files = [COMPOSE]
    for d in OWNED_DIRS:
        files += sorted(d.rglob("*.yaml")) + sorted(d.rglob("*.yml"))
    return files


def k8s_docs() -> list[tuple[Path, dict[str, Any]]]:
    """Every Kubernetes object under deploy/k8s (kustomization files excluded)."""
    out = []
    for path in sorted(K8S.rglob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        out += [(path, doc) for doc in load_all(path)]
    return out


def k8s_kind(kind: str) -> list[dict[str, Any]]:
    return [doc for _, doc in k8s_docs() if doc["kind"] == kind]


def statefulset() -> dict[str, Any]:
    (sts,) = k8s_kind("StatefulSet")
    return sts


def worker_container() -> dict[str, Any]:
    (container,) = statefulset()["spec"]["template"]["spec"]["containers"]
    return container


def configmap_data() -> dict[str, str]:
    (cm,) = k8s_kind("ConfigMap")
    return cm["data"]


def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())


def newsflow_services() -> dict[str, dict[str, Any]]:
    """Compose services that run the newsflow image (built from deploy/Dockerfile)."""
    return {
        name: svc
        for name, svc in compose()["services"].items()
        if "build" in svc or str(svc.get("image", "")).startswith("newsflow")
    }


def compose_worker_services() -> dict[str, dict[str, Any]]:
    return {n: s for n, s in newsflow_services().items() if s.get("command") == ["worker"]}


def setting_env_names() -> set[str]:
    """Every environment variable name workers.settings.Settings reads (upper-cased)."""
    from pydantic import AliasChoices

    from workers.settings import Settings

    prefix = Settings.model_config.get("env_prefix", "")
    names: set[str] = set()
    for field_name, field in Settings.model_fields.items():
        alias = field.validation_alias
        if isinstance(alias, AliasChoices):
            names |= {c for c in alias.choices if isinstance(c, str)}
        elif isinstance(alias, str):
            names.add(alias)
        else:
            names.add(f"{prefix}{field_name}")
        if field.alias:
            names.add(field.alias)
    return {n.upper() for n in names}


def rule_exprs(groups: list[dict[str, Any]]) -> list[str]:
    return [rule["expr"] for group in groups for rule in group["rules"]]


def dashboard() -> dict[str, Any]:
    return json.loads(DASHBOARD.read_text())


def dashboard_exprs() -> list[str]:
    exprs = [t["expr"] for p in dashboard()["panels"] for t in p.get("targets", [])]
    for var in dashboard()["templating"]["list"]:
        if var["type"] == "query":
            exprs.append(var["definition"])
    return exprs


def unknown_metrics(exprs: list[str]) -> set[str]:
    unknown = set()
    for expr in exprs:
        for name in METRIC_RE.findall(expr):
            base = name
            for suffix in HISTOGRAM_SUFFIXES:
                if name.endswith(suffix):
                    base = name[: -len(suffix)]
            if name not in KNOWN_METRICS and base not in KNOWN_METRICS:
                unknown.add(name)
    return unknown


def promtool(*args: str, cwd: Path = PROM) -> subprocess.CompletedProcess[str]:
    assert PROMTOOL is not None
    return subprocess.run(
        [PROMTOOL, *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def resolve_port(port: int | str, container: dict[str, Any]) -> int:
    """A probe/targetPort (number or name) resolved against the container's ports."""
    by_name = {p["name"]: p["containerPort"] for p in container.get("ports", []) if "name" in p}
    return by_name[port] if isinstance(port, str) else port


# ----------------------------------------------------------------- parsing files


@pytest.mark.parametrize("path", yaml_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_yaml_files_parse(path: Path) -> None:
    """Every deploy YAML file parses (all documents) and is not empty."""
    assert load_all(path), f"{path} has no YAML documents"


def test_dashboard_json_is_well_formed() -> None:
    """The Grafana dashboard parses, has a uid, unique panel ids, and every panel has a query."""
    dash = dashboard()
    assert dash["uid"] and dash["title"]
    ids = [p["id"] for p in dash["panels"]]
    assert len(ids) == len(set(ids)), "duplicate panel ids"
    for panel in dash["panels"]:
        assert panel.get("targets"), f"panel {panel['title']!r} has no query"
        for target in panel["targets"]:
            assert target["expr"].strip(), f"empty query in {panel['title']!r}"
            assert target["datasource"]["uid"] == "${datasource}"


def test_dashboard_covers_required_views() -> None:
    """The dashboard charts throughput, dedup, dead letters, latencies, lag, readiness and RSS."""
    text = "\n".join(dashboard_exprs())
    for metric in [
        "newsflow_articles_routed_total",
        "newsflow_duplicates_total",
        "newsflow_dead_letters_total",
        "newsflow_step_seconds_bucket",
        "newsflow_ingest_to_output_seconds_bucket",
        "newsflow_consumer_lag",
        "newsflow_worker_ready",
        "process_resident_memory_bytes",
    ]:
        assert metric in text, f"dashboard does not chart {metric}"


def test_grafana_provisioning_points_at_mounted_dirs() -> None:
    """Grafana's provider path and datasource uid match the compose mounts and the dashboard."""
    (provider,) = load_all(DEPLOY / "grafana/provisioning/dashboards/newsflow.yaml")[0]["providers"]
    mounts = compose()["services"]["grafana"]["volumes"]
    assert f"./grafana/dashboards:{provider['options']['path']}:ro" in mounts
    (ds,) = load_all(DEPLOY / "grafana/provisioning/datasources/prometheus.yaml")[0]["datasources"]
    datasource_var = next(v for v in dashboard()["templating"]["list"] if v["name"] == "datasource")
    assert datasource_var["current"]["value"] == ds["uid"]
    assert ds["url"] == "http://prometheus:9090" and "prometheus" in compose()["services"]


# ------------------------------------------------------------------- Dockerfile


def test_dockerfile_contract() -> None:
    """The image is multi-stage 3.11-slim, non-root, exposes 6066 and health-checks /healthz."""
    text = DOCKERFILE.read_text()
    froms = re.findall(r"^FROM\s+(\S+)", text, flags=re.M)
    assert len(froms) >= 2, "expected a multi-stage build"
    assert re.search(r"python:3\.11-slim", text)
    assert re.search(r"^USER\s+(?!root|0\b)\S+", text, flags=re.M), "must switch to a non-root user"
    assert re.search(r'^ENTRYPOINT\s+\["newsflow"\]', text, flags=re.M)
    assert re.search(r'^CMD\s+\["worker"\]', text, flags=re.M)
    assert re.search(r"^EXPOSE\s+6066\b", text, flags=re.M)
    healthcheck = re.search(r"^HEALTHCHECK.*?(?<!\\)\n", text, flags=re.M | re.S)
    assert healthcheck and "/healthz" in healthcheck.group(0)
    for env in re.findall(r"\b((?:NEWSFLOW|KAFKA)_[A-Z_]+)=", text):
        assert env in setting_env_names(), f"Dockerfile sets unknown setting {env}"


def _stage(text: str, name: str) -> str:
    """The instructions of the Dockerfile stage ``AS name``, up to the next FROM."""
    match = re.search(rf"^FROM\s+\S+\s+AS\s+{name}\s*$(.*?)(?=^FROM\s|\Z)", text, re.M | re.S)
    assert match, f"no stage named {name}"
    return match.group(1)


def test_dockerfile_build_stage_has_cargo_before_the_wheel() -> None:
    """The build stage takes the Rust toolchain from a rust image and puts cargo on PATH
    before it builds the wheel (the Rust core compiles during the build)."""
    text = DOCKERFILE.read_text()
    rust_image = re.search(r"^FROM\s+(\S+)\s+AS\s+rust\s*$", text, re.M)
    assert rust_image, "expected a stage named rust"
    assert "rust" in rust_image.group(1).lower()
    build = _stage(text, "build")
    toolchain = build.find("COPY --from=rust /usr/local/cargo")
    path = re.search(r"PATH=/usr/local/cargo/bin:", build)
    wheel = build.find("pip wheel")
    assert 0 <= toolchain < wheel and path and path.start() < wheel
    assert "cargo" not in _stage(text, "runtime"), "the toolchain must stay out of the runtime"


def test_dockerignore_keeps_local_build_outputs_out() -> None:
    """The docker build context leaves out cargo's target directory and locally built modules."""
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {"workers/native/target/", "workers/_native*.so", ".venv/"} <= ignored


# ------------------------------------------------------------------- Kubernetes


def test_k8s_objects_have_identity() -> None:
    """Every Kubernetes document has apiVersion, kind and metadata.name."""
    docs = k8s_docs()
    assert docs
    for path, doc in docs:
        where = f"{path.relative_to(ROOT)}: {doc.get('kind')}"
        assert doc.get("apiVersion"), where
        assert doc.get("kind"), where
        assert doc.get("metadata", {}).get("name"), where


def test_kustomizations_list_every_manifest() -> None:
    """Each kustomization.yaml lists exactly the manifest files in its directory."""
    for kfile in sorted(K8S.rglob("kustomization.yaml")):
        kust = load_all(kfile)[0]
        listed = set(kust["resources"])
        present = {p.name for p in kfile.parent.glob("*.yaml") if p.name != "kustomization.yaml"}
        assert listed == present, f"{kfile.relative_to(ROOT)}: {listed ^ present}"


def test_kustomize_builds() -> None:
    """`kubectl kustomize` renders both kustomizations (skipped when kubectl is absent)."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl not installed")
    for kfile in sorted(K8S.rglob("kustomization.yaml")):
        res = subprocess.run(
            [kubectl, "kustomize", str(kfile.parent)], capture_output=True, text=True, timeout=60
        )
        assert res.returncode == 0, res.stderr


def test_statefulset_probes_hit_health_endpoints_on_exposed_port() -> None:
    """Liveness hits /healthz and readiness /readyz on the exposed NEWSFLOW_WEB_PORT."""
    container = worker_container()
    web_port = int(configmap_data()["NEWSFLOW_WEB_PORT"])
    exposed = {p["containerPort"] for p in container["ports"]}
    assert web_port in exposed
    live, ready = container["livenessProbe"]["httpGet"], container["readinessProbe"]["httpGet"]
    assert live["path"] == "/healthz"
    assert ready["path"] == "/readyz"
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        if probe in container:
            assert resolve_port(container[probe]["httpGet"]["port"], container) == web_port, probe
    annotations = statefulset()["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true"
    assert int(annotations["prometheus.io/port"]) == web_port
    assert annotations["prometheus.io/path"] == "/metrics"


def test_statefulset_keeps_state_and_identity() -> None:
    """Two replicas mount the PVC at NEWSFLOW_DATA_DIR; the pod name is NEWSFLOW_WORKER_NAME."""
    sts = statefulset()
    assert sts["spec"]["replicas"] == 2
    services = {s["metadata"]["name"]: s for s in k8s_kind("Service")}
    assert services[sts["spec"]["serviceName"]]["spec"]["clusterIP"] == "None"
    (claim,) = sts["spec"]["volumeClaimTemplates"]
    mounts = {m["name"]: m["mountPath"] for m in worker_container()["volumeMounts"]}
    assert mounts[claim["metadata"]["name"]] == configmap_data()["NEWSFLOW_DATA_DIR"]
    env = {e["name"]: e for e in worker_container()["env"]}
    assert env["NEWSFLOW_WORKER_NAME"]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.name"


def test_statefulset_is_hardened_and_sized() -> None:
    """The worker runs non-root, unprivileged, with CPU/memory requests and a memory limit."""
    pod = statefulset()["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] != 0
    container = worker_container()
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert container["securityContext"]["capabilities"]["drop"] == ["ALL"]
    assert {"cpu", "memory"} <= set(container["resources"]["requests"])
    assert "memory" in container["resources"]["limits"]


def test_services_and_pdb_select_the_worker_pods() -> None:
    """Service selectors/ports and the PDB selector match the StatefulSet's pods."""
    pod_labels = statefulset()["spec"]["template"]["metadata"]["labels"]
    container = worker_container()
    for svc in k8s_kind("Service"):
        assert svc["spec"]["selector"].items() <= pod_labels.items(), svc["metadata"]["name"]
        for port in svc["spec"]["ports"]:
            assert resolve_port(port["targetPort"], container) in {
                p["containerPort"] for p in container["ports"]
            }
    (pdb,) = k8s_kind("PodDisruptionBudget")
    assert pdb["spec"]["selector"]["matchLabels"].items() <= pod_labels.items()


def test_secret_references_resolve() -> None:
    """Secret keys the StatefulSet reads (env and volumes) exist in the Secret template."""
    secrets = {s["metadata"]["name"]: s for s in k8s_kind("Secret")}
    sts_pod = statefulset()["spec"]["template"]["spec"]
    for e in worker_container()["env"]:
        ref = e.get("valueFrom", {}).get("secretKeyRef")
        if ref:
            assert ref["key"] in secrets[ref["name"]]["stringData"], e["name"]
    for vol in sts_pod["volumes"]:
        if "secret" in vol:
            data = secrets[vol["secret"]["secretName"]]["stringData"]
            assert {i["key"] for i in vol["secret"].get("items", [])} <= set(data)
    assert worker_container()["envFrom"][0]["configMapRef"]["name"] in {
        c["metadata"]["name"] for c in k8s_kind("ConfigMap")
    }


def test_k8s_env_names_are_real_settings() -> None:
    """Every k8s worker env var (ConfigMap keys and env) is a Settings field or alias."""
    known = setting_env_names()
    names = set(configmap_data()) | {e["name"] for e in worker_container()["env"]}
    assert names - known == set()
    assert "KAFKA_SASL_PASSWORD" not in configmap_data(), "the password belongs in the Secret"


def test_prometheusrule_matches_rules_file() -> None:
    """The operator PrometheusRule carries exactly the groups of deploy/prometheus/rules.yml."""
    (rule,) = load_all(PROMETHEUSRULE)
    assert rule["kind"] == "PrometheusRule"
    assert rule["spec"]["groups"] == load_all(RULES)[0]["groups"], (
        "regenerate: python tests/deploy/test_deploy_files.py --write-prometheusrule"
    )


# ---------------------------------------------------------------------- compose


def test_compose_env_names_are_real_settings() -> None:
    """Env vars on services running the newsflow image are fields or aliases of Settings."""
    known = setting_env_names()
    for name, svc in newsflow_services().items():
        env = svc.get("environment", {})
        keys = set(env) if isinstance(env, dict) else {e.split("=", 1)[0] for e in env}
        assert keys - known == set(), name


def test_compose_references_existing_files() -> None:
    """Build contexts, Dockerfiles and bind-mount sources in compose.yaml exist in the repo."""
    base = COMPOSE.parent
    for name, svc in compose()["services"].items():
        if "build" in svc:
            context = (base / svc["build"]["context"]).resolve()
            assert context.is_dir(), name
            assert (context / svc["build"].get("dockerfile", "Dockerfile")).is_file(), name
        for volume in svc.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith((".", "/")):  # bind mount, not a named volume
                assert (base / source).exists(), f"{name}: {source}"
            else:
                assert source in compose().get("volumes", {}), f"{name}: undeclared volume {source}"


def test_compose_dependencies_are_satisfiable() -> None:
    """depends_on targets exist and service_healthy targets have a healthcheck."""
    services = compose()["services"]
    for name, svc in services.items():
        for dep, spec in svc.get("depends_on", {}).items():
            assert dep in services, f"{name} -> {dep}"
            if spec["condition"] == "service_healthy":
                hc = services[dep].get("healthcheck", {})
                uses_image_hc = "build" in services[dep]  # Dockerfile HEALTHCHECK
                has_check = hc.get("test") or uses_image_hc
                assert has_check and not hc.get("disable"), f"{name} -> {dep}"
    assert services["replay"]["command"] == ["replay", "/app/seeds"]
    assert services["replay"]["restart"] == "no"


def test_compose_runs_two_workers_with_separate_state() -> None:
    """Compose runs two workers with distinct names and state volumes, beside KRaft Kafka 4.1.1."""
    workers = compose_worker_services()
    replicas = sum(s.get("deploy", {}).get("replicas", 1) for s in workers.values())
    assert replicas >= 2
    if len(workers) >= 2:
        names = {s["environment"]["NEWSFLOW_WORKER_NAME"] for s in workers.values()}
        volumes = {v for s in workers.values() for v in s["volumes"]}
        assert len(names) == len(workers) and len(volumes) == len(workers)
    kafka = compose()["services"]["kafka"]
    assert kafka["image"] == "apache/kafka:4.1.1"
    assert "controller" in kafka["environment"]["KAFKA_PROCESS_ROLES"]


def test_prometheus_scrapes_every_compose_worker() -> None:
    """prometheus.yml's newsflow job targets each compose worker on 6066 and loads rules.yml."""
    config = load_all(PROM / "prometheus.yml")[0]
    (job,) = [j for j in config["scrape_configs"] if j["job_name"] == "newsflow"]
    targets = {t for sc in job["static_configs"] for t in sc["targets"]}
    assert targets == {f"{name}:6066" for name in compose_worker_services()}
    assert "rules.yml" in config["rule_files"]
    mounts = compose()["services"]["prometheus"]["volumes"]
    assert "./prometheus/rules.yml:/etc/prometheus/rules.yml:ro" in mounts


# ------------------------------------------------------------------- Prometheus


def test_rules_and_dashboard_use_only_known_metrics() -> None:
    """Every newsflow_* metric in rules, PrometheusRule and dashboard is one the worker exports."""
    assert unknown_metrics(rule_exprs(load_all(RULES)[0]["groups"])) == set()
    assert unknown_metrics(rule_exprs(load_all(PROMETHEUSRULE)[0]["spec"]["groups"])) == set()
    assert unknown_metrics(dashboard_exprs()) == set()


def test_alerts_are_complete() -> None:
    """The five required alerts exist, each with `for:`, severity, summary and description."""
    rules = [r for g in load_all(RULES)[0]["groups"] for r in g["rules"] if "alert" in r]
    assert {r["alert"] for r in rules} == ALERTS
    for rule in rules:
        assert rule.get("for"), rule["alert"]
        assert rule["labels"]["severity"] in {"warning", "critical"}
        assert {"summary", "description"} <= set(rule["annotations"])


def test_every_alert_has_firing_and_silent_unit_tests() -> None:
    """rules.test.yml has, for every alert, a case where it fires and one where it stays silent."""
    tests = load_all(PROM / "rules.test.yml")[0]["tests"]
    fires, silent = set(), set()
    for case in tests:
        for check in case.get("alert_rule_test", []):
            (fires if check.get("exp_alerts") else silent).add(check["alertname"])
    assert fires >= ALERTS, ALERTS - fires
    assert silent >= ALERTS, ALERTS - silent


@needs_promtool
def test_promtool_check_config() -> None:
    """`promtool check config` accepts prometheus.yml (and the rule file it loads)."""
    res = promtool("check", "config", "prometheus.yml")
    assert res.returncode == 0, res.stdout + res.stderr


@needs_promtool
def test_promtool_check_rules() -> None:
    """`promtool check rules` accepts rules.yml."""
    res = promtool("check", "rules", "rules.yml")
    assert res.returncode == 0, res.stdout + res.stderr


@needs_promtool
def test_promtool_test_rules() -> None:
    """`promtool test rules` passes: alerts fire and stay silent as rules.test.yml expects."""
    res = promtool("test", "rules", "rules.test.yml")
    assert res.returncode == 0, res.stdout + res.stderr


@needs_promtool
def test_dashboard_queries_are_valid_promql(tmp_path: Path) -> None:
    """Every dashboard query parses as PromQL once Grafana variables are substituted."""
    substitutions = {"$__rate_interval": "1m", "$job": ".*", "$instance": ".*"}
    rules = []
    for i, expr in enumerate(e for e in dashboard_exprs() if not e.startswith("label_values")):
        for var, value in substitutions.items():
            expr = expr.replace(var, value)
        assert "$" not in expr, f"unsubstituted variable in {expr}"
        rules.append({"record": f"dashboard:query_{i}", "expr": expr})
    path = tmp_path / "dashboard-rules.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    res = promtool("check", "rules", str(path), cwd=tmp_path)
    assert res.returncode == 0, res.stdout + res.stderr


# ------------------------------------------------------------------------ tools


def write_prometheusrule() -> None:
    """Regenerate deploy/k8s/monitoring/prometheusrule.yaml from deploy/prometheus/rules.yml."""

    class Dumper(yaml.SafeDumper):
        pass

    def str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, str_presenter)
    doc = {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PrometheusRule",
        "metadata": {"name": "newsflow", "labels": {"app.kubernetes.io/name": "newsflow"}},
        "spec": {"groups": load_all(RULES)[0]["groups"]},
    }
    header = (
        "# GENERATED copy of deploy/prometheus/rules.yml for prometheus-operator (comments\n"
        "# live there).  tests/deploy/test_deploy_files.py fails if the two differ; after\n"
        "# editing rules.yml regenerate with:\n"
        "#   python tests/deploy/test_deploy_files.py --write-prometheusrule\n"
    )
    PROMETHEUSRULE.write_text(header + yaml.dump(doc, Dumper=Dumper, sort_keys=False, width=100))


if __name__ == "__main__":
    if sys.argv[1:] == ["--write-prometheusrule"]:
        write_prometheusrule()
    else:
        sys.exit("usage: python tests/deploy/test_deploy_files.py --write-prometheusrule")
