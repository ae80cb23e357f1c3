# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Runs the real ``ansible-inventory`` of the current Python environment against the simulator.

Shared by the golden-file tests (``test_inventory_golden.py``) and the benchmark
(``tests/benchmark/inventory_benchmark.py``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import sys
import time

from urllib.request import Request, urlopen

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SIMULATOR_DIR = os.path.join(REPO_ROOT, 'tests', 'simulator')
TOKEN = 'inventory-test-token'

if SIMULATOR_DIR not in sys.path:
    sys.path.insert(0, SIMULATOR_DIR)

from runcloud_sim import Simulator  # noqa: E402  pylint: disable=wrong-import-position


def collections_path():
    """A directory holding ansible_collections/runcloud/cloud that leads to this checkout."""
    for entry in sys.path:
        candidate = os.path.join(entry or os.curdir, 'ansible_collections', 'runcloud', 'cloud')
        if os.path.isdir(candidate) and os.path.realpath(candidate) == os.path.realpath(REPO_ROOT):
            return os.path.abspath(entry or os.curdir)
    parts = REPO_ROOT.split(os.sep)
    if parts[-3:] == ['ansible_collections', 'runcloud', 'cloud']:
        return os.sep.join(parts[:-3]) or os.sep
    raise RuntimeError('no ansible_collections/runcloud/cloud directory leads to %s; run through pytest (conftest.py)' % REPO_ROOT)


def ansible_inventory_command():
    """The ansible-inventory next to the running Python, so each venv tests its own ansible-core."""
    candidate = os.path.join(os.path.dirname(sys.executable), 'ansible-inventory')
    if not os.path.exists(candidate):
        raise RuntimeError('ansible-inventory not found next to %s' % sys.executable)
    return candidate


def ansible_inventory_has_option(option):
    completed = subprocess.run([ansible_inventory_command(), '--help'], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               universal_newlines=True, check=False)
    return option in completed.stdout


class SimulatorSession:
    """An in-process simulator plus helpers for its control API and its request log."""

    def __init__(self, **options):
        options.setdefault('token', TOKEN)
        self.simulator = Simulator(**options).start()

    def close(self):
        self.simulator.stop()

    @property
    def url(self):
        return self.simulator.url

    def _call(self, method, url, body=None, headers=None):
        data = None if body is None else json.dumps(body).encode('utf-8')
        request = Request(url, data=data, method=method)
        request.add_header('Content-Type', 'application/json')
        request.add_header('Accept', 'application/json')
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        with urlopen(request, timeout=30) as response:
            payload = response.read()
        return json.loads(payload.decode('utf-8')) if payload.strip() else {}

    def control(self, method, path, body=None):
        return self._call(method, self.simulator.control_url + path, body)

    def api(self, method, path, body=None):
        return self._call(method, self.simulator.url + path, body, {'Authorization': 'Bearer %s' % TOKEN})

    def reset(self):
        self.control('POST', '/reset')

    def seed(self, **body):
        return self.control('POST', '/seed', body)['servers']

    def rename_server(self, server_id, name):
        self.api('PATCH', '/servers/%s/settings/meta' % server_id, {'name': name})

    def clear_log(self):
        self.control('DELETE', '/requests')

    def request_log(self):
        return self.control('GET', '/requests')

    def set_latency(self, milliseconds):
        self.control('POST', '/latency', {'ms': milliseconds, 'jitter_ms': 0})


def run_inventory(config_path, api_url, cwd, extra_env=None, extra_args=None):
    """``ansible-inventory -i <config> --list --export``; returns (parsed JSON, stderr, seconds)."""
    env = dict(os.environ)
    for name in list(env):
        if name.startswith('RUNCLOUD_') or name.startswith('ANSIBLE_'):
            del env[name]
    output_file = os.path.join(cwd, 'inventory-output.json')
    env.update({
        'ANSIBLE_COLLECTIONS_PATH': collections_path(),
        'ANSIBLE_INVENTORY_UNPARSED_FAILED': 'true',
        'ANSIBLE_INVENTORY_ENABLED': 'runcloud.cloud.runcloud',
        'ANSIBLE_LOCAL_TEMP': os.path.join(cwd, '.ansible-tmp'),
        'ANSIBLE_HOME': os.path.join(cwd, '.ansible-home'),
        'ANSIBLE_NOCOLOR': '1',
        'RUNCLOUD_API_URL': api_url,
        'RUNCLOUD_API_TOKEN': TOKEN,
    })
    env.update(extra_env or {})
    # --export: what AWX runs for an inventory update and stores (host variables as exported).
    command = [ansible_inventory_command(), '-i', config_path, '--list', '--export', '--output', output_file] + list(extra_args or [])
    started = time.monotonic()
    completed = subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               universal_newlines=True, timeout=300, check=False)
    seconds = time.monotonic() - started
    if completed.returncode != 0:
        raise AssertionError('ansible-inventory failed (%s):\nstdout:\n%s\nstderr:\n%s'
                             % (completed.returncode, completed.stdout, completed.stderr))
    with open(output_file) as handle:
        inventory = json.load(handle)
    os.remove(output_file)
    return inventory, completed.stdout + completed.stderr, seconds


def _mask_nested_timestamps(value, nested=False):
    # Web apps, domains and databases are created by the seed with the current time; the servers
    # carry fixed seed timestamps, so only the nested ones are masked.
    if isinstance(value, dict):
        return dict((key, '<timestamp>' if nested and key == 'created_at' else _mask_nested_timestamps(item, nested))
                    for key, item in value.items())
    if isinstance(value, list):
        return [_mask_nested_timestamps(item, True) for item in value]
    return value


def _member_name(member):
    if isinstance(member, dict) and list(member) == ['__ansible_unsafe']:
        return member['__ansible_unsafe']
    return member


def normalise(inventory):
    """The parts of ``ansible-inventory --list --export`` that mean something, in a version-neutral form.

    ansible-core versions differ in the ``_meta.profile`` key, the order of group children,
    whether empty groups (``ungrouped``) are listed, and in how a host name marked unsafe appears in
    a group's list of hosts (ansible-core < 2.19 wraps it in an unsafe envelope; its
    ``_meta.hostvars`` key is the plain name on every version). Variables are compared as exported:
    an ``{"__ansible_unsafe": ...}`` envelope in them is what AWX would store, so it is kept.
    """
    meta = inventory.pop('_meta', {})
    groups = {}
    for name, group in inventory.items():
        entry = {}
        for key in ('hosts', 'children'):
            members = sorted(_member_name(member) for member in group.get(key) or [])
            if name == 'all' and key == 'children':
                members = [member for member in members if member != 'ungrouped']
            if members:
                entry[key] = members
        if group.get('vars'):
            entry['vars'] = group['vars']
        if entry or name == 'all':
            groups[name] = entry
    hostvars = dict((host, _mask_nested_timestamps(variables)) for host, variables in (meta.get('hostvars') or {}).items())
    return {'groups': groups, 'hostvars': hostvars}


def api_calls(log):
    """The API requests of a simulator log as sorted ``METHOD /path?query`` lines."""
    lines = []
    for entry in log['requests']:
        query = '&'.join('%s=%s' % (key, entry['query'][key]) for key in sorted(entry.get('query') or {}))
        lines.append('%s %s%s' % (entry['method'], entry['path'], '?' + query if query else ''))
    return sorted(lines)
