# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runcloud.cloud.plugins.modules import database_info
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, answer

SHOP = {'id': 87, 'name': 'shop', 'collation': None}
SHOP2 = {'id': 88, 'name': 'shop2', 'collation': None}


def page(items, number, total_pages):
    return answer(200, {'data': list(items), 'meta': {'pagination': {'total': 99, 'current_page': number, 'total_pages': total_pages}}})


def test_all_pages_are_read_with_the_search(monkeypatch):
    result, session = run_module(monkeypatch, database_info.main, dict(server=3, search='sho'), [
        Exchange('GET', '/servers/3/databases', page([SHOP], 1, 2), query={'search': 'sho', 'page': 1, 'perPage': 40}),
        Exchange('GET', '/servers/3/databases', page([SHOP2], 2, 2), query={'search': 'sho', 'page': 2}),
    ])
    assert result['changed'] is False
    assert result['databases'] == [SHOP, SHOP2]
    session.assert_done()


def test_name_matches_exactly_and_grants_cost_one_request(monkeypatch):
    user = {'id': 483, 'username': 'shop'}
    result, session = run_module(monkeypatch, database_info.main, dict(server=3, name='shop', grants=True), [
        Exchange('GET', '/servers/3/databases', page([SHOP2, SHOP], 1, 1), query={'search': 'shop'}),
        Exchange('GET', '/servers/3/databases/87/grant', page([user], 1, 1)),
    ])
    assert result['databases'] == [dict(SHOP, grants=[user])]
    session.assert_done()


def test_unknown_id_is_an_empty_list(monkeypatch):
    result, session = run_module(monkeypatch, database_info.main, dict(server=3, id=5), [
        Exchange('GET', '/servers/3/databases/5', answer(404, {'message': 'Database not found'})),
    ])
    assert result['databases'] == [] and not result['failed']
    session.assert_done()
