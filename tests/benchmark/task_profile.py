#!/usr/bin/env python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Where a module task spends its time on the controller (not a test: it only reports).

1. The cost of one more task in a playbook (slope over ``--tasks`` tasks, simulator without latency):
   ``ansible.builtin.debug``, ``ansible.builtin.uri`` (one GET), and ``runcloud.cloud.system_user``
   converged (one GET) as a module process and in the controller's process (the default).
2. The parts of a module process that the collection's code decides: building the AnsiballZ payload
   (cold, as in the first task of a run; its size and the collection files it ships), starting a Python,
   importing ``ansible.module_utils.basic``, ``requests`` and the module, and, in one process, argument
   validation plus the module's logic and the request itself.

    python tests/benchmark/task_profile.py [--tasks 10] [--repeat 5]
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import base64
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from task_benchmark import benchmark_runner, harness, write_playbook  # noqa: E402  pylint: disable=wrong-import-position

MODULE = 'system_user'


def slope(runner, label, task, count, repeat):
    """Seconds that one more such task costs: (wall of ``count`` tasks - wall of one) / (count - 1)."""
    results = []
    for tasks in (1, count):
        path = os.path.join(runner.workdir, 'profile-%d.json' % tasks)
        write_playbook(path, [dict(task, name='task %d' % number) for number in range(tasks)])
        results.append(statistics.median(runner.playbook(path)[0] for _round in range(repeat)))
    per_task = (results[1] - results[0]) / (count - 1)
    print('%-46s %8.3f s per task (playbook of 1: %.2f s)' % (label, per_task, results[0]))
    return per_task


def fresh_python(code, env, repeat):
    """Median seconds of ``python -c code`` in a new interpreter (start-up included)."""
    seconds = []
    for _round in range(repeat):
        started = time.monotonic()
        subprocess.run([sys.executable, '-c', code], env=env, check=True)
        seconds.append(time.monotonic() - started)
    return statistics.median(seconds)


BUILD_PAYLOAD = r'''
import json, os, sys, time
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import init_plugin_loader, module_loader
from ansible.template import Templar
from ansible.executor.module_common import modify_module
init_plugin_loader()
context = module_loader.find_plugin_with_context('runcloud.cloud.%s')
started = time.monotonic()
built = modify_module(module_name='runcloud.cloud.%s', module_path=context.plugin_resolved_path, module_args={},
                      templar=Templar(loader=DataLoader()), task_vars={'ansible_python_interpreter': sys.executable})
seconds = time.monotonic() - started
data = built[0] if isinstance(built, tuple) else built.b_module_data
sys.stdout.write(json.dumps({'seconds': seconds, 'payload': data.decode('latin-1')}))
'''


def payload_profile(env, repeat):
    runs = []
    for _round in range(repeat):
        build_env = dict(env, ANSIBLE_LOCAL_TEMP=tempfile.mkdtemp(prefix='runcloud-ansiballz-'))
        completed = subprocess.run([sys.executable, '-c', BUILD_PAYLOAD % (MODULE, MODULE)], env=build_env, check=True,
                                   stdout=subprocess.PIPE, universal_newlines=True)
        shutil.rmtree(build_env['ANSIBLE_LOCAL_TEMP'], ignore_errors=True)
        runs.append(json.loads(completed.stdout))
    payload = runs[-1]['payload'].encode('latin-1')
    blob = max(re.findall(rb'[A-Za-z0-9+/=]{2000,}', payload), key=len)
    archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(blob)))
    ours = [info for info in archive.infolist() if '/runcloud/cloud/' in info.filename and info.filename.endswith('.py')]
    return statistics.median(run['seconds'] for run in runs), len(payload), sum(info.file_size for info in archive.infolist()), ours


IN_PROCESS = r'''
import sys, time
sys.path.insert(0, %(collections)r)
from ansible_collections.runcloud.cloud.plugins.plugin_utils.controller_run import run_module_code
from ansible_collections.runcloud.cloud.plugins.module_utils.client import RunCloudClient
args = {'server': %(server_id)d, 'username': 'shop', 'api_url': %(url)r, 'api_token': %(token)r}
run_module_code(%(module)r, args, {})  # imports
started = time.monotonic()
for _ in range(%(repeat)d):
    result = run_module_code(%(module)r, args, {})
    assert result['rc'] == 0, result
module_seconds = (time.monotonic() - started) / %(repeat)d
client = RunCloudClient(api_url=%(url)r, api_token=%(token)r)
started = time.monotonic()
for _ in range(%(repeat)d):
    client.find_by_field('servers/%(server_id)d/users', 'shop', 'username')
request_seconds = (time.monotonic() - started) / %(repeat)d
print('%%f %%f' %% (module_seconds, request_seconds))
'''


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('--tasks', type=int, default=10)
    parser.add_argument('--repeat', type=int, default=5)
    args = parser.parse_args(argv)

    with benchmark_runner('runcloud-task-profile-') as runner:
        session, workdir = runner.session, runner.workdir
        server_id = session.seed(servers=1, connected=True)[0]
        session.api('POST', '/servers/%d/users' % server_id, {'username': 'shop'})
        print('simulator without latency\n')

        print('1. one more task in a playbook')
        module_args = {'server': server_id, 'username': 'shop'}
        uri = {'ansible.builtin.uri': {'url': '%s/servers/%d/users?search=shop' % (session.url, server_id),
                                       'headers': {'Authorization': 'Bearer ' + harness.TOKEN}}}
        slope(runner, 'ansible.builtin.debug', {'ansible.builtin.debug': {'msg': 'hello'}}, args.tasks, args.repeat)
        slope(runner, 'ansible.builtin.uri (one GET)', uri, args.tasks, args.repeat)
        slope(runner, 'runcloud.cloud.%s, module process' % MODULE,
              {'runcloud.cloud.' + MODULE: dict(module_args, run_on_controller=False)}, args.tasks, args.repeat)
        slope(runner, 'runcloud.cloud.%s, in the controller process' % MODULE, {'runcloud.cloud.' + MODULE: module_args},
              args.tasks, args.repeat)

        print('\n2. parts of a module process (medians of %d)' % args.repeat)
        env = dict(runner.env)
        seconds, size, unpacked, ours = payload_profile(env, args.repeat)
        print('%-46s %8.3f s  (%d bytes, %d unpacked; collection files: %s)'
              % ('AnsiballZ payload of %s, cold' % MODULE, seconds, size, unpacked,
                 ', '.join('%s %d' % (info.filename.rsplit('/', 1)[-1], info.file_size) for info in ours)))
        start = fresh_python('pass', env, args.repeat)
        print('%-46s %8.3f s' % ('new Python, nothing imported', start))
        basic = fresh_python('import ansible.module_utils.basic', env, args.repeat)
        print('%-46s %8.3f s' % ('  + import ansible.module_utils.basic', basic - start))
        requests_import = fresh_python('import requests', env, args.repeat)
        print('%-46s %8.3f s' % ('  + import requests', requests_import - start))
        module_import = fresh_python('import sys; sys.path.insert(0, %r); import ansible_collections.runcloud.cloud.plugins.modules.%s'
                                     % (os.path.join(workdir, 'collections'), MODULE), env, args.repeat)
        print('%-46s %8.3f s' % ('  + import the module (requests, basic included)', module_import - start))
        code = IN_PROCESS % dict(collections=os.path.join(workdir, 'collections'), server_id=server_id, url=session.url,
                                 token=harness.TOKEN, module=MODULE, repeat=20)
        completed = subprocess.run([sys.executable, '-c', code], env=env, check=True, stdout=subprocess.PIPE, universal_newlines=True)
        module_seconds, request_seconds = (float(value) for value in completed.stdout.split())
        print('%-46s %8.3f s' % ('module run, imports done (validation, logic, GET)', module_seconds))
        print('%-46s %8.3f s' % ('  of which the GET itself', request_seconds))
    return 0


if __name__ == '__main__':
    sys.exit(main())
