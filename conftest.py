# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Make ``ansible_collections.runcloud.cloud`` importable for plain pytest.

ansible-test prepares imports itself; plain pytest needs a directory on ``sys.path`` that holds
``ansible_collections/runcloud/cloud``. When the checkout already sits at such a path, its
grandparent's parent is used; otherwise a temporary directory with a symlink to the checkout is.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import atexit
import os
import shutil
import sys
import tempfile

ROOT = os.path.dirname(os.path.abspath(__file__))

# Not test code: ansible-test's output and the integration targets (run by ansible-test only).
collect_ignore = [
    os.path.join('tests', 'output'),
    os.path.join('tests', 'integration'),
]


def _collections_dir():
    parts = ROOT.split(os.sep)
    if parts[-3:] == ['ansible_collections', 'runcloud', 'cloud']:
        return os.sep.join(parts[:-3]) or os.sep
    tmp = tempfile.mkdtemp(prefix='runcloud-pytest-')
    atexit.register(shutil.rmtree, tmp, True)
    namespace = os.path.join(tmp, 'ansible_collections', 'runcloud')
    os.makedirs(namespace)
    os.symlink(ROOT, os.path.join(namespace, 'cloud'))
    return tmp


def _already_importable():
    # True when a sys.path entry already leads to this checkout (e.g. under ansible-test units).
    for entry in sys.path:
        candidate = os.path.join(entry or os.curdir, 'ansible_collections', 'runcloud', 'cloud')
        if os.path.isdir(candidate) and os.path.realpath(candidate) == os.path.realpath(ROOT):
            return True
    return False


if not _already_importable():
    sys.path.insert(0, _collections_dir())
