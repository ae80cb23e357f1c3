#!/usr/bin/env bash
# The Event-Driven Ansible stage (docs/eda.md): the runcloud.cloud.fleet event source and the
# collection's rulebooks run by the real ansible-rulebook (Java 17 runtime) against the API
# simulator, with the collection installed from the tarball `make build` makes, as a user would.
#
#   1. a Java 17 runtime (Debian's openjdk-17-jre-headless, installed with apt-get when missing and
#      running as root), the venv .venvs/eda (tests/requirements-eda.txt);
#   2. the decision environment definition checked with `ansible-builder create`;
#   3. `make build`'s tarball installed with ansible-galaxy into a temporary collections path;
#   4. tests/eda/rulebook_scenario.py (pytest): fleet_healing.yml under ansible-rulebook while the
#      test changes the simulator's state, then an API outage.
#
#   tests/eda/run-eda.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=tests/lib/bootstrap.sh
source "$ROOT/tests/lib/bootstrap.sh"
VENV="$ROOT/.venvs/eda"

# ensure_java17 : ansible-rulebook's rule engine (Drools, through jpy) needs a Java 17+ runtime.
ensure_java17() {
    local apt_log
    local -a apt=(apt-get -y -q -o DPkg::Lock::Timeout=300)
    if java_version_ok; then
        return 0
    fi
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        rc_die "ansible-rulebook needs Java 17 or newer (java on PATH or JAVA_HOME); install openjdk-17-jre-headless"
    fi
    rc_log "installing openjdk-17-jre-headless (ansible-rulebook needs Java 17)"
    apt_log="$(mktemp "${TMPDIR:-/tmp}/runcloud-apt-java.XXXXXX")"
    if ! DEBIAN_FRONTEND=noninteractive "${apt[@]}" install openjdk-17-jre-headless > "$apt_log" 2>&1; then
        { "${apt[@]}" update && DEBIAN_FRONTEND=noninteractive "${apt[@]}" install openjdk-17-jre-headless; } > "$apt_log" 2>&1 || true
    fi
    if ! java_version_ok; then
        sed 's/^/    /' "$apt_log" >&2
        rm -f "$apt_log"
        rc_die "apt-get could not install openjdk-17-jre-headless"
    fi
    rm -f "$apt_log"
}

java_version_ok() {
    local java="java" major
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
        java="$JAVA_HOME/bin/java"
    fi
    command -v "$java" >/dev/null 2>&1 || return 1
    major="$("$java" -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -n1)"
    [ -n "$major" ] && [ "$major" -ge 17 ]
}

# check_decision_environment : the definition must give ansible-builder a build context that installs
# ansible-rulebook, a Java 17 runtime and the collection.
check_decision_environment() {
    local context="$WORK/decision-environment"
    "$VENV/bin/ansible-builder" create -f "$ROOT/extensions/eda/decision-environment.yml" -c "$context" \
        --output-filename Containerfile > "$WORK/ansible-builder.out" 2>&1 \
        || { cat "$WORK/ansible-builder.out" >&2; rc_die "ansible-builder create failed for extensions/eda/decision-environment.yml"; }
    grep -q '^ansible-rulebook' "$context/_build/requirements.txt" || rc_die "the decision environment does not install ansible-rulebook"
    grep -q '^java-17-openjdk' "$context/_build/bindep.txt" || rc_die "the decision environment does not install Java 17"
    grep -q 'name: runcloud.cloud' "$context/_build/requirements.yml" || rc_die "the decision environment does not install runcloud.cloud"
    grep -q 'ansible-core' "$context/Containerfile" || rc_die "the decision environment does not install ansible-core"
    rc_log "decision environment: ansible-builder create made $context/Containerfile"
}

start="$(date +%s)"
ensure_java17
java_seconds=$(( $(date +%s) - start ))
rc_ensure_venv "$VENV" 3.11 "$ROOT/tests/requirements-eda.txt"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/runcloud-eda.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

check_decision_environment

mkdir -p "$WORK/dist" "$WORK/collections"
rc_build_collection "$ROOT" "$WORK/dist" > "$WORK/build.out" 2>&1 || { cat "$WORK/build.out" >&2; rc_die "make build failed"; }
"$VENV/bin/ansible-galaxy" collection install --offline -p "$WORK/collections" "$WORK"/dist/runcloud-cloud-*.tar.gz \
    > "$WORK/install.out" 2>&1 || { cat "$WORK/install.out" >&2; rc_die "ansible-galaxy could not install the built tarball"; }
rc_log "installed $(basename "$WORK"/dist/runcloud-cloud-*.tar.gz) into $WORK/collections"
# ansible-rulebook finds collections with `ansible-galaxy collection list`: it must see this copy only.
listing="$(ANSIBLE_COLLECTIONS_PATH="$WORK/collections" "$VENV/bin/ansible-galaxy" collection list runcloud.cloud 2>/dev/null || true)"
if [ "$(grep -c '^# ' <<< "$listing")" != 1 ] || ! grep -qx "# $WORK/collections/ansible_collections" <<< "$listing"; then
    printf '%s\n' "$listing" >&2
    rc_die "ansible-galaxy does not list the installed tarball as the only runcloud.cloud"
fi

RUNCLOUD_EDA_COLLECTIONS="$WORK/collections" PATH="$VENV/bin:$PATH" \
    "$VENV/bin/python" -m pytest -p no:cacheprovider -q "$ROOT/tests/eda/rulebook_scenario.py"
rc_log "eda stage: $(( $(date +%s) - start ))s (Java check/install ${java_seconds}s)"
