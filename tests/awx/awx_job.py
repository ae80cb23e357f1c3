# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""examples/fleet.yml taken through AWX's own steps, from the built collection tarball, against the
API simulator (docs/awx.md). Run by tests/awx/run-awx-job.sh, which builds the tarball.

1. Project sync: the project (fleet.yml, its inventory file, collections/requirements.yml naming the
   tarball, the ansible.cfg of docs/awx.md) is checked out into a projects root and
   ``ansible-galaxy collection install -r collections/requirements.yml`` runs in it with the
   environment AWX gives it (the plural ANSIBLE_COLLECTIONS_PATHS pointing into the project cache).
   The same sync of a project without that ansible.cfg shows the pitfall docs/awx.md describes.
2. Inventory update: ``ansible-inventory -i <source> --playbook-dir <dir> --list --export`` in a
   private data directory holding a copy of the project and the project cache's collections, with
   the environment the credential injects; its JSON is loaded as AWX loads it (host variables
   stored exactly as given).
3. Credentials: both credential types of docs/awx.md, read from the guide itself (input fields,
   required fields, injectors), injected the way AWX renders injectors (a sandboxed Jinja2
   environment over the credential's inputs).
4. Jobs: the stored inventory written as AWX writes it for a job (an executable inventory script,
   the hosts of a slice chosen as AWX chooses them), then ansible-runner with a private data
   directory per job: a job with the token credential and a 3-slice job (run in parallel) with the
   key/secret credential, each run twice. The second runs must report changed=0 and send no write,
   and the request and write totals the runcloud.cloud.api_usage callback shows at the end of the jobs'
   output must add up to what the simulator logged.

A server is named like a template (a pipe lookup that would create a file): nothing may run it.

API versions: the token credential points at the simulator's API v3 (a workspace token, a JWT; API v3
takes no key/secret pair), the key/secret credential at its API v2, on the same account: both
versions run every time, and the two inventory updates must store the same inventory.
``--token-api-version 2`` runs the token credential against API v2 as well.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import concurrent.futures
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time

import jinja2.sandbox
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'inventory'))

import inventory_harness as harness  # noqa: E402  pylint: disable=wrong-import-position

PROJECT_LOCAL_PATH = '_8__runcloud_fleet'
INVENTORY_SOURCE = 'inventory/fleet.runcloud.yml'
API_KEY, API_SECRET = 'awx-test-key', 'awx-test-secret'
SERVERS = 4
SLICES = 3
TEMPLATE_SERVER_ID = 3
LOOKUP_MARKER = 'runcloud-awx-lookup-ran'


class Failure(Exception):
    pass


def log(message):
    print('[awx] %s' % message, flush=True)


def run(command, cwd, env, what):
    """The command's stdout, which callers parse (JSON, versions). Its stderr carries warnings (a
    dependency's deprecation warning, Ansible's [WARNING]s): never parsed, only shown in the log."""
    completed = subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               universal_newlines=True, timeout=600, check=False)
    if completed.returncode != 0:
        raise Failure('%s failed (exit %s):\nstdout:\n%s\nstderr:\n%s' % (what, completed.returncode, completed.stdout, completed.stderr))
    if completed.stderr.strip():
        log('%s wrote on stderr:\n%s' % (what, completed.stderr.rstrip()))
    return completed.stdout


def base_environment(venv_bin, home):
    """A clean environment: nothing of the caller's Ansible settings, and a HOME of its own (AWX runs
    in a fresh execution environment container)."""
    env = dict((name, value) for name, value in os.environ.items()
               if not name.startswith(('ANSIBLE_', 'RUNCLOUD_', 'PYTHON')))
    env.update({'PATH': venv_bin + os.pathsep + env.get('PATH', ''), 'HOME': home, 'ANSIBLE_NOCOLOR': '1'})
    os.makedirs(home, exist_ok=True)
    return env


# -- credential types (docs/awx.md) ----------------------------------------------------------------

def credential_types(guide):
    """[(inputs, injectors)] of the credential types in the guide, in order: every ```yaml block with
    ``fields`` followed by the next one with ``env``."""
    with open(guide) as handle:
        blocks = [yaml.safe_load(block) for block in re.findall(r'```yaml\n(.*?)```', handle.read(), re.S)]
    types, inputs = [], None
    for block in blocks:
        if isinstance(block, dict) and 'fields' in block:
            inputs = block
        elif isinstance(block, dict) and set(block) == {'env'} and inputs is not None:
            types.append((inputs, block))
            inputs = None
    return types


def inject(credential_type, values):
    """The environment AWX injects for a credential of this type with these inputs."""
    inputs, injectors = credential_type
    field_ids = [field['id'] for field in inputs['fields']]
    unknown = sorted(set(values) - set(field_ids))
    missing = [name for name in inputs.get('required', []) if not values.get(name)]
    if unknown or missing:
        raise Failure('credential inputs do not fit the type (unknown %s, required but missing %s)' % (unknown, missing))
    for field in inputs['fields']:
        if field.get('secret') is not True and re.search(r'token|secret', field['id']):
            raise Failure('credential field %s is not marked secret' % field['id'])
    sandbox = jinja2.sandbox.ImmutableSandboxedEnvironment(undefined=jinja2.StrictUndefined)
    return dict((name, sandbox.from_string(template).render(**values)) for name, template in injectors['env'].items())


# -- project sync ----------------------------------------------------------------------------------

def write_project(path, tarball, with_ansible_cfg):
    os.makedirs(os.path.join(path, 'inventory'))
    os.makedirs(os.path.join(path, 'collections'))
    shutil.copy(os.path.join(ROOT, 'examples', 'fleet.yml'), path)
    shutil.copy(os.path.join(ROOT, 'examples', 'fleet.runcloud.yml'), os.path.join(path, INVENTORY_SOURCE))
    with open(os.path.join(path, 'collections', 'requirements.yml'), 'w') as handle:
        yaml.safe_dump({'collections': [{'name': tarball, 'type': 'file'}]}, handle)
    if with_ansible_cfg:
        with open(os.path.join(path, 'ansible.cfg'), 'w') as handle:
            handle.write(ANSIBLE_CFG)


# The project's ansible.cfg of docs/awx.md (sections "The collection on ansible-core 2.19+" and
# "What a job cost of the API quota").
ANSIBLE_CFG = '[defaults]\ncollections_path = collections\ncallbacks_enabled = runcloud.cloud.api_usage\n'
# The runcloud.cloud.api_usage callback's total at the end of a job's output.
RUN_TOTAL = re.compile(r'^run total\s+: requests=(\d+)\s+writes=(\d+)', re.MULTILINE)


def project_sync(projects_root, env):
    """What AWX's project update does for collections/requirements.yml: returns the project path and
    the cache directory the collections are meant to land in."""
    project_path = os.path.join(projects_root, PROJECT_LOCAL_PATH)
    stage = os.path.join(projects_root, '.__awx_cache', PROJECT_LOCAL_PATH, 'stage')
    cache = os.path.join(stage, 'requirements_collections')
    os.makedirs(os.path.join(stage, 'tmp'))
    os.makedirs(cache)
    galaxy_env = dict(env, ANSIBLE_COLLECTIONS_PATHS=cache, ANSIBLE_ROLES_PATH=os.path.join(stage, 'requirements_roles'),
                      ANSIBLE_LOCAL_TEMP=os.path.join(stage, 'tmp'))
    run(['ansible-galaxy', 'collection', 'install', '-r', os.path.join(project_path, 'collections', 'requirements.yml')],
        project_path, galaxy_env, 'project sync (ansible-galaxy collection install)')
    return project_path, cache


def installed(root):
    return os.path.isfile(os.path.join(root, 'ansible_collections', 'runcloud', 'cloud', 'MANIFEST.json'))


def sync_projects(work, tarball, env):
    """The pitfall first (a project without the ansible.cfg), then the project the jobs use."""
    pitfall_root = os.path.join(work, 'pitfall', 'projects')
    pitfall_home = os.path.join(work, 'pitfall', 'home')
    write_project(os.path.join(pitfall_root, PROJECT_LOCAL_PATH), tarball, with_ansible_cfg=False)
    pitfall_path, pitfall_cache = project_sync(pitfall_root, dict(env, HOME=pitfall_home))
    version = ansible_core_version(env)
    if version >= (2, 19):
        # ansible-core 2.19+ reads only the singular ANSIBLE_COLLECTIONS_PATH: the collection goes to
        # the default path (lost with the sync's container in AWX), not into the project cache.
        if installed(pitfall_cache) or installed(os.path.join(pitfall_path, 'collections')):
            raise Failure('without the ansible.cfg the collection was installed where the job finds it; docs/awx.md is wrong')
        if not installed(os.path.join(pitfall_home, '.ansible', 'collections')):
            raise Failure('the project sync without the ansible.cfg did not install into ~/.ansible/collections')
        output = failed_inventory_update(work, pitfall_path, pitfall_cache, env)
        if "Invalid host pattern 'plugin:'" not in ' '.join(output.split()):
            raise Failure('the inventory update without the collection failed otherwise than docs/awx.md says:\n%s' % output)
        log('pitfall confirmed: ANSIBLE_COLLECTIONS_PATHS alone installs into ~/.ansible/collections on ansible-core %d.%d, '
            "the inventory update fails with \"Invalid host pattern 'plugin:'\"" % version)
    elif not installed(pitfall_cache):
        raise Failure('ANSIBLE_COLLECTIONS_PATHS did not install into the project cache')

    projects_root = os.path.join(work, 'projects')
    write_project(os.path.join(projects_root, PROJECT_LOCAL_PATH), tarball, with_ansible_cfg=True)
    project_path, cache = project_sync(projects_root, env)
    if not (installed(cache) or installed(os.path.join(project_path, 'collections'))):
        raise Failure('the project sync installed the collection neither into the project nor into its cache')
    return project_path, cache


def failed_inventory_update(work, project_path, cache, env):
    """The output of an inventory update that must fail (the collection is not where AWX looks)."""
    pdd = private_data_dir(work, 'pitfall-inventory-update', project_path, cache)
    source = os.path.join(pdd, 'project', INVENTORY_SOURCE)
    completed = subprocess.run(['ansible-inventory', '-i', source, '--list', '--export'], cwd=os.path.join(pdd, 'project'),
                               env=dict(env, **awx_variables(pdd, {})), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               universal_newlines=True, timeout=300, check=False)
    if completed.returncode == 0:
        raise Failure('the inventory update found the plugin although the sync installed it elsewhere')
    # What the user reads (the error is on stderr), searched for the hint, not parsed.
    return completed.stdout + completed.stderr


def ansible_core_version(env):
    output = run(['ansible', '--version'], None, env, 'ansible --version')
    match = re.search(r'core (\d+)\.(\d+)', output)
    return int(match.group(1)), int(match.group(2))


# -- private data directories ----------------------------------------------------------------------

def private_data_dir(work, name, project_path, cache):
    """A job's private data directory as AWX lays it out: the project and the cached collections."""
    pdd = os.path.join(work, 'jobs', name)
    shutil.copytree(project_path, os.path.join(pdd, 'project'), symlinks=True)
    shutil.copytree(cache, os.path.join(pdd, 'requirements_collections'), symlinks=True)
    os.makedirs(os.path.join(pdd, 'inventory'))
    os.makedirs(os.path.join(pdd, 'env'))
    return pdd


def awx_variables(pdd, credential_env):
    """What AWX adds to the environment of a job or an inventory update (ansible-runner's
    env/envvars): the credential's injected variables and its own (released AWX: the plural name)."""
    job_env = dict(credential_env)
    job_env.update({
        'ANSIBLE_COLLECTIONS_PATHS': os.pathsep.join([os.path.join(pdd, 'requirements_collections'),
                                                      '~/.ansible/collections', '/usr/share/ansible/collections']),
        'ANSIBLE_RETRY_FILES_ENABLED': 'False',
        'ANSIBLE_INVENTORY_UNPARSED_FAILED': 'True',
        'AWX_PRIVATE_DATA_DIR': pdd,
    })
    return job_env


def collection_location(env, cwd):
    output = run(['ansible-galaxy', 'collection', 'list', 'runcloud.cloud', '--format', 'json'], cwd, env,
                 'ansible-galaxy collection list')
    return sorted(json.loads(output))


def inventory_update(work, name, project_path, cache, env, credential_env):
    """The inventory update of an SCM inventory source; returns the inventory as AWX stores it."""
    pdd = private_data_dir(work, name, project_path, cache)
    update_env = dict(env, **awx_variables(pdd, credential_env))
    cwd = os.path.join(pdd, 'project')
    locations = collection_location(update_env, cwd)
    # Only the copy the project sync installed from the tarball, never the checkout.
    if not locations or not all(os.path.realpath(location).startswith(os.path.realpath(pdd) + os.sep) for location in locations):
        raise Failure('runcloud.cloud is not (only) the one installed from the tarball: %s' % locations)
    source = os.path.join(cwd, INVENTORY_SOURCE)
    output_file = os.path.join(pdd, 'inventory-update.json')
    run(['ansible-inventory', '-i', source, '--playbook-dir', os.path.dirname(source), '--list', '--export',
         '--output', output_file, '-vv'], cwd, update_env, 'inventory update')
    with open(output_file) as handle:
        exported = json.load(handle)  # AWX: json.loads of the output, variables kept as they are
    return awx_inventory(exported)


def awx_inventory(exported):
    """{'hosts': {name: variables}, 'groups': {name: [hosts]}} the way AWX's inventory import keeps
    an ``ansible-inventory --list --export`` answer (children flattened to their hosts here)."""
    hostvars = exported.get('_meta', {}).get('hostvars', {})
    groups = {}

    def members(group_name, seen=()):
        group = exported.get(group_name) or {}
        hosts = set(group.get('hosts') or [])
        for child in group.get('children') or []:
            if child not in seen:
                hosts |= members(child, seen + (group_name,))
        return hosts

    for group_name in exported:
        if group_name not in ('_meta', 'all', 'ungrouped'):
            groups[group_name] = sorted(members(group_name))
    return {'hosts': hostvars, 'groups': groups}


def check_stored_variables(inventory):
    """Host variables must be plain values (AWX would keep an unsafe envelope as a dictionary) for
    every server not named like a template."""
    for host, variables in inventory['hosts'].items():
        envelopes = [name for name, value in variables.items() if isinstance(value, dict) and '__ansible_unsafe' in value]
        if variables.get('runcloud_id') == TEMPLATE_SERVER_ID:
            if envelopes != ['runcloud_name']:
                raise Failure('the server named like a template is stored with envelopes in %s' % envelopes)
        elif envelopes:
            raise Failure('host %s: variables %s are stored as {"__ansible_unsafe": ...}' % (host, envelopes))
        elif not isinstance(variables.get('ansible_host'), str):
            raise Failure('host %s has no usable ansible_host: %r' % (host, variables.get('ansible_host')))


def script_data(inventory, slice_number=0, slice_count=1):
    """The inventory of one job as AWX hands it over (Inventory.get_script_data): hosts ordered by
    name; a slice takes every slice_count-th of them starting at slice_number."""
    names = sorted(inventory['hosts'])
    if slice_count > 1:
        names = names[slice_number - 1::slice_count]
    data = {'all': {'hosts': [], 'children': [], 'vars': {}}, '_meta': {'hostvars': {}}}
    for group, hosts in sorted(inventory['groups'].items()):
        data[group] = {'hosts': [host for host in hosts if host in names], 'children': [], 'vars': {}}
        data['all']['children'].append(group)
    for index, name in enumerate(names):
        data['_meta']['hostvars'][name] = dict(inventory['hosts'][name], remote_tower_enabled='true',
                                               remote_tower_id=index + 1)
    data['all']['hosts'] = [name for name in names if not any(name in data[group]['hosts'] for group in inventory['groups'])]
    return data


def write_job_inventory(pdd, data):
    path = os.path.join(pdd, 'inventory', 'hosts')
    with open(path, 'w') as handle:
        handle.write('#! /usr/bin/env python3\n# -*- coding: utf-8 -*-\nprint(%r)\n' % json.dumps(data))
    os.chmod(path, 0o700)


# -- jobs ------------------------------------------------------------------------------------------

def prepare_job(work, name, project_path, cache, env, credential_env, data):
    pdd = private_data_dir(work, name, project_path, cache)
    write_job_inventory(pdd, data)
    with open(os.path.join(pdd, 'env', 'envvars'), 'w') as handle:
        yaml.safe_dump(awx_variables(pdd, credential_env), handle)
    with open(os.path.join(pdd, 'env', 'cmdline'), 'w') as handle:
        handle.write('--forks 5')
    with open(os.path.join(pdd, 'env', 'extravars'), 'w') as handle:
        yaml.safe_dump({'fleet_batch': 2}, handle)
    return pdd, env


def run_job(pdd, env, ident):
    """One ansible-runner run; returns the play recap's totals and the hosts it ran on."""
    subprocess.run(['ansible-runner', 'run', pdd, '--playbook', 'fleet.yml', '--ident', ident],
                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600, check=False)
    artifacts = os.path.join(pdd, 'artifacts', ident)
    status = read_text(os.path.join(artifacts, 'status')) or 'missing'
    stdout = read_text(os.path.join(artifacts, 'stdout'))
    if status != 'successful':
        raise Failure('job %s: status %s\n%s' % (ident, status, stdout))
    stats = None
    for event_file in sorted(glob.glob(os.path.join(artifacts, 'job_events', '*.json'))):
        with open(event_file) as handle:
            event = json.load(handle)
        if event.get('event') == 'playbook_on_stats':
            stats = event['event_data']
    if stats is None:
        raise Failure('job %s: no playbook_on_stats event' % ident)
    hosts = set().union(*(stats.get(key) or {} for key in ('ok', 'changed', 'failures', 'dark', 'skipped')))
    # The account check is a play of its own on localhost, once in every job (every slice).
    if 'localhost' not in hosts:
        raise Failure('job %s: the account check on localhost did not run\n%s' % (ident, stdout))
    totals = dict((key, sum((stats.get(key) or {}).values())) for key in ('changed', 'failures', 'dark'))
    return totals, sorted(hosts - set(['localhost'])), stdout


def read_text(path):
    try:
        with open(path) as handle:
            return handle.read().strip()
    except IOError:
        return ''


def run_jobs(jobs, simulator):
    """Runs the (name, pdd, env) jobs at once, as AWX runs the slices of a job; returns the totals,
    the hosts per job and the write requests they sent."""
    simulator.clear_log()
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        results = list(pool.map(lambda job: run_job(job[1], job[2], job[0]), jobs))
    logged = simulator.request_log()
    writes = logged['counters'].get('writes', 0)
    totals = dict((key, sum(result[0][key] for result in results)) for key in ('changed', 'failures', 'dark'))
    check_usage_shown(jobs, results, len(logged['requests']), writes)
    return totals, [result[1] for result in results], writes, results


# What no job output may show: the credentials' secrets (main adds the v3 token it uses).
CREDENTIAL_SECRETS = [harness.TOKEN, API_SECRET]


def check_usage_shown(jobs, results, requests, writes):
    """Each job's output ends with the api_usage callback's run total; together they are what the API
    logged (the jobs read no inventory: AWX gives them the stored one)."""
    shown = []
    for (name, _pdd, _env), (_totals, _hosts, stdout) in zip(jobs, results):
        found = RUN_TOTAL.findall(stdout)
        if len(found) != 1:
            raise Failure('job %s: the output does not end with one run total of runcloud.cloud.api_usage:\n%s' % (name, stdout[-3000:]))
        shown.append((int(found[0][0]), int(found[0][1])))
        if any(secret in stdout for secret in CREDENTIAL_SECRETS):
            raise Failure('job %s: a credential is in the output' % name)
    total = (sum(count for count, _writes in shown), sum(written for _count, written in shown))
    if total != (requests, writes):
        raise Failure('the jobs showed %d requests and %d writes, the API logged %d and %d' % (total + (requests, writes)))


def converge_twice(label, jobs_for_run, simulator, all_hosts):
    started = time.monotonic()
    first, first_hosts, first_writes, _results = run_jobs(jobs_for_run('1'), simulator)
    if sorted(host for hosts in first_hosts for host in hosts) != sorted(all_hosts):
        raise Failure('%s: the runs covered %s, not every host once (%s)' % (label, first_hosts, all_hosts))
    if first['failures'] or first['dark'] or not first['changed'] or not first_writes:
        raise Failure('%s, first run: %s, %d writes (expected changes from a fresh fleet)' % (label, first, first_writes))
    second, _hosts, writes, results = run_jobs(jobs_for_run('2'), simulator)
    if second['changed'] or second['failures'] or second['dark'] or writes:
        raise Failure('%s, second run: %s, %d writes\n%s' % (label, second, writes, '\n'.join(result[2] for result in results)))
    log('%s: %s; first run changed=%d (%d writes), second run changed=0, no write (%.1fs)'
        % (label, ', '.join('%d hosts' % len(hosts) for hosts in first_hosts), first['changed'], first_writes,
           time.monotonic() - started))


def seed(simulator, marker):
    """Four connected servers; the name of one is a lookup that would create ``marker``."""
    simulator.reset()
    if simulator.seed(servers=SERVERS) != list(range(1, SERVERS + 1)):
        raise Failure('the simulator did not seed servers 1-%d' % SERVERS)
    simulator.rename_server(TEMPLATE_SERVER_ID, "{{ lookup('pipe', 'touch %s') }}" % marker)
    simulator.clear_log()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('--tarball', required=True)
    parser.add_argument('--work', required=True)
    parser.add_argument('--token-api-version', type=int, choices=(2, 3), default=3,
                        help='the API version the token credential points at (the key/secret one: v2)')
    args = parser.parse_args()
    work = os.path.abspath(args.work)
    tarball = os.path.abspath(args.tarball)
    marker = os.path.join(work, LOOKUP_MARKER)
    with tarfile.open(tarball) as archive:
        if not any(member.name == 'MANIFEST.json' for member in archive.getmembers()):
            raise Failure('%s is not a collection tarball' % tarball)
    venv_bin = os.path.dirname(sys.executable)
    env = base_environment(venv_bin, os.path.join(work, 'home'))
    token_type, key_type = credential_types(os.path.join(ROOT, 'docs', 'awx.md'))

    started = time.monotonic()
    project_path, cache = sync_projects(work, tarball, env)
    log('project sync: %s installed from %s (%.1fs)' % ('runcloud.cloud', os.path.basename(tarball), time.monotonic() - started))

    simulator = harness.SimulatorSession(api_key=API_KEY, api_secret=API_SECRET)
    try:
        if args.token_api_version == 3:
            token_inputs = {'api_token': simulator.simulator.token_v3, 'api_url': simulator.simulator.url_v3}
            CREDENTIAL_SECRETS.append(token_inputs['api_token'])
        else:
            token_inputs = {'api_token': harness.TOKEN, 'api_url': simulator.url}
        log('credentials: token on %s, key/secret on %s' % (token_inputs['api_url'], simulator.url))
        token_env = inject(token_type, token_inputs)
        key_env = inject(key_type, {'api_key': API_KEY, 'api_secret': API_SECRET, 'api_url': simulator.url})
        if 'RUNCLOUD_API_TOKEN' in key_env or not key_env.get('RUNCLOUD_API_KEY'):
            raise Failure('the key/secret credential type injects %s' % sorted(key_env))

        seed(simulator, marker)
        started = time.monotonic()
        stored = inventory_update(work, 'inventory-update-token', project_path, cache, env, token_env)
        check_stored_variables(stored)
        all_hosts = sorted(stored['hosts'])
        if len(all_hosts) != SERVERS:
            raise Failure('inventory update stored %d hosts, not %d' % (len(all_hosts), SERVERS))
        log('inventory update (token credential): %d hosts stored with plain variables (%.1fs)'
            % (len(all_hosts), time.monotonic() - started))

        def plain_job(run_number):
            pdd, job_env = prepare_job(work, 'job-%s' % run_number, project_path, cache, env, token_env, script_data(stored))
            return [('job-%s' % run_number, pdd, job_env)]
        converge_twice('job (token credential)', plain_job, simulator, all_hosts)

        seed(simulator, marker)
        stored_by_key = inventory_update(work, 'inventory-update-key', project_path, cache, env, key_env)
        if stored_by_key != stored:
            raise Failure('the key/secret credential (API v2) gave another inventory than the token credential (API v%d)'
                          % args.token_api_version)

        def sliced_job(run_number):
            jobs = []
            for number in range(1, SLICES + 1):
                name = 'slice-%d-of-%d-run-%s' % (number, SLICES, run_number)
                pdd, job_env = prepare_job(work, name, project_path, cache, env, key_env,
                                           script_data(stored_by_key, number, SLICES))
                jobs.append((name, pdd, job_env))
            return jobs
        converge_twice('%d-slice job (key/secret credential)' % SLICES, sliced_job, simulator, all_hosts)
    finally:
        simulator.close()
    if os.path.exists(marker):
        raise Failure('the lookup in a server name was executed')


if __name__ == '__main__':
    try:
        main()
    except Failure as error:
        print('[awx] FAILED: %s' % error, file=sys.stderr)
        sys.exit(1)
