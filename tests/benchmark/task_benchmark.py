#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Benchmark of module tasks (not a test: it only reports), against the simulator with latency.

1. The converged scenario of tests/benchmark/scenario.yml (a server, a system user, a database user, a
   database with a grant, a web application, a domain, SSL; every parent by name), in an empty account
   and with other servers in it. Interleaved, ``--pairs`` times each, it runs:
   - the collection's modules (as shipped: ids remembered, modules run in the controller's process),
   - the same with ``run_on_controller=false`` (a module process per task) and with ``resolve_cache=false``,
   - ``ansible.builtin.uri`` tasks sending exactly the GETs the modules sent,
   - ``ansible.builtin.debug`` tasks, as many as the scenario has (Ansible's own floor),
   and prints the median wall time and the requests of each.
2. examples/fleet.yml, converged, with 4, 20 and 100 connected servers, interleaved ``--fleet-pairs`` times
   with its floor playbook (the same plays, inventory and ``serial``, and as many ansible.builtin.debug
   tasks for each host as ran for it in the fleet, skipped ones not counted): requests and writes per
   server, median wall time and its ratio to the floor's.

    python tests/benchmark/task_benchmark.py [--latency-ms 100] [--pairs 5] [--others 100] [--fleet 4,20,100]
                                             [--fleet-pairs 5] [--module-processes] [--skip-scenario]

It exits non-zero when the converged scenario costs more than 8 requests or more than 0.8x the wall
time of the uri tasks, or when the converged fleet writes, costs more than 4.1 requests per server
(20 servers and more) or more than 1.8x the floor's wall time (100 servers).

Run it with the Python of a venv that has ansible-core and requests: it uses the ansible-playbook
next to that Python, so each venv measures its own ansible-core.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import contextlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO_ROOT, 'tests', 'inventory'))
sys.path.insert(0, HERE)

import inventory_harness as harness  # noqa: E402  pylint: disable=wrong-import-position
from inventory_benchmark import make_collections_dir  # noqa: E402  pylint: disable=wrong-import-position

SCENARIO = os.path.join(HERE, 'scenario.yml')
SCENARIO_TASKS = 8
FLEET = os.path.join(REPO_ROOT, 'examples', 'fleet.yml')
FLEET_INVENTORY = os.path.join(REPO_ROOT, 'examples', 'fleet.runcloud.yml')


class Runner:
    def __init__(self, session, workdir):
        self.session = session
        self.workdir = workdir
        # Set while a run converges the account: it may change things.
        self.allow_changes = False
        self.playbook_command = os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')
        self.env = dict((name, value) for name, value in os.environ.items() if not name.startswith(('RUNCLOUD_', 'ANSIBLE_')))
        self.env.update({
            'ANSIBLE_COLLECTIONS_PATH': os.path.join(workdir, 'collections'),
            'ANSIBLE_LOCAL_TEMP': os.path.join(workdir, '.ansible-tmp'),
            'ANSIBLE_HOME': os.path.join(workdir, '.ansible-home'),
            'ANSIBLE_NOCOLOR': '1',
            'ANSIBLE_LOCALHOST_WARNING': 'false',
            'RUNCLOUD_API_URL': session.url,
            'RUNCLOUD_API_TOKEN': harness.TOKEN,
        })

    def playbook(self, playbook, *extra):
        """Run ansible-playbook; return (seconds, requests the API saw)."""
        seconds, requests, _output = self.playbook_output(playbook, *extra)
        return seconds, requests

    def playbook_output(self, playbook, *extra):
        """Run ansible-playbook; return (seconds, requests the API saw, its output)."""
        self.session.clear_log()
        started = time.monotonic()
        completed = subprocess.run([self.playbook_command, playbook] + list(extra), cwd=self.workdir, env=self.env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, check=False)
        seconds = time.monotonic() - started
        # The recap is read from stdout only; stderr (warnings) is shown when the run failed.
        if completed.returncode != 0:
            raise SystemExit('%s failed:\n%s\n%s' % (playbook, completed.stdout[-4000:], completed.stderr[-2000:]))
        if 'changed=0' not in completed.stdout and '--check' not in extra and not self.allow_changes:
            raise SystemExit('%s was not converged:\n%s' % (playbook, completed.stdout[-4000:]))
        return seconds, self.session.request_log()['requests'], completed.stdout

    def interpreter_wrapper(self):
        path = os.path.join(self.workdir, 'python-wrapper')
        with open(path, 'w') as handle:
            handle.write('#!/bin/sh\nexec %s "$@"\n' % sys.executable)
        os.chmod(path, 0o755)
        return path


@contextlib.contextmanager
def benchmark_runner(prefix):
    """A Runner with its own collections directory and an in-process simulator (reset), removed after."""
    workdir = tempfile.mkdtemp(prefix=prefix)
    session = None
    try:
        make_collections_dir(workdir)
        session = harness.SimulatorSession(rate_limit=1000000)
        session.reset()
        import ansible
        print('ansible-core %s, Python %s' % (ansible.__version__, sys.version.split()[0]))
        yield Runner(session, workdir)
    finally:
        if session is not None:
            session.close()
        shutil.rmtree(workdir, ignore_errors=True)


def write_playbook(path, tasks):
    with open(path, 'w') as handle:
        json.dump([dict(name='benchmark', hosts='localhost', gather_facts=False, tasks=tasks)], handle, indent=1)


def uri_tasks(requests, api_url):
    """The GETs the modules sent, as ansible.builtin.uri tasks."""
    tasks = []
    for number, request in enumerate(requests):
        if request['method'] != 'GET':
            raise SystemExit('the converged run wrote: %s' % request)
        query = '&'.join('%s=%s' % item for item in sorted(request['query'].items()))
        tasks.append({'name': 'GET %d' % number, 'ansible.builtin.uri': {
            'url': api_url + request['path'] + ('?' + query if query else ''),
            'headers': {'Authorization': 'Bearer {{ lookup("ansible.builtin.env", "RUNCLOUD_API_TOKEN") }}',
                        'Accept': 'application/json'},
            'return_content': True}})
    return tasks


def scenario(runner, label, latency_ms, pairs):
    session = runner.session
    session.set_latency(0)
    runner.allow_changes = True
    runner.playbook(SCENARIO)
    runner.allow_changes = False
    session.set_latency(latency_ms)
    _seconds, requests = runner.playbook(SCENARIO)
    uri_playbook = os.path.join(runner.workdir, 'uri.json')
    debug_playbook = os.path.join(runner.workdir, 'debug.json')
    write_playbook(uri_playbook, uri_tasks(requests, session.url))
    write_playbook(debug_playbook, [{'name': 'debug %d' % number, 'ansible.builtin.debug': {'msg': 'task %d' % number}}
                                    for number in range(SCENARIO_TASKS)])
    variants = [
        ('runcloud.cloud modules', SCENARIO, ()),
        ('  with run_on_controller=false', SCENARIO, ('-e', 'bench_run_on_controller=false')),
        ('  with resolve_cache=false', SCENARIO, ('-e', 'bench_resolve_cache=false')),
        ('ansible.builtin.uri, same GETs', uri_playbook, ()),
        ('ansible.builtin.debug x%d' % SCENARIO_TASKS, debug_playbook, ()),
    ]
    times = dict((name, []) for name, _playbook, _extra in variants)
    counts = {}
    for round_number in range(pairs):
        # Interleaved, and each round starts with another variant, so drift hits all of them alike.
        shift = round_number % len(variants)
        for name, playbook, extra in variants[shift:] + variants[:shift]:
            seconds, requests = runner.playbook(playbook, *extra)
            times[name].append(seconds)
            counts[name] = len(requests)
    print('\n%s, %d ms latency, median of %d interleaved runs' % (label, latency_ms, pairs))
    print('%-34s %8s %10s %10s' % ('variant', 'requests', 'wall s', 'vs uri'))
    uri_median = statistics.median(times['ansible.builtin.uri, same GETs'])
    for name, _playbook, _extra in variants:
        median = statistics.median(times[name])
        print('%-34s %8d %10.2f %9.2fx' % (name, counts[name], median, median / uri_median))
    return counts['runcloud.cloud modules'], statistics.median(times['runcloud.cloud modules']) / uri_median


FLEET_MAX_REQUESTS_PER_SERVER = 4.1
FLEET_MAX_FLOOR_RATIO = 1.8


def tasks_per_host(output):
    """{host: tasks that ran for it} from the PLAY RECAP (``ok=``, which counts changed ones; skipped ones not)."""
    counts = dict((host, int(count)) for host, count in
                  re.findall(r'^(\S+)\s+:\s+ok=(\d+)', output.split('PLAY RECAP', 1)[-1], re.MULTILINE))
    if not counts:
        raise SystemExit('no PLAY RECAP in the output:\n%s' % output[-4000:])
    return counts


def write_floor_playbook(path, counts):
    """Ansible's own cost of the fleet: the same plays - the account check on localhost, the servers of
    the inventory plugin with the same ``serial`` - with as many ansible.builtin.debug tasks for each
    host as ran for it in the fleet; returns the number per server."""
    per_server = min(count for host, count in counts.items() if host != 'localhost')

    def debug(tasks):
        return [{'name': 'debug %d' % number, 'ansible.builtin.debug': {'msg': 'task %d of {{ inventory_hostname }}' % number}}
                for number in range(tasks)]
    plays = []
    if counts.get('localhost'):
        plays.append(dict(name='account check', hosts='localhost', gather_facts=False, tasks=debug(counts['localhost'])))
    plays.append(dict(name='floor', hosts='runcloud', gather_facts=False, serial='{{ fleet_batch | default(5) }}', tasks=debug(per_server)))
    with open(path, 'w') as handle:
        json.dump(plays, handle, indent=1)
    return per_server


def fleet(runner, sizes, latency_ms, pairs, module_processes=False):
    """examples/fleet.yml converged against the floor playbook, interleaved; returns the rows."""
    session = runner.session
    rows = []
    print('\nexamples/fleet.yml, converged, %d ms latency, 5 forks, median of %d interleaved runs' % (latency_ms, pairs))
    print('%-8s %-20s %9s %7s %11s %10s %8s %12s %11s'
          % ('servers', 'variant', 'requests', 'writes', 'per server', 'tasks/host', 'wall s', 's per server', 'vs floor'))
    for size in sizes:
        session.reset()
        session.seed(servers=size, connected=True)
        session.set_latency(0)
        runner.allow_changes = True
        runner.playbook(FLEET, '-i', FLEET_INVENTORY)
        runner.allow_changes = False
        _seconds, _requests, output = runner.playbook_output(FLEET, '-i', FLEET_INVENTORY)
        floor_playbook = os.path.join(runner.workdir, 'floor-%d.json' % size)
        tasks = write_floor_playbook(floor_playbook, tasks_per_host(output))
        session.set_latency(latency_ms)
        variants = [('fleet.yml', FLEET, ()), ('floor (debug tasks)', floor_playbook, ())]
        if module_processes:
            # A task interpreter that is not the controller's own Python (a wrapper that starts it) makes
            # the action plugin run the modules as processes.
            variants.append(('module processes', FLEET, ('-e', 'ansible_python_interpreter=%s' % runner.interpreter_wrapper())))
        times = dict((name, []) for name, _playbook, _extra in variants)
        counts = {}
        for round_number in range(pairs):
            shift = round_number % len(variants)
            for name, playbook, extra in variants[shift:] + variants[:shift]:
                seconds, requests = runner.playbook(playbook, '-i', FLEET_INVENTORY, *extra)
                times[name].append(seconds)
                counts[name] = (len(requests), len([request for request in requests if request['method'] != 'GET']))
        floor = statistics.median(times['floor (debug tasks)'])
        for name, _playbook, _extra in variants:
            median = statistics.median(times[name])
            requests, writes = counts[name]
            print('%-8d %-20s %9d %7d %11.2f %10d %8.2f %12.3f %10.2fx'
                  % (size, name, requests, writes, requests / float(size), tasks, median, median / size, median / floor))
            rows.append(dict(servers=size, variant=name, requests=requests, writes=writes, seconds=median, ratio=median / floor,
                             runs=sorted(round(value, 2) for value in times[name])))
    return rows


def fleet_problems(rows):
    problems = []
    for row in rows:
        if row['variant'] != 'fleet.yml':
            continue
        if row['writes']:
            problems.append('fleet, %d servers: %d writes in a converged run' % (row['servers'], row['writes']))
        if row['servers'] >= 20 and row['requests'] > FLEET_MAX_REQUESTS_PER_SERVER * row['servers']:
            problems.append('fleet, %d servers: %.2f requests per server, more than %.1f'
                            % (row['servers'], row['requests'] / float(row['servers']), FLEET_MAX_REQUESTS_PER_SERVER))
        if row['servers'] >= 100 and row['ratio'] > FLEET_MAX_FLOOR_RATIO:
            problems.append('fleet, %d servers: %.2fx the wall time of the floor playbook, more than %.1fx'
                            % (row['servers'], row['ratio'], FLEET_MAX_FLOOR_RATIO))
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('--latency-ms', type=int, default=100)
    parser.add_argument('--pairs', type=int, default=5)
    parser.add_argument('--others', type=int, default=100, help='other servers in the account for the second scenario run')
    parser.add_argument('--fleet', default='4,20,100', help='fleet sizes, comma-separated; empty to skip')
    parser.add_argument('--fleet-pairs', type=int, default=5, help='interleaved runs of the fleet and of its floor playbook')
    parser.add_argument('--module-processes', action='store_true', help='also measure the fleet with a module process per task')
    parser.add_argument('--skip-scenario', action='store_true', help='measure only the fleet')
    args = parser.parse_args(argv)

    problems = []
    with benchmark_runner('runcloud-task-benchmark-') as runner:
        session = runner.session
        if not args.skip_scenario:
            empty = scenario(runner, 'scenario, empty account', args.latency_ms, args.pairs)
            session.reset()
            session.seed(servers=args.others, connected=True, name_prefix='other')
            crowded = scenario(runner, 'scenario, %d other servers' % args.others, args.latency_ms, args.pairs)
            for label, (requests, ratio) in (('empty account', empty), ('%d other servers' % args.others, crowded)):
                if requests > 8:
                    problems.append('%s: %d requests, more than 8' % (label, requests))
                if ratio > 0.8:
                    problems.append('%s: %.2fx the wall time of the uri tasks, more than 0.8x' % (label, ratio))
        sizes = [int(size) for size in args.fleet.split(',') if size.strip()]
        if sizes:
            problems.extend(fleet_problems(fleet(runner, sizes, args.latency_ms, args.fleet_pairs, args.module_processes)))

    for problem in problems:
        print('PROBLEM: ' + problem)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
