# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A task's name is rendered before its loop runs: a name that templates the loop variable (item, or
loop_control.loop_var) prints `[WARNING]: Encountered 1 template error ... is undefined` and a header
like `Site << error 1 ... >>` on ansible-core 2.19+. The roles', examples' and playbooks' task names
template only what is defined then."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os
import re

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LOOP_KEYWORDS = ('loop', 'with_items', 'with_list', 'with_dict', 'with_subelements', 'with_nested', 'with_together',
                 'with_sequence', 'with_fileglob', 'with_indexed_items', 'with_flattened', 'with_random_choice')
BLOCK_KEYS = ('block', 'rescue', 'always', 'tasks', 'pre_tasks', 'post_tasks', 'handlers')


def task_files():
    patterns = ('roles/*/tasks/*.yml', 'roles/*/handlers/*.yml', 'examples/*.yml', 'playbooks/*.yml')
    return sorted(path for pattern in patterns for path in glob.glob(os.path.join(ROOT, pattern)))


def tasks(node):
    """Every task (a dict with a name, at any depth of blocks and plays) of a loaded YAML file."""
    if isinstance(node, list):
        for item in node:
            yield from tasks(item)
    elif isinstance(node, dict):
        if 'name' in node and not any(key in node for key in ('hosts', 'import_playbook')):
            yield node
        for key in BLOCK_KEYS:
            yield from tasks(node.get(key))


def names_loop_variable(task):
    if not any(key in task for key in LOOP_KEYWORDS) or not isinstance(task.get('name'), str):
        return None
    loop_var = (task.get('loop_control') or {}).get('loop_var', 'item')
    for expression in re.findall(r'{{(.*?)}}', task['name']):
        if re.search(r'\b%s\b' % re.escape(loop_var), expression) or re.search(r'\bansible_loop\b', expression):
            return loop_var
    return None


@pytest.mark.parametrize('path', task_files(), ids=lambda path: os.path.relpath(path, ROOT))
def test_no_task_name_templates_its_loop_variable(path):
    with open(path) as handle:
        loaded = yaml.safe_load(handle)
    offending = ['%r templates %s' % (task['name'], variable) for task in tasks(loaded) for variable in [names_loop_variable(task)] if variable]
    assert not offending, 'name the loop (the loop label names each item): %s' % offending


def test_the_check_finds_a_loop_variable_in_a_name():
    assert names_loop_variable({'name': 'Site {{ php_site_entry.name }}', 'loop': [1], 'loop_control': {'loop_var': 'php_site_entry'}})
    assert names_loop_variable({'name': 'User {{ item.username }}', 'with_items': [1]})
    assert not names_loop_variable({'name': 'Users of {{ server }}', 'loop': [1]})
    assert not names_loop_variable({'name': 'User {{ item.username }}'})
