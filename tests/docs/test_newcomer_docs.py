# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What a newcomer reads first: the quick start says how to install requests wherever Ansible lives
(pipx refuses a plain pip install on Debian: externally-managed-environment), the troubleshooting
guide has the same, and the documentation site starts with the quick start."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
INSTALL_LINES = ('pipx inject ansible-core requests', 'pipx inject ansible requests', '-m pip install requests',
                 'apt install python3-requests')


def read(*path):
    with open(os.path.join(ROOT, *path)) as handle:
        return handle.read()


def quick_start():
    return read('README.md').split('\n## Quick start\n', 1)[1].split('\n## ', 1)[0]


def test_the_quick_start_installs_requests_for_pipx_a_venv_and_the_system_python():
    text = quick_start()
    for line in INSTALL_LINES:
        assert line in text, line
    assert 'externally-managed-environment' in text
    # No bare `pip install requests` command line, which lands in whichever Python pip belongs to.
    assert not re.search(r'^(python3 -m )?pip3? install requests', text, re.MULTILINE)


def test_the_troubleshooting_guide_says_the_same():
    text = read('docs', 'troubleshooting.md')
    section = text.split('\n## The Python library requests is missing\n', 1)[1].split('\n## ', 1)[0]
    for line in INSTALL_LINES:
        assert line in section, line
    assert 'externally-managed-environment' in section


def test_the_documentation_site_starts_with_the_quick_start_made_from_the_readme():
    index = yaml.safe_load(read('docs', 'docsite', 'extra-docs.yml'))
    assert index['sections'][0]['toctree'][0]['ref'] == 'quickstart'
    page = read('docs', 'docsite', 'rst', 'quickstart.rst')
    assert 'Generated from README.md' in page
    # tests/docs-site.sh checks that the page is what docsite_guides.py makes of the README now.
    for line in INSTALL_LINES:
        assert line in page, line
