#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Benchmark of the run's id memory (not a test: it only reports): what a task pays for the memory when
it already holds many names.

1. The memory's own traffic per task, against a real keeper holding ``--sizes`` entries of the task's
   account: connect, the two lookups of a task naming a server, a web application and a system user,
   what it learnt, close (``Memory`` of plugin_utils/action.py), ``--tasks`` times; median and 95th
   percentile per task, and what the entries add to the median.
2. A playbook against the simulator: one task fills the run's memory (action_plugins/fill_id_memory.py),
   then a loop of ``--loop`` converged runcloud.cloud.system_user tasks naming their server, timed alone;
   interleaved, ``--pairs`` times per size; what the entries add per task, from the median and from the
   best runs (the best is the least disturbed by other load on the machine).

    python tests/benchmark/id_memory_benchmark.py [--sizes 0,5000,20000] [--tasks 300] [--loop 30] [--pairs 5]

Exits non-zero when 20,000 entries (or the largest size) add 5 ms or more per task in part 1 or part 2.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, 'action_plugins'))

from task_benchmark import benchmark_runner  # noqa: E402  pylint: disable=wrong-import-position

LIMIT_MS = 5.0


def keeper_traffic(sizes, tasks):
    # Importable once benchmark_runner made the collections directory.
    from fill_id_memory import filler_changes
    from ansible_collections.runcloud.cloud.plugins.plugin_utils import id_memory
    from ansible_collections.runcloud.cloud.plugins.plugin_utils.action import Memory

    args = dict(server='bench-web', web_app='shop', system_user='shop', name='www.example.com')
    learnt = dict(resolved=[dict(kind='server', server_id=None, name='bench-web', id=7, state='present'),
                            dict(kind='web_app', server_id=7, name='shop', id=71, state='present'),
                            dict(kind='system_user', server_id=7, name='shop', id=70, state='present')])
    medians = {}
    print('\n1. the memory\'s traffic per task (connect, 2 lookups, 1 change, close), %d tasks' % tasks)
    print('%10s %12s %12s %14s' % ('entries', 'median ms', 'p95 ms', 'added ms'))
    for size in sizes:
        # A process that plays the ansible-playbook process of the run: the keeper lives as long as it.
        run = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])
        try:
            client = id_memory.connect(run.pid)
            account = id_memory.account_key(client.salt, 'http://127.0.0.1/api/v2', 'token:bench')
            client.apply(account, filler_changes(size))
            Memory(client, account, False).learn(learnt)
            client.close()
            seconds = []
            for dummy in range(tasks):
                started = time.perf_counter()
                memory = Memory(id_memory.connect(run.pid), account, False)
                task_args = dict(args)
                used = memory.substitute(task_args)
                memory.learn(learnt)
                memory.client.close()
                seconds.append(time.perf_counter() - started)
                assert len(used) == 3 and task_args['parent_ids'] == dict(server=7, web_app=71, system_user=70)
        finally:
            run.kill()
            run.wait()
        medians[size] = statistics.median(seconds) * 1000
        p95 = sorted(seconds)[int(len(seconds) * 0.95)] * 1000
        print('%10d %12.3f %12.3f %14.3f' % (size, medians[size], p95, medians[size] - medians[sizes[0]]))
    return medians[sizes[-1]] - medians[sizes[0]]


def loop_seconds(runner, playbook, size):
    """Run the playbook; the seconds its loop took (the fill task and Ansible's start are not counted)."""
    completed = subprocess.run([runner.playbook_command, playbook, '-e', 'bench_entries=%d' % size], cwd=runner.workdir,
                               env=runner.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, check=False)
    # Marks and the recap from stdout only; stderr (a dependency's warning) only for the message.
    marks = [line.split('LOOP_SECONDS=', 1)[1].strip().strip('"') for line in completed.stdout.splitlines() if 'LOOP_SECONDS=' in line]
    if completed.returncode != 0 or not marks or 'changed=0' not in completed.stdout:
        raise SystemExit('the playbook failed or changed something:\n%s%s' % (completed.stdout[-4000:], completed.stderr[-2000:]))
    return float(marks[-1])


def playbook_loop(runner, sizes, loop, pairs):
    runner.env['ANSIBLE_ACTION_PLUGINS'] = os.path.join(HERE, 'action_plugins')
    runner.session.api('POST', '/servers', {'name': 'bench-web', 'ipAddress': '192.0.2.10'})
    runner.session.api('POST', '/servers/1/users', {'username': 'shop'})
    playbook = os.path.join(runner.workdir, 'loop.json')
    tasks = [
        {'name': 'fill the memory', 'fill_id_memory': {'entries': '{{ bench_entries }}'}},
        {'name': 'the run finds the server', 'runcloud.cloud.system_user': {'server': 'bench-web', 'username': 'shop'}},
        {'name': 'start', 'ansible.builtin.set_fact': {'bench_started': "{{ now(fmt='%s.%f') }}"}},
        {'name': 'system user', 'runcloud.cloud.system_user': {'server': 'bench-web', 'username': 'shop'},
         'loop': list(range(loop))},
        {'name': 'end', 'ansible.builtin.debug': {
            'msg': "LOOP_SECONDS={{ now(fmt='%s.%f') | float - bench_started | float }}"}},
    ]
    with open(playbook, 'w') as handle:
        json.dump([dict(name='benchmark', hosts='localhost', gather_facts=False, tasks=tasks)], handle, indent=1)
    times = dict((size, []) for size in sizes)
    for round_number in range(pairs):
        shift = round_number % len(sizes)
        for size in sizes[shift:] + sizes[:shift]:
            times[size].append(loop_seconds(runner, playbook, size))
    print('\n2. a playbook: fill the memory, then a loop of %d converged system_user tasks (timed alone); %d interleaved runs'
          % (loop, pairs))
    print('%10s %12s %12s %20s %20s' % ('entries', 'median s', 'best s', 'added ms (medians)', 'added ms (best)'))
    added = {}
    for size in sizes:
        median, best = statistics.median(times[size]), min(times[size])
        added[size] = ((median - statistics.median(times[sizes[0]])) * 1000 / loop, (best - min(times[sizes[0]])) * 1000 / loop)
        print('%10d %12.3f %12.3f %20.2f %20.2f' % (size, median, best, added[size][0], added[size][1]))
    return added[sizes[-1]]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('--sizes', default='0,5000,20000', help='entries in the memory, comma-separated, smallest first')
    parser.add_argument('--tasks', type=int, default=300)
    parser.add_argument('--loop', type=int, default=50)
    parser.add_argument('--pairs', type=int, default=5)
    parser.add_argument('--skip-playbook', action='store_true')
    args = parser.parse_args(argv)
    sizes = sorted(int(size) for size in args.sizes.split(','))

    problems = []
    with benchmark_runner('runcloud-id-memory-benchmark-') as runner:
        traffic = keeper_traffic(sizes, args.tasks)
        added = playbook_loop(runner, sizes, args.loop, args.pairs) if not args.skip_playbook else None
    if traffic >= LIMIT_MS:
        problems.append('%d entries add %.2f ms to the memory\'s traffic per task' % (sizes[-1], traffic))
    if added is not None and min(added) >= LIMIT_MS:
        problems.append('%d entries add %.2f ms per task of the playbook (medians; %.2f ms best runs)' % (sizes[-1], added[0], added[1]))
    for problem in problems:
        print('PROBLEM: ' + problem)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
