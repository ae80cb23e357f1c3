# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""docs/endpoints.md lists every API route the simulator serves with the plugins that reach it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

import sim_api

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TABLE = os.path.join(ROOT, 'docs', 'endpoints.md')
ROW = re.compile(r'^\| (GET|POST|PUT|PATCH|DELETE) \| `([^`]+)` \| (.+) \|$')
PLUGIN_DIRS = ('modules', 'lookup', 'inventory')


def table_rows():
    with open(TABLE) as handle:
        matches = [ROW.match(line.rstrip('\n')) for line in handle]
    return [((match.group(1), match.group(2)), match.group(3)) for match in matches if match]


def plugin_names(cell):
    """``firewall (`deploy`), static (lookup, `timezones`)`` -> ['firewall', 'static']."""
    return [name.strip() for name in re.sub(r'\([^)]*\)', '', cell).split(',') if name.strip()]


def plugin_exists(name):
    return any(os.path.exists(os.path.join(ROOT, 'plugins', kind, name + '.py')) for kind in PLUGIN_DIRS)


def test_every_route_has_exactly_one_row():
    routes = [(method, path) for method, path, _handler in sim_api.ROUTES]
    rows = [route for route, _cell in table_rows()]
    assert len(routes) == 108
    assert sorted(set(routes) - set(rows)) == [], 'endpoints without a row in docs/endpoints.md'
    assert sorted(set(rows) - set(routes)) == [], 'rows of docs/endpoints.md that are no endpoint'
    assert len(rows) == len(set(rows)), 'an endpoint has two rows'


def test_every_row_names_plugins_that_exist():
    missing = sorted(set(name for _route, cell in table_rows() for name in plugin_names(cell) if not plugin_exists(name)))
    assert missing == [], 'docs/endpoints.md names plugins that do not exist: %s' % ', '.join(missing)
    assert all(plugin_names(cell) for _route, cell in table_rows())
