# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The catalogue is the one place that knows endpoint paths, and every path in it is real: the
simulator serves it, docs/endpoints.md has a row for it, and every module is in the action group."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import io
import json
import os
import re
import sys
import tokenize

import pytest
import yaml

from ansible_collections.runcloud.cloud.plugins.module_utils import catalogue

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'simulator'))

from runcloud_sim import Simulator  # noqa: E402  pylint: disable=wrong-import-position

CATALOGUE_FILE = os.path.join('plugins', 'module_utils', 'catalogue.py')
# A string that is (the start of) an endpoint path: a top-level API segment with a path below it,
# or an id placeholder of a parent. (The bare words servers, static and ping are option names too.)
ENDPOINT_LITERAL = re.compile(r"^[rbuRBU]*(['\"])/?(servers|settings|static|webapps)/|\{(server|web_app|database|domain)_id\}")


def python_files():
    for top in ('plugins', 'extensions'):
        for folder, _dirs, files in os.walk(os.path.join(ROOT, top)):
            for name in files:
                if name.endswith('.py'):
                    yield os.path.relpath(os.path.join(folder, name), ROOT)


def endpoint_literals(source):
    """(line, text) of the string literals of ``source`` that look like endpoint paths (triple-quoted
    documentation is left out)."""
    found = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        text = token.string.lstrip('rbuRBU')
        if token.type == tokenize.STRING and not text.startswith(('"""', "'''")) and ENDPOINT_LITERAL.search(token.string):
            found.append((token.start[0], token.string))
    return found


def test_the_literal_finder_finds_paths():
    source = ("A = 'servers/{server_id}/webapps'\nB = \"static/timezones\"\nC = 'settings/externalapi/{id}'\nD = 'servers'\n"
              "E = '/{web_app_id}/ssl'\nF = \"\"\"a docstring about servers/{server_id}/users\"\"\"\n")
    assert [line for line, _text in endpoint_literals(source)] == [1, 2, 3, 5]


def test_no_file_but_the_catalogue_holds_an_endpoint_path():
    offenders = []
    for name in python_files():
        if name == CATALOGUE_FILE:
            continue
        with open(os.path.join(ROOT, name)) as handle:
            offenders += ['%s:%d: %s' % (name, line, text) for line, text in endpoint_literals(handle.read())]
    assert offenders == [], 'endpoint paths outside plugins/module_utils/catalogue.py:\n' + '\n'.join(offenders)


def normalised(template):
    """'/servers/{serverId}/webapps' and 'servers/{server_id}/webapps' alike: 'servers/{}/webapps'."""
    return re.sub(r'\{[^}]+\}', '{}', template.strip('/'))


@pytest.fixture(scope='module')
def simulator_routes():
    with Simulator(token='catalogue-test') as sim:
        import requests
        answer = requests.get(sim.control_url + '/endpoints', timeout=10).json()
    return {2: set(normalised(route['path']) for route in answer['endpoints']),
            3: set(normalised(route['path']) for route in answer['v3'])}


@pytest.mark.parametrize('version', catalogue.VERSIONS)
def test_every_catalogue_path_has_a_simulator_route(simulator_routes, version):
    missing = ['%s %s: %s' % (resource, role, template) for resource, role, template in catalogue.all_paths(version)
               if normalised(template) not in simulator_routes[version]]
    assert missing == [], 'catalogue paths the v%d simulator does not serve' % version


def test_every_catalogue_path_has_a_docs_row():
    with open(os.path.join(ROOT, 'docs', 'endpoints.md')) as handle:
        # The v2 table has the path in its second column, the v3 table in its first.
        documented = set(normalised(path) for path in re.findall(r'^\|(?: [A-Z]+ \|)? `/([^`]+)` \|', handle.read(), re.M))
    missing = sorted(set('%s (%s %s)' % (template, resource, role) for version in catalogue.VERSIONS
                         for resource, role, template in catalogue.all_paths(version) if normalised(template) not in documented))
    assert missing == [], 'catalogue paths without a row in docs/endpoints.md'


def test_every_module_is_in_the_action_group():
    with open(os.path.join(ROOT, 'meta', 'runtime.yml')) as handle:
        group = set(yaml.safe_load(handle)['action_groups']['runcloud'])
    modules = set(name[:-3] for name in os.listdir(os.path.join(ROOT, 'plugins', 'modules'))
                  if name.endswith('.py') and not name.startswith('_'))
    assert sorted(modules - group) == [], 'modules missing from action_groups.runcloud in meta/runtime.yml'


@pytest.mark.parametrize('url, version', [
    ('https://manage.runcloud.io/api/v2', 2), ('https://manage.runcloud.io/api/v3', 3), ('https://manage.runcloud.io/api/v3/', 3),
    ('http://127.0.0.1:8089/api/v3', 3), ('https://proxy.example/runcloud', 2), ('https://manage.runcloud.io/api/v9', 2),
])
def test_the_version_comes_from_the_url(url, version):
    assert catalogue.version_of_url(url) == version


@pytest.mark.parametrize('v2_path, version, expected', [
    ('servers/7/sshcredentials', 3, 'servers/7/ssh/credentials'),
    ('servers/7/sshcredentials/12', 3, 'servers/7/ssh/credentials/12'),
    ('/servers/7/sshcredentials/12', 3, 'servers/7/ssh/credentials/12'),
    ('servers/7/sshcredentials/12', 2, 'servers/7/sshcredentials/12'),
    ('static/databases/collations', 3, 'static/databases/collations/mariadb'),
    ('servers/7/webapps/3/domains', 3, 'servers/7/webapps/3/domains'),
    ('servers/7/sshcredentialsx', 3, 'servers/7/sshcredentialsx'),
])
def test_paths_are_translated_to_the_version(v2_path, version, expected):
    assert catalogue.versioned_path(v2_path, version) == expected


def test_each_resource_names_a_known_parent_and_its_versions():
    for resource in catalogue.RESOURCES.values():
        assert resource.parent is None or resource.parent in catalogue.RESOURCES, resource.name
        assert set(resource.versions) <= set(catalogue.VERSIONS)
    assert set(kind for _option, kind in catalogue.PARENT_OPTIONS) <= set(catalogue.RESOURCES)
    assert json.dumps(sorted(catalogue.RESOURCES['ssh_key'].paths[3].values())) == json.dumps(
        ['servers/{server_id}/ssh/credentials', 'servers/{server_id}/ssh/credentials/{id}'])


def path_pieces():
    """Two consecutive segments of a catalogue path (``ssh/credentials``, ``domains/{``, ``}/ssl``): a
    string holding one is a piece of an endpoint path, even when the rest is joined on elsewhere."""
    pieces = set()
    for version in catalogue.VERSIONS:
        for _resource, _role, template in catalogue.all_paths(version):
            segments = ['{' if segment.startswith('{') else segment for segment in template.split('/')]
            for left, right in zip(segments, segments[1:]):
                if left == '{':
                    pieces.add('}/' + right)
                elif right == '{':
                    pieces.add(left + '/{')
                else:
                    pieces.add(left + '/' + right)
    return pieces


def piece_literals(source, pieces):
    found = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        text = token.string.lstrip('rbuRBU')
        if token.type != tokenize.STRING or text.startswith(('"""', "'''")):
            continue
        # A whole URL (a git webhook's) and a file path on a server (/home/<user>/webapps/...) are not API paths.
        if '://' in text or text[1:].startswith('/home/'):
            continue
        # A format placeholder (%s, %d, {}) stands where a path has an id.
        value = re.sub(r'%[sd]|\{\}', '{}', text[1:-1])
        value = re.sub(r'\{[a-z_]*\}', '{}', value).replace('{}', '{ }')
        if any(piece.replace('{', '{ ').replace('}', ' }') in value for piece in pieces):
            found.append((token.start[0], token.string))
    return found


def test_the_piece_finder_finds_parts_of_paths():
    source = ("A = '/ssh/credentials'\nB = '%s/security/firewalls' % base\nC = 'webapps/%d/default'\nD = '/{id}/deploymentkey'\n"
              "E = 'a/b'\nF = 'servers'\nG = 'ssl'\nH = '/home/%s/webapps/%s'\nI = 'https://%s/webapps/%s'\n")
    assert [line for line, _text in piece_literals(source, path_pieces())] == [1, 2, 3, 4]


def test_no_file_but_the_catalogue_holds_a_piece_of_an_endpoint_path():
    pieces = path_pieces()
    offenders = []
    for name in python_files():
        if name == CATALOGUE_FILE:
            continue
        with open(os.path.join(ROOT, name)) as handle:
            offenders += ['%s:%d: %s' % (name, line, text) for line, text in piece_literals(handle.read(), pieces)]
    assert offenders == [], 'pieces of endpoint paths outside plugins/module_utils/catalogue.py:\n' + '\n'.join(offenders)
