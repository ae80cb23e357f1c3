# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The round-trip property of the export, on K seeded random accounts.

For each account (its own simulator, seeded by ``account_generator``):

1. ``examples/export.yml`` writes the inventory directory (inventory plugin file, group_vars,
   host_vars, vault-template.yml); no secret of the API may be in it or in the run's -vvv output.
2. ``examples/apply.yml`` on that directory: no task changed, no write request.
3. Three changes in the panel (through the API): a web application's PHP memory limit, a deleted
   domain name, an extra cron job; a fourth on an account whose export has a WordPress site (API v3):
   its WP_DEBUG turned on.
4. ``apply.yml --check --diff -vvv``: the changed results are exactly those, no write, no secret
   in the output.
5. ``apply.yml``: it changes exactly those; exporting again gives the same files, byte for byte.
6. ``apply.yml`` once more: nothing changed, no write.

With ``--api-version 3`` every step goes through the simulator's API v3 (its URL and a JWT, nothing
else changed); writes that v3 only acknowledges land after LAND_DELAY_V3 seconds, and the account is
let settle (no landing pending) after it is built and after the panel changes.

    python tests/adopt/roundtrip.py --ansible-bin .venv/bin --accounts 10 --seed 1 [--size small|large] [--jobs 2] [--api-version 3]
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'simulator'))
sys.path.insert(0, HERE)

from runcloud_sim import Simulator  # noqa: E402  (tests/simulator)
import account_generator  # noqa: E402

# Short enough for CI, long enough that a write which only acknowledged is read before it lands.
LAND_DELAY_V3 = 0.3
# On API v3 every even account (0, 2, 4, 6, 8) has a WordPress site as the wordpress_site role builds it: the
# share of a lane in a run (two accounts in a row from an even one, tests/run-tests.sh) holds one.
WORDPRESS_SITE_EVERY = 2
SECRET_KEYS = ('pullKey1', 'pullKey2', 'privateKey', '_agentToken', '_password', 'secret')


def collections_dir(work):
    """This checkout importable as ansible_collections.runcloud.cloud (a symlink in ``work``)."""
    namespace = os.path.join(work, 'collections', 'ansible_collections', 'runcloud')
    os.makedirs(namespace)
    os.symlink(ROOT, os.path.join(namespace, 'cloud'))
    return os.path.join(work, 'collections')


class Failure(AssertionError):
    pass


class Account:
    def __init__(self, index, seed, size, work, ansible_bin, collections, api_version=2):
        self.index = index
        self.api_version = api_version
        self.seed = seed
        self.size = size
        self.dir = os.path.join(work, 'account-%02d' % index)
        self.out = os.path.join(self.dir, 'inventory')
        self.ansible_bin = ansible_bin
        self.collections = collections
        self.sim = Simulator(token='roundtrip-token-%d' % index, land_delay=LAND_DELAY_V3)
        # The simulator's JWT is accepted on v2 as well; the v2 token is not on v3.
        self.token = self.sim.token_v3 if api_version == 3 else self.sim.token
        self.log = []
        self.timings = {}

    # -- infrastructure ------------------------------------------------------------------------------

    @property
    def api_url(self):
        """The URL of the simulator's API of this account's version (its port is known once it started)."""
        return self.sim.api_url(self.api_version)

    def client(self):
        from ansible_collections.runcloud.cloud.plugins.module_utils.client import RunCloudClient
        return RunCloudClient(api_url=self.api_url, api_token=self.token)

    def sim_control(self, method, path):
        request = urllib.request.Request(self.sim.control_url + path, method=method)
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.load(answer)

    def counters(self):
        return self.sim_control('GET', '/requests')['counters']

    def clear_requests(self):
        self.sim_control('DELETE', '/requests')

    def playbook(self, stage, playbook, *args):
        """Runs a playbook of examples/ for this account: (changed results, output)."""
        changes_file = os.path.join(self.dir, '%s.changes' % stage)
        environment = dict(os.environ, RUNCLOUD_API_URL=self.api_url, RUNCLOUD_API_TOKEN=self.token,
                           ANSIBLE_COLLECTIONS_PATH=self.collections, ANSIBLE_CALLBACK_PLUGINS=os.path.join(HERE, 'callback_plugins'),
                           ANSIBLE_CALLBACKS_ENABLED='roundtrip_changes', ROUNDTRIP_CHANGES_FILE=changes_file,
                           ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false', ANSIBLE_NOCOLOR='1',
                           ANSIBLE_PIPELINING='1', ANSIBLE_RETRY_FILES_ENABLED='false', ANSIBLE_FORKS='10',
                           # The modules run on the controller: its Python, no interpreter discovery.
                           ANSIBLE_PYTHON_INTERPRETER=sys.executable)
        command = [os.path.join(self.ansible_bin, 'ansible-playbook'), os.path.join(ROOT, 'examples', playbook)] + list(args)
        started = time.monotonic()
        process = subprocess.run(command, env=environment, cwd=self.dir, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 universal_newlines=True, check=False)
        self.timings[stage] = round(time.monotonic() - started, 1)
        # Callers read stdout (and the callback's file); stderr (warnings) goes to the log only.
        with open(os.path.join(self.dir, '%s.log' % stage), 'w') as handle:
            handle.write(process.stdout + ('\n--- stderr ---\n' + process.stderr if process.stderr else ''))
        changes = []
        if os.path.exists(changes_file):
            with open(changes_file) as handle:
                changes = [json.loads(line) for line in handle if line.strip()]
        failed = [change for change in changes if change['failed']]
        if process.returncode != 0 or failed:
            raise Failure('%s: ansible-playbook %s failed (exit %d): %s\n%s' % (
                self.name(), stage, process.returncode, json.dumps(failed, indent=1), process.stdout[-3000:] + process.stderr[-2000:]))
        return [(change['host'], change['action'], change['about']) for change in changes], process.stdout

    def name(self):
        return 'account %d (seed %d, API v%d)' % (self.index, self.seed, self.api_version)

    def settle(self, timeout=30):
        """Waits until no write that v3 only acknowledged is still to land (a user's panel changes are done)."""
        deadline = time.monotonic() + timeout
        while self.sim.landings.pending():
            self.expect(time.monotonic() < deadline, 'writes still landing after %d s' % timeout)
            time.sleep(0.05)

    def expect(self, condition, message):
        if not condition:
            raise Failure('%s: %s' % (self.name(), message))

    # -- the property --------------------------------------------------------------------------------

    def run(self):
        os.makedirs(self.dir)
        self.sim.start()
        try:
            self.builder = account_generator.build_account(self.client(), self.sim.control_url, self.seed, self.size,
                                                           prefix='a%02d-web' % self.index, wordpress_site=self.index % WORDPRESS_SITE_EVERY == 0)
            self.settle()
            self.export()
            self.converged('apply')
            expected = self.mutate()
            self.settle()
            self.clear_requests()
            changes, output = self.playbook('check', 'apply.yml', '-i', self.out, '--check', '--diff', '-vvv')
            self.expect(self.counters()['writes'] == 0, 'the check run wrote to the API')
            self.expect(sorted(set(changes)) == expected and len(changes) == len(expected),
                        'the check run reported %s, expected exactly %s' % (sorted(changes), expected))
            self.no_secrets(output, 'the check run output')
            changes, _output = self.playbook('restore', 'apply.yml', '-i', self.out)
            self.expect(sorted(set(changes)) == expected, 'the restoring apply changed %s, expected %s' % (sorted(changes), expected))
            self.same_export()
            self.converged('again')
            return dict(account=self.index, seed=self.seed, servers=len(self.exported_hosts()), timings=self.timings,
                        changed=len(expected))
        finally:
            self.sim.stop()

    def export(self):
        _changes, output = self.playbook('export', 'export.yml', '-i', self.export_inventory(), '-e', 'export_dir=%s' % self.out, '-vvv')
        self.expect(os.path.exists(os.path.join(self.out, 'runcloud.yml')), 'export.yml wrote no runcloud.yml')
        self.no_secrets(output, 'the export run output')
        self.exported = self.read_export()
        for path, text in self.exported.items():
            self.no_secrets(text, path)
        # The secrets the files refer to, as a user fills them in (group_vars/all/vault.yml).
        template = self.exported['vault-template.yml']
        vault = ''.join(line.replace(': ""', ': "vault-value-%d"' % number) if line.startswith('vault_') else line
                        for number, line in enumerate(template.splitlines(True)))
        with open(os.path.join(self.out, 'group_vars', 'all', 'vault.yml'), 'w') as handle:
            handle.write(vault)

    def export_inventory(self):
        path = os.path.join(self.dir, 'export.runcloud.yml')
        shutil.copy(os.path.join(ROOT, 'examples', 'export.runcloud.yml'), path)
        return path

    def read_export(self):
        files = {}
        for folder, _dirs, names in os.walk(self.out):
            for name in names:
                path = os.path.relpath(os.path.join(folder, name), self.out)
                if path != os.path.join('group_vars', 'all', 'vault.yml'):
                    with open(os.path.join(folder, name)) as handle:
                        files[path] = handle.read()
        return files

    def exported_hosts(self):
        return sorted(path[len('host_vars/'):-len('.yml')] for path in self.exported if path.startswith('host_vars/'))

    def converged(self, stage):
        self.clear_requests()
        changes, _output = self.playbook(stage, 'apply.yml', '-i', self.out)
        self.expect(not changes, 'apply.yml (%s) changed %s' % (stage, changes))
        writes = self.counters()['writes']
        self.expect(writes == 0, 'apply.yml (%s) sent %d write requests' % (stage, writes))

    def secrets(self):
        """Every secret the simulator holds (set by the generator or made by the API itself)."""
        found = set(self.builder.secrets)

        def walk(value):
            if isinstance(value, dict):
                for key, item in value.items():
                    if key in SECRET_KEYS and isinstance(item, str) and len(item) >= 8:
                        found.add(item)
                    walk(item)
            elif isinstance(value, list):
                for item in value:
                    walk(item)

        walk(self.sim.state)
        # A PEM is looked for by its longest line: YAML or a diff may wrap it differently.
        return set(max(secret.splitlines(), key=len) if '\n' in secret else secret for secret in found)

    def no_secrets(self, text, where):
        leaked = sorted(secret for secret in self.secrets() if secret in text)
        self.expect(not leaked, '%s holds secrets of the API: %s' % (where, ', '.join(secret[:12] + '...' for secret in leaked)))

    def mutate(self):
        """Three changes in the panel; returns the (host, action, about) the check run must report."""
        import random
        rng = random.Random(self.seed * 7919)
        client = self.client()
        servers = client.list_all('servers')
        # The panel changes are made to what the php_site and laravel_app roles manage (a wordpress_site entry
        # has no memory limit or alias of its own): not to a WordPress site of the export, nor its staging copy.
        sites, copies = self.exported_wordpress_sites()
        apps = [(server, app) for server in servers for app in client.list_all('servers/%d/webapps' % server['id'])
                if (server['id'], app['id']) not in sites + copies]
        server, app = rng.choice(apps)
        client.patch('servers/%d/webapps/%d/settings/fpmnginx' % (server['id'], app['id']), {'memoryLimit': 999})
        expected = [(server['name'], 'runcloud.cloud.web_app', app['name'])]
        aliases = [(server, app, domain) for server, app in apps
                   for domain in client.list_all('servers/%d/webapps/%d/domains' % (server['id'], app['id'])) if domain['type'] != 'primary']
        server, app, domain = rng.choice(aliases)
        client.delete('servers/%d/webapps/%d/domains/%d' % (server['id'], app['id'], domain['id']))
        expected.append((server['name'], 'runcloud.cloud.domain', domain['name']))
        server = rng.choice(servers)
        label = 'drift-%d' % self.seed
        job = {'label': label, 'username': 'root', 'command': '/usr/bin/true', 'minute': '*', 'hour': '*', 'dayOfMonth': '*',
               'month': '*', 'dayOfWeek': '*'}
        client.post('servers/%d/cronjobs' % server['id'], job)
        expected.append((server['name'], 'runcloud.cloud.cron_job', label))
        # A WordPress site of the export: WP_DEBUG turned on in the panel.
        for server_id, app_id in sites[:1]:
            client.patch('servers/%d/webapps/%d/wordpress/config' % (server_id, app_id), {'wpDebug': True})
            server = next(item for item in servers if item['id'] == server_id)
            expected.append((server['name'], 'runcloud.cloud.wordpress_settings', None))
        return sorted(expected)

    def exported_wordpress_sites(self):
        """[(server id, web app id)] of the WordPress sites the export wrote as wordpress_site entries, and of their staging copies."""
        import yaml
        names = set()
        for path, text in self.exported.items():
            if path.startswith('host_vars/'):
                names.update(entry['name'] for entry in (yaml.safe_load(text) or {}).get('wordpress_site_sites', []))
        sites, copies = [], []
        for server_id, server in sorted(self.sim.state['servers'].items()):
            for app in sorted(server['_webapps'].values(), key=lambda item: item['id']):
                if app['name'] in names:
                    sites.append((int(server_id), app['id']))
                    if app.get('_staging') is not None:
                        copies.append((int(server_id), int(app['_staging'])))
        return sites, copies

    def same_export(self):
        """Exporting the restored account gives the files of the first export, byte for byte."""
        from ansible_collections.runcloud.cloud.plugins.plugin_utils.account_export import AccountExport, AccountReader
        client = self.client()
        reader = AccountReader(client, 4)
        data = reader.read(reader.servers([server['id'] for server in client.list_all('servers')]))
        files = AccountExport().files(data, reader.external_api_keys())
        for path in sorted(set(files) | set(self.exported)):
            self.expect(files.get(path) == self.exported.get(path),
                        'after the restoring apply, %s differs from the first export:\n--- first\n%s\n--- now\n%s'
                        % (path, self.exported.get(path), files.get(path)))


def importable_collection(work):
    sys.path.insert(0, collections_dir(work))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('--ansible-bin', required=True, help='bin directory of the venv with ansible-playbook')
    parser.add_argument('--accounts', type=int, default=10)
    parser.add_argument('--first-account', type=int, default=0,
                        help='number of the first account (accounts N.. of the same seed: tests/run-tests.sh splits them between two runs)')
    parser.add_argument('--pool', type=int, default=0,
                        help='account numbers wrap around at this many (0: no wrap): tests/run-tests.sh takes a daily window of the 10 accounts')
    parser.add_argument('--seed', type=int, default=1)
    parser.add_argument('--size', choices=sorted(account_generator.SIZES), default='small')
    parser.add_argument('--jobs', type=int, default=2, help='accounts run at the same time')
    parser.add_argument('--keep', action='store_true', help='keep the working directory')
    parser.add_argument('--api-version', type=int, choices=(2, 3), default=2, help='the API version every step goes through')
    options = parser.parse_args(argv)

    if options.pool and options.accounts > options.pool:
        parser.error('--accounts %d is more than --pool %d' % (options.accounts, options.pool))
    numbers = [number % options.pool if options.pool else number
               for number in range(options.first_account, options.first_account + options.accounts)]
    work = tempfile.mkdtemp(prefix='runcloud-roundtrip-')
    started = time.monotonic()
    failures = []
    try:
        importable_collection(work)
        collections = os.path.join(work, 'collections')
        accounts = [Account(index, options.seed * 1000 + index, options.size, work, os.path.abspath(options.ansible_bin), collections,
                            options.api_version)
                    for index in numbers]

        def run(account):
            try:
                summary = account.run()
                print('ok   %s: %d servers, timings %s' % (account.name(), summary['servers'], summary['timings']), flush=True)
                return summary
            except Exception as error:  # every account is reported, not only the first failure
                failures.append(account)
                print('FAIL %s: %s' % (account.name(), error), flush=True)
                return None

        with ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
            results = list(pool.map(run, accounts))
        passed = [result for result in results if result]
        print('round trip on API v%d: %d of %d accounts passed (%d servers) in %.0f s; working directory %s'
              % (options.api_version, len(passed), len(accounts), sum(result['servers'] for result in passed), time.monotonic() - started,
                 work if options.keep or failures else '(removed)'))
        return 1 if failures else 0
    finally:
        # A failed run keeps its working directory: the logs of every playbook run.
        if not options.keep and not failures:
            shutil.rmtree(work, True)


if __name__ == '__main__':
    sys.exit(main())
