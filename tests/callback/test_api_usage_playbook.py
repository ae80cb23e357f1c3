# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The runcloud.cloud.api_usage callback under a real ansible-playbook: what it shows at the end of
examples/fleet.yml must be what the simulator's own request log holds (requests, writes, per host, the
rate-limit headroom of the last answer), retries included, and never the token."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'inventory'))

import inventory_harness as harness  # noqa: E402  pylint: disable=wrong-import-position

REPO_ROOT = harness.REPO_ROOT
FLEET = os.path.join(REPO_ROOT, 'examples', 'fleet.yml')
FLEET_INVENTORY = os.path.join(REPO_ROOT, 'examples', 'fleet.runcloud.yml')
RATE_LIMIT = 100000
SERVERS = 5
LINE = re.compile(r'^(?P<label>\S.*?)\s+: requests=(?P<requests>\d+)\s+writes=(?P<writes>\d+)', re.MULTILINE)
RATE_LINE = re.compile(r'^rate limit\s+: (?P<remaining>\d+) of (?P<limit>\d+) requests left', re.MULTILINE)


@pytest.fixture(scope='module')
def simulator():
    # One rate-limit window for the whole test: the headroom is the limit minus every request logged.
    session = harness.SimulatorSession(rate_limit=RATE_LIMIT, rate_window=3600)
    try:
        session.seed(servers=SERVERS, connected=True)
        session.logged_before = 0
        yield session
    finally:
        session.close()


def run_fleet(simulator, tmp_path, *extra):
    simulator.clear_log()
    env = dict((name, value) for name, value in os.environ.items() if not name.startswith(('RUNCLOUD_', 'ANSIBLE_')))
    env.update(ANSIBLE_COLLECTIONS_PATH=harness.collections_path(), ANSIBLE_CALLBACKS_ENABLED='runcloud.cloud.api_usage',
               ANSIBLE_LOCAL_TEMP=str(tmp_path / 'tmp'), ANSIBLE_HOME=str(tmp_path / 'home'), ANSIBLE_NOCOLOR='1',
               ANSIBLE_LOCALHOST_WARNING='false', RUNCLOUD_API_URL=simulator.url, RUNCLOUD_API_TOKEN=harness.TOKEN)
    # One fork: the last answer of the run is the last request of the log.
    completed = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), '-i', FLEET_INVENTORY, FLEET,
                                '-f', '1', '-e', 'fleet_batch=2'] + list(extra), cwd=str(tmp_path), env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, universal_newlines=True, check=False, timeout=600)
    # The callback's lines are read from stdout only; stderr (a dependency's warning) is for the message.
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-2000:]
    return completed.stdout, simulator.request_log()['requests']


def shown(output):
    """[(title, {label: (requests, writes)}, (remaining, limit))] of the blocks the callback showed, in order."""
    parts = re.split(r'^RUNCLOUD API USAGE: (.*?) \*+$', output, flags=re.MULTILINE)
    blocks = []
    for title, body in zip(parts[1::2], parts[2::2]):
        lines = dict((match.group('label'), (int(match.group('requests')), int(match.group('writes')))) for match in LINE.finditer(body))
        rate = RATE_LINE.search(body)
        blocks.append((title, lines, (int(rate.group('remaining')), int(rate.group('limit')))))
    return blocks


def logged_per_host(log):
    """{host: (requests, writes)} from the simulator's log: a request under /servers/N belongs to the host
    of server N (web-0N), the account check (/ping) to localhost, the list of servers to the inventory."""
    counts = {}
    for entry in log:
        match = re.match(r'^/servers/(\d+)(/|$)', entry['path'])
        if match:
            host = 'web-%02d' % int(match.group(1))
        elif entry['path'] == '/ping':
            host = 'localhost'
        else:
            assert entry['path'] == '/servers' and entry['method'] == 'GET', entry
            host = 'inventory plugin'
        requests, writes = counts.get(host, (0, 0))
        counts[host] = (requests + 1, writes + (entry['method'] != 'GET'))
    return counts


def check_shown_against_the_log(simulator, output, log):
    """Assert what the callback showed is what the simulator logged; return the log per host."""
    blocks = shown(output)
    assert [title for title, _lines, _rate in blocks] == [
        'Check the API connection and the credentials once per run', 'Keep every server of the fleet on the baseline', 'the run']
    logged = logged_per_host(log)
    writes = sum(1 for entry in log if entry['method'] != 'GET')
    hosts = {}
    for _title, lines, _rate in blocks[:-1]:
        play_hosts = dict((label, counts) for label, counts in lines.items() if label != 'play total')
        assert lines['play total'] == (sum(counts[0] for counts in play_hosts.values()), sum(counts[1] for counts in play_hosts.values()))
        hosts.update(play_hosts)
    run = blocks[-1][1]
    assert run['run total'] == (len(log), writes)
    assert run['inventory plugin'] == logged.pop('inventory plugin')
    assert hosts == logged
    assert len(hosts) == SERVERS + 1
    # The headroom after the run's last answer: every request of the test so far counted against the limit.
    simulator.logged_before += len(log)
    assert blocks[-1][2] == blocks[-2][2] == (RATE_LIMIT - simulator.logged_before, RATE_LIMIT)
    assert harness.TOKEN not in output
    return logged


def test_the_callback_shows_what_the_simulator_logged(simulator, tmp_path):
    # The first run changes the servers; one read is answered 503 once, and its retry is a request of
    # its own, for the API as for the callback.
    simulator.control('POST', '/faults', {'rules': [{'method': 'GET', 'path': r'^/servers/3/security/firewalls$',
                                                     'status': 503, 'count': 1}]})
    output, log = run_fleet(simulator, tmp_path)
    check_shown_against_the_log(simulator, output, log)
    assert any(entry['method'] != 'GET' for entry in log)
    assert sum(1 for entry in log if entry['status'] == 503) == 1

    # Converged: the request floor of the fleet - the server with its SSH settings, the services, the
    # firewall rules; the account check once per run, one page of the inventory - and no write.
    output, log = run_fleet(simulator, tmp_path)
    logged = check_shown_against_the_log(simulator, output, log)
    expected = dict(('web-%02d' % number, (4, 0)) for number in range(1, SERVERS + 1))
    expected['localhost'] = (1, 0)
    assert logged == expected
    assert shown(output)[-1][1]['inventory plugin'] == (1, 0)


def test_the_callback_counts_modules_that_run_as_processes_too(simulator, tmp_path):
    # A task interpreter that is not the controller's own Python makes the action plugin run each
    # module as a process of its own (the path of a remote host); its api block is the same.
    wrapper = tmp_path / 'python'
    wrapper.write_text('#!/bin/sh\nexec %s "$@"\n' % sys.executable)
    wrapper.chmod(0o755)
    output, log = run_fleet(simulator, tmp_path, '-e', 'ansible_python_interpreter=%s' % wrapper, '-vvv')
    assert 'in the controller process' not in output and 'AnsiballZ_server.py' in output
    check_shown_against_the_log(simulator, output, log)
