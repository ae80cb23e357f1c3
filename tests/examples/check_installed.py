# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The README's quick start as a new user follows it: the collection installed from the tarball
`make build` makes, the simulator started with the README's command from the installed collection,
the README's first playbook run with the exported URL and token; then the Vault step. With
RUNCLOUD_TEST_API_VERSION=3 the playbook runs against the v3 URL with the v3 token the simulator's
playbook prints (made, as it makes it, with the installed simulator's --mint-token)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from documented_examples import API_VERSION, BIN, ROOT, TOKEN, collection_warnings, first_yaml_block, yaml_blocks  # noqa: E402 pylint: disable=wrong-import-position


def readme_command(starting):
    """The README's quick-start shell line that starts with ``starting`` (its comment cut off)."""
    with open(os.path.join(ROOT, 'README.md')) as readme:
        for line in readme.read().split('## Developing the collection', 1)[0].splitlines():
            if line.startswith(starting):
                return line.split('  #', 1)[0].strip()
    raise AssertionError('the README quick start has no line starting with %r' % starting)


def free_port():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


@pytest.fixture(scope='module')
def installed(tmp_path_factory):
    """A collections path with runcloud.cloud installed from a freshly built tarball."""
    work = tmp_path_factory.mktemp('installed')
    subprocess.run(['bash', '-c', 'source tests/lib/bootstrap.sh && rc_build_collection "$PWD" "$1"', 'build', str(work)],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    tarball = [name for name in os.listdir(str(work)) if name.endswith('.tar.gz')]
    assert len(tarball) == 1, tarball
    collections = work / 'collections'
    subprocess.run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'install', '-p', str(collections), str(work / tarball[0])],
                   check=True, stdout=subprocess.DEVNULL, env=dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(collections)))
    return str(collections)


def user_environment(collections, home, **extra):
    environment = dict(PATH=BIN + os.pathsep + os.environ.get('PATH', ''), HOME=str(home), LANG='C.UTF-8',
                       ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_NOCOLOR='1', ANSIBLE_LOCALHOST_WARNING='false',
                       ANSIBLE_INVENTORY_UNPARSED_WARNING='false', ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    environment.update(extra)
    return environment


@pytest.fixture
def readme_simulator(installed, tmp_path):
    """The simulator, started from the installed collection with the README's command on a free port."""
    port = free_port()
    command = readme_command('ansible-playbook runcloud.cloud.simulator').split() + ['-e', 'simulator_port=%d' % port]
    process = subprocess.Popen(command, cwd=str(tmp_path), env=user_environment(installed, tmp_path), start_new_session=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    url = 'http://127.0.0.1:%d/api/v2' % port
    deadline = time.time() + 60
    while True:
        try:
            request = urllib.request.Request(url + '/ping', headers={'Authorization': 'Bearer ' + TOKEN, 'Accept': 'application/json'})
            urllib.request.urlopen(request, timeout=2).close()
            break
        except OSError:
            assert process.poll() is None, process.communicate()
            assert time.time() < deadline, 'the simulator did not answer within 60 s'
            time.sleep(0.3)
    yield url
    # Ctrl-C in the terminal: the whole foreground process group gets SIGINT.
    os.killpg(process.pid, signal.SIGINT)
    # The line the README's command prints, on stdout; stderr only for the message.
    output, errors = process.communicate(timeout=30)
    assert not collection_warnings(errors), errors
    assert 'RUNCLOUD_API_URL=http://127.0.0.1:%d/api/v2 RUNCLOUD_API_TOKEN=%s' % (port, TOKEN) in output
    with pytest.raises(OSError):
        urllib.request.urlopen(url + '/ping', timeout=2)


def run_user_playbook(collections, home, playbook_text, *args, **environment):
    path = os.path.join(str(home), 'first.yml')
    with open(path, 'w') as playbook:
        playbook.write(playbook_text)
    result = subprocess.run([os.path.join(BIN, 'ansible-playbook'), path] + list(args), cwd=str(home),
                            env=user_environment(collections, home, **environment),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not collection_warnings(result.stderr), result.stderr
    return result.stdout


def v3_token(collections, home):
    """The JWT the simulator playbook prints for API v3, made by the same command from the installed collection."""
    script = os.path.join(collections, 'ansible_collections', 'runcloud', 'cloud', 'tests', 'simulator', 'runcloud_sim.py')
    return subprocess.run([sys.executable, script, '--mint-token', '4102444800'], cwd=str(home), check=True,
                          stdout=subprocess.PIPE, universal_newlines=True).stdout.strip()


def test_the_quick_start_runs_from_the_installed_collection(installed, readme_simulator, tmp_path):
    # The simulator's line (the one before it points a real account at API v3).
    exported = dict(re.findall(r'(RUNCLOUD_API_\w+)=(\S+)', readme_command('export RUNCLOUD_API_URL=http://127.0.0.1')))
    assert exported['RUNCLOUD_API_URL'] == 'http://127.0.0.1:8089/api/v2'
    url, token = readme_simulator, exported['RUNCLOUD_API_TOKEN']
    if API_VERSION == 3:
        url, token = readme_simulator[:-len('/api/v2')] + '/api/v3', v3_token(installed, tmp_path)
    output = run_user_playbook(installed, tmp_path, first_yaml_block('README.md', '## Quick start'),
                               RUNCLOUD_API_URL=url, RUNCLOUD_API_TOKEN=token)
    # The README asks for three made-up servers.
    assert len(re.findall(r'\(\d+\.\d+\.\d+\.\d+\): connected', output)) == 3, output


def test_the_vault_step_works_without_a_token_in_the_environment(installed, readme_simulator, tmp_path):
    (tmp_path / 'vault-password').write_text('correct horse battery staple\n')
    (tmp_path / 'group_vars' / 'all').mkdir(parents=True)
    command = readme_command('ansible-vault encrypt_string').split('>')[0].split()
    encrypted = subprocess.run([os.path.join(BIN, command[0])] + command[1:] + ['--vault-password-file', 'vault-password'],
                               cwd=str(tmp_path), input=TOKEN, stdout=subprocess.PIPE, universal_newlines=True, check=True,
                               env=user_environment(installed, tmp_path)).stdout
    (tmp_path / 'group_vars' / 'all' / 'vault.yml').write_text(encrypted)
    vault_playbook = yaml_blocks('README.md', '### 4. Keep the token in Ansible Vault')[0]
    output = run_user_playbook(installed, tmp_path, vault_playbook, '--vault-password-file', 'vault-password',
                               RUNCLOUD_API_URL=readme_simulator)
    assert 'ok=1' in output
