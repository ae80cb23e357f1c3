# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The playbooks users copy first, as they are written: the README's quick start and first
playbooks, every role README's first example and examples/site.yml and fleet.yml. Each runs against a fresh
simulator with nothing but RUNCLOUD_API_URL and RUNCLOUD_API_TOKEN in its environment: first with
--check, then for real. Both runs must pass and report the same number of changes, and a second
real run none.

RUNCLOUD_TEST_API_VERSION (2, the default, or 3) picks the API version the playbooks run against:
the simulator's /api/v3 with its JWT instead of /api/v2 with its v2 token, nothing else changed.

Run by the `examples` stage of tests/run-tests.sh (tests/examples/run-examples.sh), not by the
plain pytest stage: each example costs a few ansible-playbook runs."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import subprocess
import sys
import urllib.request

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SIMULATOR = os.path.join(ROOT, 'tests', 'simulator', 'runcloud_sim.py')
TOKEN = 'runcloud-sim-token'
API_VERSION = int(os.environ.get('RUNCLOUD_TEST_API_VERSION') or 2)
BIN = os.path.dirname(sys.executable)


def yaml_blocks(markdown_path, after=None):
    """The ```yaml blocks of a Markdown file (those after the heading ``after``, when given)."""
    with open(os.path.join(ROOT, markdown_path)) as markdown:
        text = markdown.read()
    if after is not None:
        assert after in text, '%s has no %r' % (markdown_path, after)
        text = text.split(after, 1)[1]
    return re.findall(r'```yaml\n(.*?)```', text, re.S)


def first_yaml_block(markdown_path, after=None):
    blocks = yaml_blocks(markdown_path, after)
    assert blocks, 'no ```yaml block in %s' % markdown_path
    return blocks[0]


class Simulator:
    """A simulator process; ``url`` and ``token`` are those of API_VERSION, ``url_v2`` the v2 one."""

    def __init__(self, work, api_version=None):
        self.api_version = API_VERSION if api_version is None else api_version
        self.process = subprocess.Popen([sys.executable, SIMULATOR, '--port', '0', '--api-version', str(self.api_version)],
                                        stdout=subprocess.PIPE, stderr=open(os.path.join(work, 'simulator.err'), 'w'),
                                        universal_newlines=True)
        line = self.process.stdout.readline().strip()
        assert line.startswith('RUNCLOUD_API_URL='), 'the simulator printed %r' % line
        self.url = line.split('=', 1)[1]
        self.root = re.sub(r'/api/v[23]$', '', self.url)
        self.url_v2 = self.root + '/api/v2'
        self.url_v3 = self.root + '/api/v3'
        self.token = TOKEN
        if self.api_version == 3:
            # With --api-version 3 the simulator's JWT follows on the second line.
            line = self.process.stdout.readline().strip()
            assert line.startswith('RUNCLOUD_API_TOKEN='), 'the simulator printed %r' % line
            self.token = line.split('=', 1)[1]
        self.control = self.root + '/__sim__'

    def call(self, method, path, body=None, api=True):
        request = urllib.request.Request((self.url if api else self.control) + path, method=method,
                                         data=None if body is None else json.dumps(body).encode(),
                                         headers={'Authorization': 'Bearer ' + self.token, 'Accept': 'application/json',
                                                  'Content-Type': 'application/json'})
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.load(answer)

    def writes(self):
        return self.call('GET', '/requests', api=False)['counters']['writes']

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        self.process.stdout.close()


@pytest.fixture
def simulator(tmp_path):
    sim = Simulator(str(tmp_path))
    yield sim
    sim.stop()


@pytest.fixture
def simulator_v3(tmp_path):
    """The simulator announcing API v3 (its URL and token): for what exists on v3 alone."""
    sim = Simulator(str(tmp_path), api_version=3)
    # What only acknowledges lands after this long: short, so that the examples' waits stay short.
    sim.call('POST', '/v3', {'land_delay': 0.2}, api=False)
    yield sim
    sim.stop()


@pytest.fixture
def collections(tmp_path):
    path = tmp_path / 'collections' / 'ansible_collections' / 'runcloud'
    path.mkdir(parents=True)
    os.symlink(ROOT, str(path / 'cloud'))
    return str(tmp_path / 'collections')


# A warning line of ansible-core (on stderr; 2.19 adds no colon after a deprecation's bracket).
WARNING_LINE = re.compile(r'^\[(?:DEPRECATION )?WARNING\]:?', re.MULTILINE)
# Warnings that are not the collection's doing, each with the reason it is tolerated. None so far:
# the environments these tests make turn off the localhost and unparsed-inventory notices.
NOT_THE_COLLECTIONS_WARNINGS = ()


def collection_warnings(stderr):
    """The [WARNING] and [DEPRECATION WARNING] lines of an ansible-* command's stderr that are not
    in NOT_THE_COLLECTIONS_WARNINGS: each is something the collection causes (a role's task name that
    templates an undefined variable, a deprecated option...)."""
    return [line for line in stderr.splitlines()
            if WARNING_LINE.match(line) and not any(re.search(allowed, line) for allowed in NOT_THE_COLLECTIONS_WARNINGS)]


def run_playbook(simulator, collections, workdir, playbook, *args, **overrides):
    """ansible-playbook with only the API URL and token of the simulator (or ``overrides`` of them);
    returns (stdout, changed) - the recap is read from stdout only; its stderr holds warnings, and any
    warning the collection causes fails the run. With ``expect_failure=True`` the run must fail
    instead, and what is returned is what the user reads: stdout and stderr."""
    expect_failure = overrides.pop('expect_failure', False)
    environment = dict(
        PATH=BIN + os.pathsep + os.environ.get('PATH', ''), HOME=os.environ.get('HOME', workdir), LANG='C.UTF-8',
        RUNCLOUD_API_URL=simulator.url, RUNCLOUD_API_TOKEN=simulator.token, ANSIBLE_COLLECTIONS_PATH=collections,
        ANSIBLE_NOCOLOR='1', ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false',
        ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_LOCAL_TEMP=os.path.join(workdir, '.ansible-tmp'),
    )
    environment.update(overrides)
    result = subprocess.run([os.path.join(BIN, 'ansible-playbook'), playbook] + list(args), cwd=workdir, env=environment,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=600, check=False)
    shown = '%s\n--- stderr ---\n%s' % (result.stdout[-6000:], result.stderr[-4000:])
    if expect_failure:
        assert result.returncode != 0, '%s %s passed:\n%s' % (os.path.basename(playbook), ' '.join(args), shown)
    else:
        assert result.returncode == 0, '%s %s failed:\n%s' % (os.path.basename(playbook), ' '.join(args), shown)
    warnings = collection_warnings(result.stderr)
    assert not warnings, '%s %s warned:\n%s\n%s' % (os.path.basename(playbook), ' '.join(args), '\n'.join(warnings), shown)
    if expect_failure:
        return result.stdout + result.stderr, None
    recap = result.stdout.split('PLAY RECAP', 1)[-1]
    return result.stdout, sum(int(number) for number in re.findall(r'changed=(\d+)', recap))


def changed_tasks(output):
    """The names of the tasks that reported a change, in order, for the message of a mismatch."""
    names, current = [], None
    for line in output.splitlines():
        heading = re.match(r'^TASK \[(.*)\] \*+$', line)
        if heading:
            current = heading.group(1)
        elif line.startswith('changed:') and current is not None:
            names.append(current)
    return names
