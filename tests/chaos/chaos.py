# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Chaos runs: examples/site.yml against a simulator that injects seeded random faults.

Each run starts a fresh simulator, lets it answer a share of the API requests with a fault (HTTP
429/500/502/503/504, a dropped connection, an answer slower than the client timeout whose write
still lands, a write applied and then dropped), runs the playbook once with the faults and once
more without (which must report ``changed=0`` and send no write), then checks the simulator's state
for duplicates and compares it with the other runs' state. It prints the figures and exits 1 if a
run did not converge, a clean run changed something, a resource exists twice, or the final states
differ.

    python tests/chaos/chaos.py --runs 20 --seed 1 --rate 0.1

Creating a server is the one request left out of the faults: server names are not unique, so an
unknown outcome there fails the task on purpose (covered by the ``server`` integration target).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import collections
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'simulator'))

import runcloud_sim  # noqa: E402 pylint: disable=wrong-import-position

PLAYBOOK = os.path.join(ROOT, 'examples', 'site.yml')
# The machine that runs the playbook plays the new server (the simulator's installation script
# only reports back to the simulator).
INVENTORY = os.path.join(ROOT, 'examples', 'demo-inventory.yml')
FAULT_ACTIONS = ['status', 'drop', 'delay', 'apply_and_drop']
FAULT_STATUSES = [429, 500, 502, 503, 504]
# Requests never hit by a random fault (see the module docstring).
UNFAULTED = ['^POST /servers$']
# What differs between runs without meaning anything: times (fields and values), activity logs and
# the random token of the simulated agent installation.
VOLATILE_KEYS = frozenset(['created_at', 'updated_at', 'time', '_log', '_agentToken'])
TIMESTAMP = re.compile(r'^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?')
IDENTITY_KEYS = ('name', 'username', 'label', 'realName')


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description='Run examples/site.yml repeatedly against a faulty API simulator.')
    parser.add_argument('--runs', type=int, default=20, help='number of runs (default 20)')
    parser.add_argument('--seed', type=int, default=1, help='seed of the first run; run N uses seed + N - 1 (default 1)')
    parser.add_argument('--rate', type=float, default=0.1, help='share of API requests hit by a fault (default 0.1)')
    parser.add_argument('--api-timeout', type=float, default=2.0,
                        help='api_timeout of the modules; slow answers take it plus one second (default 2)')
    parser.add_argument('--playbook', default=PLAYBOOK, help='playbook to run (default examples/site.yml)')
    parser.add_argument('--inventory', default=INVENTORY, help='inventory (default examples/demo-inventory.yml)')
    parser.add_argument('--keep', action='store_true', help='keep the playbook logs (their directory is printed)')
    return parser.parse_args(argv)


def recap(output):
    """Totals of the PLAY RECAP: {'ok': n, 'changed': n, 'failed': n, ...}."""
    totals = collections.Counter()
    in_recap = False
    for line in output.splitlines():
        if line.startswith('PLAY RECAP'):
            in_recap = True
            continue
        if in_recap:
            for key, value in re.findall(r'(\w+)=(\d+)', line):
                totals[key] += int(value)
    return totals


def duplicates(state):
    """['servers/1/_webapps: name shop x2', ...]: records of one collection sharing an identity."""
    found = []

    def walk(node, where):
        if not isinstance(node, dict):
            return
        records = [value for value in node.values() if isinstance(value, dict) and 'id' in value]
        if records and len(records) == len(node):
            for key in IDENTITY_KEYS:
                counts = collections.Counter(record.get(key) for record in records if record.get(key) is not None)
                found.extend('%s: %s %s x%d' % (where, key, value, count) for value, count in sorted(counts.items()) if count > 1)
        for key, value in sorted(node.items()):
            walk(value, '%s/%s' % (where, key) if where else key)

    walk(state, '')
    return found


def canonical(node):
    """The state without times, in a stable form, to compare runs."""
    if isinstance(node, dict):
        return dict((key, canonical(value)) for key, value in node.items() if key not in VOLATILE_KEYS)
    if isinstance(node, list):
        return [canonical(item) for item in node]
    if isinstance(node, str) and TIMESTAMP.match(node):
        return '<time>'
    return node


def comparable(state):
    return canonical(dict((key, value) for key, value in state.items() if key in ('servers', 'externalapi')))


def fingerprint(state):
    return hashlib.sha256(json.dumps(comparable(state), sort_keys=True).encode('utf-8')).hexdigest()[:16]


class Runner:
    def __init__(self, options):
        self.options = options
        self.work = tempfile.mkdtemp(prefix='runcloud-chaos-')
        collections_dir = os.path.join(self.work, 'collections', 'ansible_collections', 'runcloud')
        os.makedirs(collections_dir)
        os.symlink(ROOT, os.path.join(collections_dir, 'cloud'))
        bin_dir = os.path.dirname(sys.executable)
        self.playbook_command = [os.path.join(bin_dir, 'ansible-playbook')]
        if not os.path.exists(self.playbook_command[0]):
            self.playbook_command = [sys.executable, '-m', 'ansible', 'playbook']
        self.path = bin_dir + os.pathsep + os.environ.get('PATH', '')

    def close(self):
        if self.options.keep:
            print('logs kept in %s' % self.work)
        else:
            shutil.rmtree(self.work, ignore_errors=True)

    def playbook(self, simulator, log_name):
        env = dict(os.environ)
        for name in list(env):
            if name.startswith('RUNCLOUD_'):
                del env[name]
        env.update(
            RUNCLOUD_API_URL=simulator.url, RUNCLOUD_API_TOKEN=simulator.token,
            RUNCLOUD_API_TIMEOUT=str(self.options.api_timeout),
            ANSIBLE_COLLECTIONS_PATH=os.path.join(self.work, 'collections'), ANSIBLE_LOCALHOST_WARNING='false',
            ANSIBLE_INVENTORY_UNPARSED_WARNING='false', ANSIBLE_NOCOLOR='1', ANSIBLE_RETRY_FILES_ENABLED='false',
            PATH=self.path,
        )
        started = time.monotonic()
        completed = subprocess.run(self.playbook_command + ['-i', self.options.inventory, self.options.playbook], cwd=ROOT, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
        # The recap is read from stdout only: stderr carries warnings (of Ansible or a dependency).
        output = completed.stdout.decode('utf-8', 'replace')
        errors = completed.stderr.decode('utf-8', 'replace')
        with open(os.path.join(self.work, log_name), 'w') as handle:
            handle.write(output + ('\n--- stderr ---\n' + errors if errors else ''))
        return completed.returncode, recap(output), time.monotonic() - started, output + errors

    def run(self, number, seed):
        simulator = runcloud_sim.Simulator(port=0)
        simulator.start()
        try:
            control = simulator.handle_control
            control('POST', '/random_faults', json.dumps({
                'rate': self.options.rate, 'seed': seed, 'actions': FAULT_ACTIONS, 'statuses': FAULT_STATUSES,
                'delay_ms': (self.options.api_timeout + 1.0) * 1000.0, 'exclude': UNFAULTED}))
            rc, totals, seconds, output = self.playbook(simulator, 'run%02d-faults.log' % number)
            faulted = control('GET', '/requests', '').body['counters']
            control('POST', '/random_faults', json.dumps({'rate': 0}))
            control('DELETE', '/requests', '')
            clean_rc, clean_totals, clean_seconds, clean_output = self.playbook(simulator, 'run%02d-clean.log' % number)
            clean = control('GET', '/requests', '').body['counters']
            state = control('GET', '/state', '').body
        finally:
            simulator.stop()
        with open(os.path.join(self.work, 'run%02d-state.json' % number), 'w') as handle:
            json.dump(comparable(state), handle, indent=1, sort_keys=True)
        return dict(
            number=number, seed=seed, rc=rc, failed=totals['failed'], changed=totals['changed'], seconds=seconds,
            faults=faulted['faults'], requests=faulted['total'], clean_rc=clean_rc, clean_changed=clean_totals['changed'],
            clean_writes=clean['writes'], clean_requests=clean['total'], clean_seconds=clean_seconds,
            duplicates=duplicates(state), fingerprint=fingerprint(state),
            error=failure_excerpt(output) if rc else (failure_excerpt(clean_output) if clean_rc else None),
        )


def failure_excerpt(output):
    lines = [line for line in output.splitlines() if line.startswith(('fatal:', '[ERROR]'))]
    return '\n'.join(lines[:4])[:2000]


def report(results):
    """Print the figures; return True when every run met every rule."""
    fingerprints = collections.Counter(result['fingerprint'] for result in results)
    reference = fingerprints.most_common(1)[0][0] if results else None
    faults = collections.Counter()
    for result in results:
        faults.update(result['faults'])
    print()
    print('run seed  rc failed changed faults requests secs | clean rc changed writes | dups state')
    for result in results:
        print('%3d %4d %3d %6d %7d %6d %8d %4.0f | %8d %7d %6d | %4d %s%s' % (
            result['number'], result['seed'], result['rc'], result['failed'], result['changed'], sum(result['faults'].values()),
            result['requests'], result['seconds'], result['clean_rc'], result['clean_changed'], result['clean_writes'],
            len(result['duplicates']), result['fingerprint'], '' if result['fingerprint'] == reference else ' DIFFERS'))
    converged = [result for result in results if result['rc'] == 0 and result['failed'] == 0]
    clean = [result for result in results if result['clean_rc'] == 0 and result['clean_changed'] == 0 and result['clean_writes'] == 0]
    duplicate_count = sum(len(result['duplicates']) for result in results)
    print()
    print('runs converged:           %d/%d' % (len(converged), len(results)))
    print('clean runs with changed=0: %d/%d' % (len(clean), len(results)))
    print('duplicate resources:      %d' % duplicate_count)
    print('distinct final states:    %d' % len(fingerprints))
    print('faults injected:          %d (%s)' % (sum(faults.values()), ', '.join('%s %d' % item for item in sorted(faults.items()))))
    print('requests (faulted runs):  %d' % sum(result['requests'] for result in results))
    print('requests (clean runs):    %d' % sum(result['clean_requests'] for result in results))
    for result in results:
        for line in result['duplicates']:
            print('run %d duplicate: %s' % (result['number'], line))
        if result['error']:
            print('run %d failure:\n%s' % (result['number'], result['error']))
    return len(converged) == len(clean) == len(results) and duplicate_count == 0 and len(fingerprints) <= 1


def main(argv=None):
    options = parse_arguments(sys.argv[1:] if argv is None else argv)
    runner = Runner(options)
    results = []
    try:
        for number in range(1, options.runs + 1):
            result = runner.run(number, options.seed + number - 1)
            results.append(result)
            print('run %d/%d: rc=%d, %d faults, %d requests, %.0fs; clean run changed=%d' % (
                number, options.runs, result['rc'], sum(result['faults'].values()), result['requests'], result['seconds'],
                result['clean_changed']), flush=True)
    finally:
        runner.close()
    return 0 if report(results) else 1


if __name__ == '__main__':
    sys.exit(main())
