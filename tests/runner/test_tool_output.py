# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The stages read a tool's answer from its stdout only: a dependency that starts to warn on stderr
(cryptography 51 did, on every ansible-core command) must not break a stage that parses JSON or a
recap. stderr is kept for the log and the failure messages."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import importlib.util
import json
import os
import re
import stat
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Places that hand a process's stderr to its stdout on purpose, each with the reason nothing parses it.
MERGED_ON_PURPOSE = {
    # The runner's terminal output (progress on stdout, its helpers' messages on stderr), read the way a
    # person reads the terminal; the runner itself is this repository's script, not a tool that warns.
    os.path.join('tests', 'runner', 'test_run_tests.py'): 1,
}

WARNING = 'CryptographyDeprecationWarning: DSA is deprecated and support will be removed in a future release.'


def python_sources():
    for path in glob.glob(os.path.join(ROOT, 'tests', '**', '*.py'), recursive=True):
        relative = os.path.relpath(path, ROOT)
        if relative.startswith(os.path.join('tests', 'output')) or relative == os.path.join('tests', 'runner', 'test_tool_output.py'):
            continue
        yield relative, path


def test_no_stage_merges_stderr_into_the_stdout_it_reads():
    found = {}
    for relative, path in python_sources():
        with open(path) as handle:
            count = len(re.findall(r'stderr\s*=\s*subprocess\.STDOUT', handle.read()))
        if count:
            found[relative] = count
    assert found == MERGED_ON_PURPOSE, (
        'stderr=subprocess.STDOUT: read JSON, recaps and versions from stdout only and keep stderr for the log '
        '(or, when nothing is parsed, add the file to MERGED_ON_PURPOSE with the reason)')


def load(relative, name):
    directory = os.path.join(ROOT, os.path.dirname(relative))
    sys.path.insert(0, directory)
    try:
        spec = importlib.util.spec_from_file_location(name, os.path.join(ROOT, relative))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(directory)
    return module


def warning_tool(tmp_path, name, stdout):
    """An executable NAME on a PATH of its own that prints a dependency's warning on stderr, then STDOUT."""
    tool = tmp_path / 'bin' / name
    tool.parent.mkdir(exist_ok=True)
    tool.write_text('#!/bin/sh\necho "/usr/lib/python3/site-packages/x.py:18: %s" >&2\ncat <<\'END\'\n%s\nEND\n' % (WARNING, stdout))
    tool.chmod(tool.stat().st_mode | stat.S_IEXEC)
    return dict(os.environ, PATH=str(tool.parent) + os.pathsep + os.environ['PATH'])


def test_the_awx_stage_parses_json_of_a_tool_that_warns(tmp_path, capsys):
    awx_job = load(os.path.join('tests', 'awx', 'awx_job.py'), 'awx_job_under_test')
    env = warning_tool(tmp_path, 'ansible-galaxy', json.dumps({'/somewhere/ansible_collections': {'runcloud.cloud': {'version': '1.0.0'}}}))
    assert awx_job.collection_location(env, str(tmp_path)) == ['/somewhere/ansible_collections']
    # The warning is not lost: the stage's log shows it.
    assert WARNING in capsys.readouterr().out


def test_the_awx_stage_reads_the_ansible_version_of_a_tool_that_warns(tmp_path):
    awx_job = load(os.path.join('tests', 'awx', 'awx_job.py'), 'awx_job_under_test')
    env = warning_tool(tmp_path, 'ansible', 'ansible [core 2.19.14]')
    assert awx_job.ansible_core_version(env) == (2, 19)


def test_the_examples_stage_tells_a_collection_warning_from_other_stderr():
    examples = load(os.path.join('tests', 'examples', 'documented_examples.py'), 'documented_examples_under_test')
    stderr = '\n'.join([
        '/usr/lib/python3/site-packages/x.py:18: ' + WARNING,
        "[WARNING]: Encountered 1 template error.",
        "error 1 - 'php_site_entry' is undefined",
        '[DEPRECATION WARNING]: The foo option is deprecated.',
        '[ERROR]: Task failed',
    ])
    expected = ['[WARNING]: Encountered 1 template error.', '[DEPRECATION WARNING]: The foo option is deprecated.']
    assert examples.collection_warnings(stderr) == expected
    assert examples.collection_warnings('/x.py:18: ' + WARNING + '\n') == []
