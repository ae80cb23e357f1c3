# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Documentation rules every module follows, beyond what ansible-test's validate-modules checks."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib
import os
import re

import pytest
import yaml

MODULES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'plugins', 'modules')
MODULES = sorted(name[:-3] for name in os.listdir(MODULES_DIR) if name.endswith('.py') and not name.startswith('_'))
SNAKE_CASE = re.compile(r'^[a-z][a-z0-9_]*$')


def documented_return(name):
    return yaml.safe_load(importlib.import_module('ansible_collections.runcloud.cloud.plugins.modules.' + name).RETURN)


def return_keys(spec, prefix=''):
    for key, entry in (spec or {}).items():
        yield prefix + key
        if isinstance(entry, dict):
            yield from return_keys(entry.get('contains'), prefix + key + '.')


@pytest.mark.parametrize('name', MODULES)
def test_api_log_is_documented(name):
    assert 'api_log' in documented_return(name)


@pytest.mark.parametrize('name', MODULES)
def test_return_values_are_snake_case(name):
    # Results are converted to snake_case at any depth (module.RunCloudModule.exit); the docs must say so.
    offending = [key for key in return_keys(documented_return(name)) if not SNAKE_CASE.match(key.rsplit('.', 1)[-1])]
    assert offending == []


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses duplicate keys (which ansible-lint and YAML 1.2 reject)."""

    def construct_mapping(self, node, deep=False):
        keys = [self.construct_object(key, deep=deep) for key, _value in node.value]
        duplicates = sorted(set(key for key in keys if keys.count(key) > 1))
        if duplicates:
            raise yaml.constructor.ConstructorError(None, None, 'duplicate keys %s' % duplicates, node.start_mark)
        return super(_UniqueKeyLoader, self).construct_mapping(node, deep=deep)


def commented_configurations(examples):
    """The configuration files that EXAMPLES writes as comments after its one YAML document: each
    starts at a ``# --- NAME.runcloud.yml: ...`` line, its lines are the file's behind ``# ``."""
    files, current = [], None
    for line in examples.splitlines():
        if line.startswith('# --- ') and '.runcloud.yml' in line:
            current = []
            files.append(current)
        elif line.startswith('# --- '):
            continue
        elif current is not None and line.startswith('# '):
            current.append(line[2:])
        elif current is not None and line != '#':
            current = None
    return ['\n'.join(lines) for lines in files]


def test_inventory_examples_are_valid_configuration_files():
    # One YAML document: ansible-core 2.16's yamllint sanity test refuses several in EXAMPLES.
    examples = importlib.import_module('ansible_collections.runcloud.cloud.plugins.inventory.runcloud').EXAMPLES
    documents = [yaml.load(examples, Loader=_UniqueKeyLoader)]
    documents += [yaml.load(text, Loader=_UniqueKeyLoader) for text in commented_configurations(examples)]
    assert len(documents) >= 4
    assert all(document['plugin'] == 'runcloud.cloud.runcloud' for document in documents)


# The result blocks every module returns the same way (filled by module.RunCloudModule, not by the
# module): documented once in words, repeated in each RETURN (Ansible has no RETURN fragments), so
# their texts must not drift apart.
SHARED_RETURN_BLOCKS = ('api', 'api_log')
# account_export reports its own cost: it only reads, and adds the wall time of the export.
OWN_RETURN_BLOCKS = {'api': ('account_export',)}


@pytest.mark.parametrize('key', SHARED_RETURN_BLOCKS)
def test_shared_return_blocks_read_the_same_in_every_module(key):
    texts = {}
    for name in MODULES:
        if name in OWN_RETURN_BLOCKS.get(key, ()):
            continue
        block = documented_return(name).get(key)
        if block is not None:
            texts.setdefault(yaml.safe_dump(block, sort_keys=True), []).append(name)
    assert texts, 'no module documents %s' % key
    assert len(texts) == 1, '%s is documented %d ways: %s' % (key, len(texts), sorted(texts.values()))
