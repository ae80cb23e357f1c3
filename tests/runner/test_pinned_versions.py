# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Every package the test venvs install is pinned: tests/requirements*.txt each have a constraints
file (tests/constraints/, made by tests/constraints/refresh.sh) that pins all of it, and the holds
of tests/constraints/holds.txt are kept."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os
import re

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TESTS = os.path.join(ROOT, 'tests')
CONSTRAINTS = os.path.join(TESTS, 'constraints')
PIN = re.compile(r'^([A-Za-z0-9][A-Za-z0-9._-]*)==([A-Za-z0-9.+!-]+)$')


def requirement_lines(path):
    with open(path) as handle:
        return [line.split('#', 1)[0].strip() for line in handle if line.split('#', 1)[0].strip()]


def pins(path):
    found = {}
    for line in requirement_lines(path):
        match = PIN.match(line)
        assert match, '%s: %r is not name==version' % (os.path.relpath(path, ROOT), line)
        found[match.group(1).lower().replace('_', '-')] = match.group(2)
    return found


def normalised(name):
    return re.split(r'[<>=!~\[; ]', name, 1)[0].lower().replace('_', '-')


REQUIREMENTS = sorted(glob.glob(os.path.join(TESTS, 'requirements*.txt')))


@pytest.mark.parametrize('requirements', REQUIREMENTS, ids=os.path.basename)
def test_every_venv_requirements_file_has_constraints_that_pin_all_of_it(requirements):
    constraints = os.path.join(CONSTRAINTS, os.path.basename(requirements))
    assert os.path.isfile(constraints), 'make it: tests/constraints/refresh.sh --python X.Y %s' % os.path.basename(requirements)
    with open(constraints) as handle:
        assert re.match(r'^# python 3\.\d+$', handle.readline().rstrip()), 'its first line names the Python (refresh.sh reads it)'
    pinned = pins(constraints)
    for line in requirement_lines(requirements):
        name = normalised(line)
        assert name in pinned, '%s is not in %s' % (name, os.path.relpath(constraints, ROOT))
        if '==' in line:
            assert line.split('==', 1)[1].strip() == pinned[name], '%s: the requirements file and its constraints disagree' % name
    # The venv's pip upgrade is pinned too.
    assert 'pip' in pinned


def test_cryptography_stays_below_51_everywhere():
    # cryptography 51 makes every ansible-core command print a CryptographyDeprecationWarning on stderr.
    with open(os.path.join(CONSTRAINTS, 'holds.txt')) as handle:
        assert 'cryptography<51' in handle.read()
    files = sorted(glob.glob(os.path.join(CONSTRAINTS, 'requirements*.txt')))
    assert files
    for path in files:
        assert pins(path).get('cryptography') == '50.0.2', os.path.relpath(path, ROOT)


@pytest.mark.parametrize('kind', ['unit', 'integration'])
def test_ansible_test_constraints_match_the_main_venv(kind):
    """ansible-test reads tests/<kind>/constraints.txt for the venvs it makes."""
    main = pins(os.path.join(CONSTRAINTS, 'requirements.txt'))
    path = os.path.join(TESTS, kind, 'constraints.txt')
    pinned = pins(path)
    for line in requirement_lines(os.path.join(TESTS, kind, 'requirements.txt')):
        assert normalised(line) in pinned
    for name, version in pinned.items():
        assert main.get(name) == version, '%s: %s==%s, the main venv has %s' % (os.path.relpath(path, ROOT), name, version, main.get(name))
