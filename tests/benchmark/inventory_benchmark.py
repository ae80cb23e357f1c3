#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Benchmark of the runcloud.cloud.runcloud inventory plugin (not a test: it only reports).

Seeds the simulator with 1000 servers, injects 50 ms latency on every API request and runs the
real ``ansible-inventory --list`` of this Python environment:

1. concurrent paging (the default, concurrency 4),
2. sequential paging (concurrency 1), for comparison,
3. with the jsonfile cache plugin in a temporary directory: a first run that fills the cache and a
   second one that must not send a single request.

For each run it prints the API requests counted by the simulator, the wall time of
ansible-inventory and the API phase the plugin reports (``-vv``).

    python tests/benchmark/inventory_benchmark.py [--servers 1000] [--latency-ms 50] [--concurrency 4]

Run it with the Python of a venv that has ansible-core and requests; the repository's conftest.py
is not involved, so it builds its own ansible_collections directory.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import os
import re
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO_ROOT, 'tests', 'inventory'))

import inventory_harness as harness  # noqa: E402  pylint: disable=wrong-import-position

API_PHASE = re.compile(r'runcloud inventory: (\d+) servers, (\d+) API requests, API phase ([0-9.]+)s')
CACHE_HIT = re.compile(r'runcloud inventory: (\d+) servers from the cache')


def make_collections_dir(workdir):
    namespace = os.path.join(workdir, 'collections', 'ansible_collections', 'runcloud')
    os.makedirs(namespace)
    os.symlink(REPO_ROOT, os.path.join(namespace, 'cloud'))
    sys.path.insert(0, os.path.join(workdir, 'collections'))


def write_config(path, lines):
    with open(path, 'w') as handle:
        handle.write('plugin: runcloud.cloud.runcloud\n' + ''.join(line + '\n' for line in lines))


def measure(session, label, config, workdir, expected_hosts):
    session.clear_log()
    inventory, output, seconds = harness.run_inventory(config, session.url, workdir, extra_args=['-vv'])
    requests = len(session.request_log()['requests'])
    hosts = len(inventory.get('_meta', {}).get('hostvars', {}))
    if hosts != expected_hosts:
        raise SystemExit('%s: expected %d hosts, got %d' % (label, expected_hosts, hosts))
    phase = API_PHASE.search(output)
    api_seconds = float(phase.group(3)) if phase else 0.0
    if not phase and not CACHE_HIT.search(output):
        raise SystemExit('%s: the plugin did not report its API phase; output:\n%s' % (label, output))
    row = (label, requests, seconds, api_seconds)
    print('%-34s %8d %12.2f %14.3f' % row)
    return row


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('--servers', type=int, default=1000)
    parser.add_argument('--latency-ms', type=int, default=50)
    parser.add_argument('--concurrency', type=int, default=4)
    args = parser.parse_args(argv)

    workdir = tempfile.mkdtemp(prefix='runcloud-inventory-benchmark-')
    session = None
    try:
        make_collections_dir(workdir)
        session = harness.SimulatorSession(rate_limit=100000)
        session.reset()
        session.seed(servers=args.servers)
        session.set_latency(args.latency_ms)

        concurrent = os.path.join(workdir, 'concurrent.runcloud.yml')
        sequential = os.path.join(workdir, 'sequential.runcloud.yml')
        cached = os.path.join(workdir, 'cached.runcloud.yml')
        write_config(concurrent, ['concurrency: %d' % args.concurrency])
        write_config(sequential, ['concurrency: 1'])
        write_config(cached, ['concurrency: %d' % args.concurrency, 'cache: true', 'cache_plugin: ansible.builtin.jsonfile',
                              'cache_connection: %s' % os.path.join(workdir, 'cache')])

        import ansible
        print('ansible-core %s, Python %s, %d servers, %d ms latency per request'
              % (ansible.__version__, sys.version.split()[0], args.servers, args.latency_ms))
        print('%-34s %8s %12s %14s' % ('run', 'requests', 'wall time s', 'API phase s'))
        results = [
            measure(session, 'concurrent paging (concurrency %d)' % args.concurrency, concurrent, workdir, args.servers),
            measure(session, 'sequential paging (concurrency 1)', sequential, workdir, args.servers),
            measure(session, 'cache on, first run', cached, workdir, args.servers),
            measure(session, 'cache on, second run', cached, workdir, args.servers),
        ]
    finally:
        if session is not None:
            session.close()
        shutil.rmtree(workdir, ignore_errors=True)

    pages = -(-args.servers // 40)
    concurrent_row, sequential_row, _first_cached, second_cached = results
    problems = []
    if concurrent_row[1] > pages + 1:
        problems.append('concurrent run made %d requests, more than %d' % (concurrent_row[1], pages + 1))
    if concurrent_row[3] >= sequential_row[3]:
        problems.append('concurrent paging was not faster than sequential paging')
    if second_cached[1] != 0:
        problems.append('the cached run made %d requests' % second_cached[1])
    for problem in problems:
        print('PROBLEM: ' + problem)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
