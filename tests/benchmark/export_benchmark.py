#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Benchmark of the account export (runcloud.cloud.account_export; not a test: it only reports).

Seeds the simulator with 100 servers of 10 web applications each (a system user, a domain name
and, for every other application, a database with its user), injects 50 ms of latency on every API
request and runs the export's reading and writing code (``plugins/plugin_utils/account_export.py``,
what the action plugin runs) with several concurrency levels. For each it prints the API requests
the simulator counted, the bound the export promises and the wall time:

    bound = server pages + 10 lists per server (their pages) + 5 reads per web application
            + 1 grant list per database + the 3rd-party key list

    python tests/benchmark/export_benchmark.py [--servers 100] [--apps 10] [--latency-ms 50] [--concurrency 4 8 16]
    python tests/benchmark/export_benchmark.py --rate-limit 300     # with a rate limit: the client waits for the window

Run it with the Python of a venv that has ansible-core and requests.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import json
import math
import os
import shutil
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO_ROOT, 'tests', 'simulator'))
sys.path.insert(0, os.path.join(REPO_ROOT, 'tests', 'adopt'))

import account_generator  # noqa: E402  pylint: disable=wrong-import-position
from runcloud_sim import Simulator  # noqa: E402  pylint: disable=wrong-import-position

PER_PAGE = 40


def make_collections_dir(workdir):
    namespace = os.path.join(workdir, 'collections', 'ansible_collections', 'runcloud')
    os.makedirs(namespace)
    os.symlink(REPO_ROOT, os.path.join(namespace, 'cloud'))
    sys.path.insert(0, os.path.join(workdir, 'collections'))


def control(sim, method, path, body=None):
    request = urllib.request.Request(sim.control_url + path, method=method, data=json.dumps(body).encode() if body is not None else None,
                                     headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.load(answer)


def seed(sim, client, servers, apps):
    ids = control(sim, 'POST', '/seed', {'servers': servers, 'name_prefix': 'bench'})['servers']
    databases = 0
    for server_id in ids:
        path = 'servers/%d/' % server_id
        for index in range(apps):
            name = 'app%02d' % index
            user = client.post(path + 'users', {'username': name})
            client.post(path + 'webapps/custom', dict(account_generator.web_app_create_defaults(), name=name, user=user['id'],
                                                      domainName='%s.bench-%d.example.org' % (name, server_id), phpVersion='php82rc'))
            if index % 2 == 0:
                database = client.post(path + 'databases', {'name': name})
                database_user = client.post(path + 'databaseusers', {'username': name, 'password': 'bench-password'})
                client.post(path + 'databases/%d/grant' % database['id'], {'id': database_user['id']})
                databases += 1
    return ids, databases


def pages(count):
    return max(1, int(math.ceil(count / float(PER_PAGE))))


def bound(servers, apps, databases_per_server):
    per_server = (3  # SSH settings, services, firewall rules (one page)
                  + pages(apps + 1)  # system users, with the built-in one
                  + pages(0)  # SSH keys
                  + 2 * pages(databases_per_server)  # databases, database users
                  + pages(apps)  # web applications
                  + 2 * pages(0))  # cron jobs, Supervisor jobs
    return pages(servers) + servers * (per_server + 5 * apps + databases_per_server) + 1


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('--servers', type=int, default=100)
    parser.add_argument('--apps', type=int, default=10)
    parser.add_argument('--latency-ms', type=int, default=50)
    parser.add_argument('--concurrency', type=int, nargs='+', default=[4, 8, 16])
    parser.add_argument('--rate-limit', type=int, default=0, help='requests per 60 s window (0: the simulator default, 6000)')
    args = parser.parse_args(argv)

    workdir = tempfile.mkdtemp(prefix='runcloud-export-bench-')
    try:
        make_collections_dir(workdir)
        from ansible_collections.runcloud.cloud.plugins.module_utils.client import RunCloudClient
        from ansible_collections.runcloud.cloud.plugins.plugin_utils.account_export import AccountExport, AccountReader
        with Simulator(token='bench', rate_limit=1000000) as sim:
            started = time.monotonic()
            client = RunCloudClient(api_url=sim.url, api_token='bench')
            _ids, databases = seed(sim, client, args.servers, args.apps)
            print('seeded %d servers x %d web applications (%d databases) in %.1f s'
                  % (args.servers, args.apps, databases, time.monotonic() - started))
            control(sim, 'POST', '/latency', {'ms': args.latency_ms, 'jitter_ms': 0})
            if args.rate_limit:
                control(sim, 'POST', '/ratelimit', {'limit': args.rate_limit, 'window': 60})
            expected = bound(args.servers, args.apps, databases // max(1, args.servers))
            print('latency %d ms per request; bound %d requests' % (args.latency_ms, expected))
            print('%-12s %9s %10s %9s %8s' % ('concurrency', 'requests', 'within', 'seconds', 'files'))
            for concurrency in args.concurrency:
                control(sim, 'DELETE', '/requests')
                started = time.monotonic()
                reader = AccountReader(RunCloudClient(api_url=sim.url, api_token='bench', pool_size=max(10, concurrency)), concurrency)
                data = reader.read(reader.servers())
                files = AccountExport().files(data, reader.external_api_keys())
                seconds = time.monotonic() - started
                counters = control(sim, 'GET', '/requests')['counters']
                requests = counters['total']
                # A request the rate limit refused (429) is sent again after the window: it is not an extra read.
                refused = int(counters.get('by_status', {}).get('429', 0))
                print('%-12d %9d %10s %9.2f %8d%s' % (concurrency, requests, 'yes' if requests - refused <= expected else 'NO', seconds, len(files),
                                                      '  (429 answers: %d)' % refused
                                                      if args.rate_limit else ''))
                if counters['writes']:
                    raise SystemExit('the export sent %d write requests' % counters['writes'])
    finally:
        shutil.rmtree(workdir, True)


if __name__ == '__main__':
    main()
