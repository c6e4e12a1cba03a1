"""The GitHub Actions workflows, read as YAML: least privilege, pinned actions, what each job runs.

Also the files GitHub Pages needs in the output (.nojekyll; CNAME only for a custom domain).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO, FixtureSite

WORKFLOWS = REPO / ".github" / "workflows"
PIN = re.compile(r"^\s*(?:-\s*)?uses:\s*(?P<action>[\w.-]+/[\w./-]+)@(?P<ref>\S+)(?P<rest>.*)$")


def load(name: str) -> dict[str, Any]:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    """The 'on:' mapping (PyYAML reads the bare key `on` as the boolean True)."""
    value = workflow.get(True, workflow.get("on"))
    return value if isinstance(value, dict) else {name: None for name in ([value] if isinstance(value, str) else value)}


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return job["steps"]


def step_using(job: dict[str, Any], action: str) -> dict[str, Any]:
    found = [s for s in steps(job) if s.get("uses", "").split("@")[0] == action]
    assert len(found) == 1, f"expected one {action} step"
    return found[0]


def runs(job: dict[str, Any]) -> list[str]:
    return [s["run"] for s in steps(job) if "run" in s]


@pytest.fixture(scope="module", params=sorted(p.name for p in WORKFLOWS.glob("*.yml")))
def workflow_file(request: pytest.FixtureRequest) -> Path:
    return WORKFLOWS / request.param


def test_both_workflows_exist() -> None:
    assert {p.name for p in WORKFLOWS.glob("*.y*ml")} >= {"pages.yml", "pr.yml"}


def test_every_action_is_pinned_to_a_full_commit_sha(workflow_file: Path) -> None:
    uses = [PIN.match(line) for line in workflow_file.read_text(encoding="utf-8").splitlines()
            if re.match(r"^\s*(-\s*)?uses:", line)]
    assert uses, workflow_file
    for m in uses:
        assert m, f"unreadable uses: line in {workflow_file.name}"
        assert re.fullmatch(r"[0-9a-f]{40}", m["ref"]), f"{m['action']} is not pinned to a commit SHA"
        assert re.fullmatch(r"\s*# v\d+\.\d+\.\d+", m["rest"]), f"{m['action']} lacks its '# vX.Y.Z' comment"
        assert m["action"].startswith("actions/"), f"{m['action']}: only GitHub's own actions are used"


def test_the_same_action_has_the_same_pin_everywhere() -> None:
    pins: dict[str, set[str]] = {}
    for path in WORKFLOWS.glob("*.yml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            m = PIN.match(line)
            if m:
                pins.setdefault(m["action"], set()).add(m["ref"])
    assert all(len(refs) == 1 for refs in pins.values()), pins


def test_no_dangerous_triggers_or_expression_injection(workflow_file: Path) -> None:
    workflow = load(workflow_file.name)
    assert "pull_request_target" not in triggers(workflow)
    assert "workflow_run" not in triggers(workflow)
    for name, job in workflow["jobs"].items():
        for run in runs(job):
            assert "${{" not in run, f"{workflow_file.name}:{name}: pass expressions to run: through env:"
        for step in steps(job):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step.get("with", {}).get("persist-credentials") is False


def test_python_version_is_a_string(workflow_file: Path) -> None:
    for job in load(workflow_file.name)["jobs"].values():
        for step in steps(job):
            if step.get("uses", "").startswith("actions/setup-python@"):
                assert step["with"]["python-version"] == "3.11"


# --- the Pages workflow -------------------------------------------------------------------

def test_pages_triggers_permissions_and_concurrency() -> None:
    wf = load("pages.yml")
    assert triggers(wf) == {"push": {"branches": ["main"]}, "workflow_dispatch": None,
                            "schedule": [{"cron": "5 17 * * *"}]}  # 00:05 in Asia/Jakarta (UTC+7)
    assert wf["permissions"] == {"contents": "read"}
    assert wf["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert set(wf["jobs"]) == {"build", "deploy"}


def test_pages_build_job_checks_builds_with_the_reported_base_url_and_uploads_only_output() -> None:
    build = load("pages.yml")["jobs"]["build"]
    assert "permissions" not in build  # inherits contents: read
    names = [s.get("uses", "").split("@")[0] or s.get("run", "") for s in steps(build)]
    configure = step_using(build, "actions/configure-pages")
    assert configure["id"] == "pages"
    build_step = next(s for s in steps(build) if "python build.py build" in s.get("run", ""))
    assert build_step["env"]["BASE_URL"] == "${{ steps.pages.outputs.base_url }}"
    assert '--base-url "$BASE_URL/"' in build_step["run"]  # configure-pages gives no trailing slash
    assert "--output output" in build_step["run"]
    upload = step_using(build, "actions/upload-pages-artifact")
    assert upload["with"] == {"path": "output", "include-hidden-files": True}
    check = names.index("python build.py check --format github")
    assert check < names.index("actions/configure-pages") < names.index(build_step["run"]) \
        < names.index("actions/upload-pages-artifact")
    assert "python -m pip install -r requirements.txt" in runs(build)


def test_pages_deploy_job_alone_may_write_to_pages() -> None:
    deploy = load("pages.yml")["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"] == {"name": "github-pages",
                                     "url": "${{ steps.deployment.outputs.page_url }}"}
    step = step_using(deploy, "actions/deploy-pages")
    assert step["id"] == "deployment"
    assert [s.get("uses", "").split("@")[0] for s in steps(deploy)] == ["actions/deploy-pages"]


# --- the pull-request workflow ------------------------------------------------------------

def test_pr_workflow_checks_with_annotations_and_runs_the_tests() -> None:
    wf = load("pr.yml")
    assert set(triggers(wf)) == {"pull_request"}
    assert wf["permissions"] == {"contents": "read"}
    jobs = wf["jobs"]
    assert all("permissions" not in job for job in jobs.values())
    check_runs = [r for job in jobs.values() for r in runs(job)]
    assert "python build.py check --format github" in check_runs
    test = next(job for job in jobs.values() if ".ci/run" in runs(job))
    assert test["container"].startswith("debian:")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    command = re.search(r"^ {4}(.*python3 -m venv .venv && .*-r requirements-test\.txt.*pytest)$",
                        readme, flags=re.MULTILINE)
    assert command and command.group(1) in ci, "the CI entry runs the README's test command"
    assert "apt-get install" in ci and "chromium" in ci


# --- files GitHub Pages needs in the output ---------------------------------------------

def test_output_has_nojekyll_and_no_cname_on_github_io(built: FixtureSite) -> None:
    assert (built.output / ".nojekyll").read_bytes() == b""
    assert not (built.output / "CNAME").exists()


@pytest.mark.parametrize("base_url, cname", [
    ("https://smartcity.komdigi.go.id/", b"smartcity.komdigi.go.id\n"),
    ("https://lain.example/jalur/", None),
    ("http://127.0.0.1:8000/kota-cerdas/", None),
])
def test_cname_only_for_a_custom_domain(site: FixtureSite, base_url: str, cname: bytes | None) -> None:
    result = site.run("build", "--base-url", base_url)
    assert result.returncode == 0, result.stderr
    path = site.output / "CNAME"
    assert (path.read_bytes() if path.exists() else None) == cname
    assert (site.output / ".nojekyll").is_file()


def test_pages_build_cache_keeps_the_key_its_entries_are_signed_with(monkeypatch) -> None:
    """Without the key (kotacerdas/build/cache.py, key_path) nothing restored would verify."""
    from kotacerdas.build import cache

    restore = step_using(load("pages.yml")["jobs"]["build"], "actions/cache")
    monkeypatch.delenv(cache.KEY_ENV, raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert restore["with"]["path"].split() == [".build-cache", "~/.cache/kotacerdas"]
    assert cache.key_path().parent == Path("~/.cache/kotacerdas").expanduser()


# --- what keeps the build cache safe to restore (README, "build") ---------------------------------

BASE_SCOPE = frozenset({"pull_request_target", "workflow_run", "issue_comment",
                        "pull_request_review", "pull_request_review_comment", "discussion_comment"})
"""Triggers whose runs have the default branch's scope (its caches, its token, its secrets) while
a contributor decides what they see: a pull request's code or text, or a comment."""


def contributor_code_in_base_scope(workflow: dict[str, Any]) -> list[str]:
    """What a workflow does that could run a contributor's code in the default branch's scope:
    with a BASE_SCOPE trigger, any checkout, shell step or local action (the code of the pull
    request or of a branch it names could be what runs). Empty when there is nothing."""
    scoped = sorted(BASE_SCOPE & set(triggers(workflow)))
    if not scoped:
        return []
    found = []
    for name, job in workflow.get("jobs", {}).items():
        if "uses" in job:
            found.append(f"job {name} calls the workflow {job['uses']}")
        for step in job.get("steps", []):
            uses = str(step.get("uses", ""))
            if uses.startswith(("actions/checkout@", "./")) or "run" in step:
                found.append(f"job {name}: {uses or 'run: ' + str(step['run']).splitlines()[0]}")
    return [f"on {', '.join(scoped)}: {what}" for what in found]


def test_no_workflow_runs_contributor_code_in_the_default_branch_scope(workflow_file: Path) -> None:
    """The Pages workflow restores a build cache that holds code (Jinja2's compiled templates):
    sound only while every cache in the default branch's scope was written by code of that
    branch. A workflow that checks out or runs a pull request's code in that scope could write
    one. If such a workflow is ever needed, see README ("build") first."""
    assert contributor_code_in_base_scope(load(workflow_file.name)) == []


PLANTED = {
    "target.yml": """\
on: pull_request_target
jobs:
  build:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v6
        with: {ref: "${{ github.event.pull_request.head.sha }}"}
""",
    "comment.yml": """\
on:
  issue_comment:
    types: [created]
jobs:
  build:
    runs-on: ubuntu-24.04
    steps:
      - run: gh pr checkout ${{ github.event.issue.number }} && python build.py build
""",
    "after.yml": """\
on:
  workflow_run:
    workflows: [Periksa perubahan]
    types: [completed]
jobs:
  build:
    uses: ./.github/workflows/build.yml
""",
    "review.yml": """\
on: [push, pull_request_review_comment]
jobs:
  build:
    runs-on: ubuntu-24.04
    steps:
      - uses: ./.github/actions/build
""",
}


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_a_planted_workflow_that_runs_contributor_code_is_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(PLANTED[name], encoding="utf-8")
    assert contributor_code_in_base_scope(yaml.safe_load(path.read_text(encoding="utf-8")))


def test_a_base_scope_workflow_that_runs_no_code_passes() -> None:
    labeler = yaml.safe_load("on: pull_request_target\njobs:\n  label:\n    runs-on: ubuntu-24.04\n"
                             "    steps:\n      - uses: actions/labeler@v6\n")
    assert contributor_code_in_base_scope(labeler) == []


ZIZMOR = Path(sys.executable).parent / "zizmor"
"""Installed from requirements-test.txt beside this Python (CI: .ci/run's .venv)."""
ZIZMOR_ACCEPTED = {
    ("unpinned-images", "pr.yml"):
        "the test job's debian:bookworm container runs only on pull_request (read-only token, no "
        "secrets), writes no cache and publishes nothing; a digest pin would hold back Debian's "
        "security updates until someone moved it",
}
"""Findings reviewed and accepted, by (audit, workflow file), each with why."""


def zizmor(*files: Path) -> list[tuple[str, str]]:
    """(audit, file name) of every finding of zizmor's offline audits over ``files``, with the
    auditor persona (everything it can see, false positives included)."""
    result = subprocess.run([str(ZIZMOR), "--offline", "--no-config", "--no-exit-codes",
                             "--strict-collection", "--persona", "auditor", "--format", "json",
                             *map(str, files)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return sorted({(finding["ident"], Path(location["symbolic"]["key"]["Local"]
                                           ["verbatim_path"]).name)
                   for finding in json.loads(result.stdout)
                   for location in finding["locations"][:1]})


def test_zizmor_finds_nothing_in_our_workflows_but_what_was_accepted() -> None:
    files = sorted(WORKFLOWS.glob("*.y*ml"))
    assert set(zizmor(*files)) == set(ZIZMOR_ACCEPTED)


def test_zizmor_finds_cache_poisoning_and_dangerous_triggers_in_planted_workflows(
        tmp_path: Path) -> None:
    """The audit that matters here, proved to see: a release workflow that restores a cache,
    and a pull_request_target workflow that checks out the pull request's code."""
    pages = load("pages.yml")
    release = {**pages, "on": {"push": {"tags": ["v*"]}}}
    release.pop(True, None)
    (tmp_path / "release.yml").write_text(yaml.safe_dump(release), encoding="utf-8")
    (tmp_path / "target.yml").write_text(PLANTED["target.yml"].replace(
        "@v6", "@de0fac2e4500dabe0009e67214ff5f5447ce83dd # v6.0.2"), encoding="utf-8")
    found = zizmor(tmp_path / "release.yml", tmp_path / "target.yml")
    assert ("cache-poisoning", "release.yml") in found
    assert ("dangerous-triggers", "target.yml") in found
