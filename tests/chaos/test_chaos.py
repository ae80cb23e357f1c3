# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A short chaos run in the normal suite (``make chaos`` runs 20): examples/site.yml converges
through seeded random faults of every kind, the clean run after it changes nothing, nothing exists
twice. RUNCLOUD_CHAOS_RUNS sets the number of runs (default 1: each costs two playbook runs)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import chaos  # noqa: E402 pylint: disable=wrong-import-position


def test_site_converges_through_random_faults(capsys):
    # A chaos run that cannot start is a failed check, not a skipped one.
    assert shutil.which('ansible-playbook', path=os.path.dirname(sys.executable)), \
        'ansible-playbook is not installed next to %s: run the tests with the main venv (.venv)' % sys.executable
    runs = os.environ.get('RUNCLOUD_CHAOS_RUNS', '1')
    status = chaos.main(['--runs', runs, '--seed', os.environ.get('RUNCLOUD_CHAOS_SEED', '1')])
    output = capsys.readouterr().out
    with capsys.disabled():
        print(output)
    assert status == 0, output
    assert 'duplicate resources:      0' in output
