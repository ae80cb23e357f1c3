#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Where the task workers of a converged examples/fleet.yml spend their CPU (not a test: it only reports).

Ansible forks a worker per task and host; the worker templates the task's arguments, runs the action
plugin (here the module in the worker's own process) and sends the result back. This script runs the
converged fleet over ``--servers`` servers (simulator without latency) with every worker under cProfile
and prints, per task of the play, the workers' seconds (profiled: about twice the real CPU, so compare the
rows with each other) and the parts the collection or the role decides:

- ``compile``: Jinja compiling the task's templates (its arguments, ``when``, the variables they use),
  which every worker does anew (ansible-core keeps no compiled template across tasks);
- ``jinja plugins``: filter and test lookups; a filter that only Jinja has (``length``, ``int``) is
  first searched among ansible-core's own filter plugins, in every worker, and the miss is not kept;
- ``module``: the action plugin (the module's run, its request included, and the id memory).

    python tests/benchmark/worker_profile.py [--servers 20] [--top 0]

``--top N`` also prints the N functions with the most cumulative time of each task's workers.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import collections
import glob
import os
import pstats
import re
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from task_benchmark import FLEET, FLEET_INVENTORY, benchmark_runner  # noqa: E402  pylint: disable=wrong-import-position

# Loaded by every Python that ansible-playbook starts (PYTHONPATH); it wraps the worker's task run in
# cProfile once ansible.executor.process.worker is imported, and dumps one file per worker.
SITECUSTOMIZE = r'''
import builtins
import os
import re
import sys

_directory = os.environ.get('RUNCLOUD_WORKER_PROFILE_DIR')
_original_import = builtins.__import__


def _profile_workers(worker):
    run = worker.WorkerProcess._run

    def profiled_run(self):
        import cProfile
        profile = cProfile.Profile()
        profile.enable()
        try:
            return run(self)
        finally:
            profile.disable()
            name = re.sub('[^A-Za-z0-9]+', '_', self._task.get_name())[:60]
            profile.dump_stats(os.path.join(_directory, '%s--%d.prof' % (name, os.getpid())))
    worker.WorkerProcess._run = profiled_run


def _import(name, *args, **kwargs):
    module = _original_import(name, *args, **kwargs)
    worker = sys.modules.get('ansible.executor.process.worker')
    # Once: imports nest, and a second profiler would take the first one's place.
    if builtins.__import__ is _import and hasattr(worker, 'WorkerProcess'):
        builtins.__import__ = _original_import
        _profile_workers(worker)
    return module


if _directory:
    builtins.__import__ = _import
'''

PARTS = (
    ('compile', re.compile(r'jinja2/environment\.py:\d+\(compile\)$')),
    ('jinja plugins', re.compile(r'_jinja_plugins\.py:\d+\(__getitem__\)$')),
    ('module', re.compile(r'plugin_utils/action\.py:\d+\(run\)$')),
)


def function_label(function):
    path, line, name = function
    return '%s:%d(%s)' % (path, line, name)


def part_seconds(stats, pattern):
    """Cumulative seconds of the functions that match (each pattern names one that does not nest in itself)."""
    total = 0.0
    for function, (_calls, _primitive, _own, cumulative, _callers) in stats.stats.items():
        if pattern.search(function_label(function)):
            total += cumulative
    return total


def report(directory, top):
    groups = collections.defaultdict(list)
    for path in glob.glob(os.path.join(directory, '*.prof')):
        groups[os.path.basename(path).split('--')[0]].append(path)
    print('%-60s %7s %9s %9s %13s %9s' % ('task', 'workers', 's/worker', 'compile', 'jinja plugins', 'module'))
    for task, paths in sorted(groups.items()):
        stats = None
        for path in paths:
            try:
                stats = pstats.Stats(path) if stats is None else stats.add(path) or stats
            except (EOFError, ValueError, TypeError):
                continue  # a worker that was still writing when the run ended
        if stats is None:
            continue
        workers = len(paths)
        parts = [part_seconds(stats, pattern) / workers for _name, pattern in PARTS]
        print('%-60s %7d %9.3f %9.3f %13.3f %9.3f' % ((task[:60], workers, stats.total_tt / workers) + tuple(parts)))
        if top:
            stats.sort_stats('cumulative').print_stats(top)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('--servers', type=int, default=20)
    parser.add_argument('--top', type=int, default=0, help='functions with the most cumulative time to print per task')
    args = parser.parse_args(argv)
    with benchmark_runner('runcloud-worker-profile-') as runner:
        session = runner.session
        session.seed(servers=args.servers, connected=True)
        session.set_latency(0)
        runner.allow_changes = True
        runner.playbook(FLEET, '-i', FLEET_INVENTORY)
        runner.allow_changes = False
        hook = tempfile.mkdtemp(dir=runner.workdir)
        with open(os.path.join(hook, 'sitecustomize.py'), 'w') as handle:
            handle.write(SITECUSTOMIZE)
        profiles = tempfile.mkdtemp(dir=runner.workdir)
        runner.env['PYTHONPATH'] = os.pathsep.join([hook] + [entry for entry in [runner.env.get('PYTHONPATH')] if entry])
        runner.env['RUNCLOUD_WORKER_PROFILE_DIR'] = profiles
        seconds, requests = runner.playbook(FLEET, '-i', FLEET_INVENTORY)
        print('examples/fleet.yml converged, %d servers, no latency: %.2f s, %d requests (workers profiled)'
              % (args.servers, seconds, len(requests)))
        report(profiles, args.top)
    return 0


if __name__ == '__main__':
    sys.exit(main())
