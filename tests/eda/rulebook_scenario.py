# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The collection's rulebook under the real ansible-rulebook, against the simulator.

Run by tests/eda/run-eda.sh (not collected by the plain pytest stage: it needs ansible-rulebook,
Java and the collection installed from the built tarball in RUNCLOUD_EDA_COLLECTIONS).

extensions/eda/rulebooks/fleet_healing.yml of the installed collection runs with its rules
unchanged and the source's intervals shortened. While it runs the test changes the simulator's state
through its API and control API, one change at a time, and checks that

- the first poll and ten unchanged polls emit nothing;
- every change is observed as exactly its events, once (ansible-rulebook --print-events);
- each rule fired exactly once per change, by its playbook's writes in the request log;
- a server whose name is a Jinja2 template is never templated;
- three polls of API outage (an error, a dropped connection, a timeout) emit one outage event, no
  false change, and one recovery event;
- no event holds the token, a private key or a webhook key;
- the EDA controller variant is a valid rulebook with the same rules, launching job templates with
  the same variables.

The scenario runs once per API version in RUNCLOUD_EDA_API_VERSIONS (default "2 3"): the source and
the playbooks use that version's URL and token (the simulator's JWT on v3), nothing else changes;
the test's own changes go to the same account through the simulator's API and control API.
"""

import ast
import datetime
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), 'simulator'))

from runcloud_sim import Simulator  # noqa: E402  pylint: disable=wrong-import-position
from sim_testlib import Api  # noqa: E402  pylint: disable=wrong-import-position

TOKEN = 'eda-scenario-token'
POLL = 1.0
EVENT_BLOCK = re.compile(r'\[received event\] \*+\nRuleset: [^\n]*\nEvent:\n(.*?)\n\*{20,}', re.S)
WAIT = 60
# The source arguments of the test run: the rulebook's rules stay as they are.
API_VERSIONS = [int(version) for version in re.split(r'[,\s]+', os.environ.get('RUNCLOUD_EDA_API_VERSIONS') or '2 3') if version]
SOURCE_ARGS = dict(interval=POLL, slow_interval=POLL, max_backoff=2, api_retries=1, api_timeout=3, disk_threshold=90,
                   memory_threshold=90, load_threshold=4, ssl_expiry_days=14, concurrency=2)


def installed_collection():
    collections = os.environ.get('RUNCLOUD_EDA_COLLECTIONS')
    assert collections, 'RUNCLOUD_EDA_COLLECTIONS must name the collections path the built tarball was installed into (tests/eda/run-eda.sh)'
    path = os.path.join(collections, 'ansible_collections', 'runcloud', 'cloud')
    assert os.path.isfile(os.path.join(path, 'MANIFEST.json')), 'no installed collection (MANIFEST.json) in %s' % path
    return collections, path


class Run:
    """ansible-rulebook in the background, its output in a file; the simulator in this process."""

    def __init__(self, sim, workdir, api_version=2):
        self.sim = sim
        self.api = Api(sim)
        self.api_version = api_version
        # The simulator's JWT is the only token API v3 takes.
        self.token = sim.token_v3 if api_version == 3 else TOKEN
        self.output = os.path.join(workdir, 'ansible-rulebook.out')
        self.errors = os.path.join(workdir, 'ansible-rulebook.err')
        self.process = None
        self.workdir = workdir
        self.history = []

    def control(self, method, path, body=None):
        answer = self.sim.handle_control(method, path, json.dumps(body) if body is not None else '')
        assert answer.status == 200, answer.body
        return answer.body

    def requests(self):
        return self.control('GET', '/requests')['requests']

    def start(self, collections, rulebook):
        environment = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections, RUNCLOUD_API_URL=self.sim.api_url(self.api_version),
                           RUNCLOUD_API_TOKEN=self.token, RUNCLOUD_API_KEY='', RUNCLOUD_API_SECRET='', ANSIBLE_NOCOLOR='1',
                           ANSIBLE_LOCAL_TEMP=os.path.join(self.workdir, 'tmp'), HOME=os.path.join(self.workdir, 'home'))
        os.makedirs(environment['HOME'])
        inventory = os.path.join(self.workdir, 'inventory.yml')
        with open(inventory, 'w') as handle:
            # As docs/eda.md recommends: the playbooks' modules run with the Python of ansible-playbook.
            handle.write('all:\n  hosts:\n    localhost:\n      ansible_connection: local\n'
                         '      ansible_python_interpreter: "{{ ansible_playbook_python }}"\n')
        # The events are parsed from stdout only; stderr (logging, a dependency's warnings) is kept
        # apart and shown with it when something fails.
        with open(self.output, 'w') as handle, open(self.errors, 'w') as errors:
            self.process = subprocess.Popen(  # pylint: disable=consider-using-with
                [shutil.which('ansible-rulebook'), '-r', rulebook, '-i', inventory, '--print-events'],
                stdout=handle, stderr=errors, env=environment, cwd=self.workdir)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def stdout(self):
        with open(self.output) as handle:
            return handle.read()

    def text(self):
        """What ansible-rulebook printed, for a failure's message: stdout, then stderr."""
        with open(self.errors) as handle:
            return '%s\n--- stderr ---\n%s' % (self.stdout(), handle.read())

    def events(self):
        found = []
        for block in EVENT_BLOCK.findall(self.stdout()):
            try:
                event = ast.literal_eval(block)
            except (SyntaxError, ValueError):
                continue  # ansible-rulebook's own shutdown notice, not a source event
            if isinstance(event, dict) and 'type' in event:
                found.append(event)
        return found

    def wait_until(self, condition, what):
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail('ansible-rulebook exited (%s) while waiting for %s:\n%s' % (self.process.returncode, what, self.text()[-6000:]))
            if condition():
                return
            time.sleep(0.1)
        pytest.fail('timed out waiting for %s; output:\n%s' % (what, self.text()[-6000:]))

    def polls(self):
        return sum(1 for entry in self.requests() if entry['method'] == 'GET' and entry['path'] == '/servers')

    def wait_polls(self, count, what):
        start = self.polls()
        self.wait_until(lambda: self.polls() >= start + count, what)

    def expect(self, change, expected, effect=None):
        """Make one change, wait for its events (and the playbook's write), then two more polls: the
        events since the change must be exactly ``expected`` (a list, or a function of what the
        change returned)."""
        before = len(self.events())
        answer = change()
        if callable(expected):
            expected = expected(answer)
        self.wait_until(lambda: len(self.events()) >= before + len(expected), 'events %s' % (expected,))
        if effect is not None:
            self.wait_until(lambda: self.count(*effect) >= 1, 'the playbook request %s %s' % effect)
        self.wait_polls(2, 'two quiet polls after %s' % (expected,))
        got = [(event['type'], event['server_id'], event['web_app_id']) for event in self.events()[before:]]
        assert got == expected
        return self.events()[before:]

    def clear_requests(self):
        """Empty the simulator's request log, keeping what it held in ``history``."""
        self.history.extend(self.requests())
        self.control('DELETE', '/requests')

    def count(self, method, path):
        return sum(1 for entry in self.requests() if entry['method'] == method and entry['path'] == path and entry['status'] == 200)


@pytest.fixture(name='run', params=API_VERSIONS, ids=lambda version: 'api-v%d' % version)
def fixture_run(tmp_path, request):
    sim = Simulator(token=TOKEN)
    sim.start()
    run = Run(sim, str(tmp_path), request.param)
    yield run
    run.stop()
    sim.stop()


def timestamp(days):
    moment = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=days)
    return moment.strftime('%Y-%m-%d %H:%M:%S')


def test_rulebook_keeps_the_fleet_healthy(run, tmp_path):
    collections, collection = installed_collection()
    with open(os.path.join(collection, 'extensions', 'eda', 'rulebooks', 'fleet_healing.yml')) as handle:
        rulebook = yaml.safe_load(handle)
    source = rulebook[0]['sources'][0]
    assert list(source) == ['name', 'runcloud.cloud.fleet']
    source['runcloud.cloud.fleet'] = dict(source['runcloud.cloud.fleet'], **SOURCE_ARGS)
    rulebook_file = os.path.join(str(tmp_path), 'fleet_healing.yml')
    with open(rulebook_file, 'w') as handle:
        yaml.safe_dump(rulebook, handle)

    web_01, web_02 = run.control('POST', '/seed', {'servers': 2, 'fixtures': True})['servers']
    state = run.control('GET', '/state')['servers']
    shop = int(next(iter(state[str(web_01)]['_webapps'])))
    ssl = run.api.ok('POST', '/servers/%d/webapps/%d/ssl' % (web_01, shop),
                     {'provider': 'letsencrypt', 'enableHttp': False, 'enableHsts': True, 'authorizationMethod': 'http-01'})
    marker = os.path.join(str(tmp_path), 'templated')
    run.control('DELETE', '/requests')

    run.start(collections, rulebook_file)
    # The baseline, then ten polls of an unchanged account: nothing.
    run.wait_polls(11, 'the baseline and ten unchanged polls')
    assert run.events() == []

    evil = "{{ lookup('ansible.builtin.pipe', 'touch %s') }}" % marker
    added = run.expect(lambda: run.api.ok('POST', '/servers', {'name': evil, 'ipAddress': '192.0.2.50', 'provider': 'Test'}),
                       lambda server: [('server_added', server['id'], None)])
    new = added[0]['server_id']
    assert added[0]['server_name'] == evil and added[0]['after']['connected'] is False
    run.expect(lambda: run.control('POST', '/servers/%d/state' % new, {'connected': True, 'online': True}),
               [('server_connected', new, None), ('server_online', new, None)], effect=('PATCH', '/servers/%d/settings/ssh' % new))
    assert not os.path.exists(marker), 'a server name from the API was templated'

    full = {'usedDiskSpace': 40000.0, 'availableDiskSpace': 1555.52}
    run.expect(lambda: run.control('POST', '/servers/%d/health' % web_01, full),
               [('disk_high', web_01, None)], effect=('POST', '/servers/%d/health/diskcleaner' % web_01))
    run.expect(lambda: run.control('POST', '/servers/%d/health' % web_01, {'usedDiskSpace': 8190.94, 'availableDiskSpace': 33364.58}),
               [('disk_normal', web_01, None)])
    run.expect(lambda: run.control('POST', '/servers/%d/health' % web_02, {'usedMemory': 900.0, 'availableMemory': 57.27}),
               [('memory_high', web_02, None)])
    run.expect(lambda: run.control('POST', '/servers/%d/health' % web_02, {'usedMemory': 458.43, 'availableMemory': 498.83}),
               [('memory_normal', web_02, None)])
    run.expect(lambda: run.control('POST', '/servers/%d/health' % web_02, {'loadAverage': 7.5}), [('load_high', web_02, None)])
    run.expect(lambda: run.control('POST', '/servers/%d/health' % web_02, {'loadAverage': 0.5}), [('load_normal', web_02, None)])

    blog = {}
    run.expect(lambda: blog.update(run.api.webapp(web_02, name='blog', domain='blog.example.com')) or blog,
               lambda app: [('web_app_added', web_02, app['id'])])
    run.expect(lambda: run.api.ok('DELETE', '/servers/%d/webapps/%d' % (web_02, blog['id'])), [('web_app_removed', web_02, blog['id'])])

    # Five days left: the renewal rule redeploys it, RunCloud issues 90 more days, and it is renewed.
    expiring = run.expect(lambda: run.control('POST', '/servers/%d/webapps/%d/ssl' % (web_01, shop), {'validUntil': timestamp(5)}),
                          [('ssl_expiring', web_01, shop), ('ssl_renewed', web_01, shop)],
                          effect=('PUT', '/servers/%d/webapps/%d/ssl/%d' % (web_01, shop, ssl['id'])))
    assert expiring[0]['after']['days_left'] in (4, 5) and expiring[1]['after']['level'] == 'valid'

    run.expect(lambda: run.api.ok('PATCH', '/servers/%d/settings/meta' % web_02, {'name': 'web-02-renamed', 'provider': 'Test'}),
               [('server_renamed', web_02, None)])
    run.expect(lambda: run.control('POST', '/servers/%d/state' % web_02, {'connected': False, 'online': False}),
               [('server_disconnected', web_02, None), ('server_offline', web_02, None)])
    run.expect(lambda: run.api.ok('DELETE', '/servers/%d' % new), [('server_removed', new, None)])

    # Three polls of outage: an error, a dropped connection, an answer slower than api_timeout.
    run.clear_requests()
    before = len(run.events())
    run.control('POST', '/faults', {'rules': [
        {'method': 'GET', 'path': '^/servers$', 'action': 'status', 'status': 503},
        {'method': 'GET', 'path': '^/servers$', 'action': 'drop'},
        {'method': 'GET', 'path': '^/servers$', 'action': 'delay', 'delay_ms': 4500},
    ]})
    run.wait_until(lambda: len(run.events()) >= before + 2, 'api_unreachable and api_recovered')
    run.wait_polls(3, 'three polls after the recovery')

    def faults():
        return sorted(entry['fault'] for entry in run.requests() if entry['path'] == '/servers' and entry.get('fault'))

    # The slow answer is logged when it ends, after the next polls may have started.
    run.wait_until(lambda: len(faults()) == 3, 'the slow answer in the request log')
    assert faults() == ['delay', 'drop', 'status']
    outage = run.events()[before:]
    assert [event['type'] for event in outage] == ['api_unreachable', 'api_recovered']
    assert outage[0]['after']['failed_polls'] == 1 and outage[0]['after']['status'] == 503
    assert outage[1]['before']['failed_polls'] == 3
    run.stop()

    # Each rule fired exactly once for its change: one write of each playbook, on that server only.
    run.clear_requests()
    writes = [(entry['method'], entry['path']) for entry in run.history if entry['method'] != 'GET']
    assert writes.count(('PATCH', '/servers/%d/settings/ssh' % new)) == 1
    assert not [path for method, path in writes if path.endswith('/settings/ssh') and path != '/servers/%d/settings/ssh' % new]
    assert [path for method, path in writes if path.endswith('/diskcleaner')] == ['/servers/%d/health/diskcleaner' % web_01]
    assert [(method, path) for method, path in writes if '/ssl' in path] == [('PUT', '/servers/%d/webapps/%d/ssl/%d' % (web_01, shop, ssl['id']))]
    assert not os.path.exists(marker), 'a server name from the API was templated'

    text = run.text()
    app = state[str(web_01)]['_webapps'][str(shop)]
    for secret in (TOKEN, run.token, 'PRIVATE KEY', 'BEGIN CERTIFICATE', app['pullKey1'], app['pullKey2']):
        assert secret not in text, 'a secret reached the output of ansible-rulebook'
    assert len(run.events()) == 19


def test_controller_rulebook_has_the_local_rules(monkeypatch):
    from ansible_rulebook.rules_parser import parse_rule_sets  # pylint: disable=import-outside-toplevel
    from ansible_rulebook.validators import Validate  # pylint: disable=import-outside-toplevel

    collections, collection = installed_collection()
    monkeypatch.setenv('ANSIBLE_COLLECTIONS_PATH', collections)
    rulebooks = {}
    for name in ('fleet_healing', 'fleet_healing_controller'):
        with open(os.path.join(collection, 'extensions', 'eda', 'rulebooks', name + '.yml')) as handle:
            rulebooks[name] = yaml.safe_load(handle)
        Validate.rulebook(rulebooks[name])
        assert parse_rule_sets(rulebooks[name])
    local, controller = rulebooks['fleet_healing'][0], rulebooks['fleet_healing_controller'][0]
    assert local['sources'] == controller['sources']
    assert [(rule['name'], rule['condition']) for rule in local['rules']] == [(rule['name'], rule['condition']) for rule in controller['rules']]
    for mine, theirs in zip(local['rules'], controller['rules']):
        if 'run_playbook' in mine['action']:
            job = theirs['action']['run_job_template']
            assert job['name'] and job['organization']
            assert job['job_args']['extra_vars'] == mine['action']['run_playbook']['extra_vars']
            playbook = mine['action']['run_playbook']['name'].split('.')[-1]
            assert os.path.isfile(os.path.join(collection, 'playbooks', playbook + '.yml'))
        else:
            assert theirs['action'] == mine['action']
