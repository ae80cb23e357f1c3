# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.runcloud.cloud.plugins.module_utils import firewall as rules
from ansible_collections.runcloud.cloud.plugins.module_utils.naming import snake_case_keys
from ansible_collections.runcloud.cloud.plugins.modules import firewall, firewall_rule, firewall_rule_info
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, answer, listing

RULES = '/servers/3/security/firewalls'
SSH = {'id': 1, 'type': 'global', 'port': '22', 'protocol': 'tcp', 'ipAddress': None, 'firewallAction': None}
HTTP = {'id': 2, 'type': 'global', 'port': '80', 'protocol': 'tcp', 'ipAddress': None, 'firewallAction': None}
OFFICE_DB = {'id': 3, 'type': 'rich', 'port': '3306', 'protocol': 'tcp', 'ipAddress': '198.51.100.0/24', 'firewallAction': 'accept'}
DEPLOYED = answer(200, {'message': 'Firewall rules have been deployed.'})


def body(rule):
    return dict((key, value) for key, value in rule.items() if key != 'id')


@pytest.mark.parametrize('options, message', [
    (dict(port='0'), 'port must be a port from 1 to 65535 (22) or a range of them ("8000-8999"), not \'0\''),
    (dict(port='9000-8000'), 'port must be'),
    (dict(port='http'), 'port must be'),
    (dict(port='22', ip_address='10.0.0.1'), 'ip_address and action apply only to rich rules'),
    (dict(port='22', type='rich'), 'ip_address is required for a rich rule: an IPv4 or IPv6 address'),
    (dict(port='22', type='rich', ip_address='10.0.0.300'), "ip_address must be an IPv4 or IPv6 address or network in CIDR form"),
])
def test_rule_validation_names_the_option_and_the_form(options, message):
    with pytest.raises(rules.RuleError) as error:
        rules.rule_body(options)
    assert message in str(error.value)


def test_rule_bodies_are_canonical():
    assert rules.rule_body(dict(port=22)) == {'type': 'global', 'port': '22', 'protocol': 'tcp', 'ipAddress': None, 'firewallAction': None}
    assert rules.rule_body(dict(type='rich', port=' 8000 - 8999 ', protocol='udp', ip_address='10.0.0.5/8')) == {
        'type': 'rich', 'port': '8000-8999', 'protocol': 'udp', 'ipAddress': '10.0.0.0/8', 'firewallAction': 'accept'}
    assert rules.rule_key(dict(OFFICE_DB, ipAddress='198.51.100.7/24')) == rules.rule_key(OFFICE_DB)
    assert rules.rule_key(dict(type='rich', port='1', protocol='tcp', ipAddress='10.0.0.5/32', firewallAction='accept')) == \
        rules.rule_key(dict(type='rich', port=1, protocol='tcp', ipAddress='10.0.0.5', firewallAction='accept'))


@pytest.mark.parametrize('rule, opens', [
    (SSH, True),
    (dict(SSH, port='20-30'), True),
    (dict(SSH, protocol='udp'), False),
    (dict(OFFICE_DB, port='22'), True),
    (dict(OFFICE_DB, port='22', firewallAction='reject'), False),
    (HTTP, False),
])
def test_which_removals_may_close_ssh(rule, opens):
    assert rules.opens_port(rule, 22) is opens


def test_rule_exists_unchanged_with_one_request(monkeypatch):
    result, session = run_module(monkeypatch, firewall_rule.main, dict(server=3, port=80, deploy=True), [
        Exchange('GET', RULES, listing(SSH, HTTP)),
    ])
    assert result['changed'] is False and result['deployed'] is False
    assert result['firewall_rule'] == snake_case_keys(HTTP)
    session.assert_done()


def test_add_a_rich_rule_and_deploy(monkeypatch):
    result, session = run_module(monkeypatch, firewall_rule.main, dict(
        server=3, type='rich', port='3306', ip_address='198.51.100.9/24', deploy=True), [
        Exchange('GET', RULES, listing(SSH)),
        Exchange('POST', RULES, answer(200, OFFICE_DB), body=body(OFFICE_DB)),
        Exchange('PUT', RULES, DEPLOYED),
    ], diff=True)
    assert result['changed'] is True and result['deployed'] is True
    assert result['firewall_rule'] == snake_case_keys(OFFICE_DB)
    assert result['diff'] == {'before': {}, 'after': snake_case_keys(OFFICE_DB)}
    session.assert_done()


def test_a_one_element_array_from_create_is_the_rule(monkeypatch):
    # API v3 answers a create with the rule in a one-element array: taken as is, like the firewall module does.
    result, session = run_module(monkeypatch, firewall_rule.main, dict(server=3, port=80), [
        Exchange('GET', RULES, listing(SSH)),
        Exchange('POST', RULES, answer(200, [HTTP])),
    ])
    assert result['changed'] is True and result['firewall_rule'] == snake_case_keys(HTTP) and result['deployed'] is False
    session.assert_done()


def test_check_mode_predicts_without_writing(monkeypatch):
    result, session = run_module(monkeypatch, firewall_rule.main, dict(server=3, port=80, deploy=True), [
        Exchange('GET', RULES, listing(SSH)),
    ], check_mode=True)
    assert result['changed'] is True and result['deployed'] is True
    assert result['firewall_rule'] == snake_case_keys(dict(body(HTTP), id=None))
    session.assert_done()


def test_removing_the_ssh_rule_needs_the_explicit_option(monkeypatch):
    result, session = run_module(monkeypatch, firewall_rule.main, dict(server=3, port=22, state='absent'), [
        Exchange('GET', RULES, listing(SSH, HTTP)),
    ])
    assert result['failed'] is True
    assert 'would close the SSH port 22' in result['msg'] and 'allow_ssh_port_removal=true' in result['msg']
    session.assert_done()
    result, session = run_module(monkeypatch, firewall_rule.main, dict(
        server=3, port=22, state='absent', allow_ssh_port_removal=True, deploy=True), [
        Exchange('GET', RULES, listing(SSH, HTTP)),
        Exchange('DELETE', RULES + '/1', answer(200, SSH)),
        Exchange('PUT', RULES, DEPLOYED),
    ])
    assert result['changed'] is True and result['deployed'] is True and result['firewall_rule'] == {}
    session.assert_done()


def test_a_custom_ssh_port_is_protected(monkeypatch):
    result, _session = run_module(monkeypatch, firewall_rule.main, dict(server=3, port='2000-3000', ssh_port=2222, state='absent'), [
        Exchange('GET', RULES, listing(dict(SSH, port='2000-3000'))),
    ])
    assert result['failed'] is True and 'SSH port 2222' in result['msg']


def test_bad_input_fails_before_any_request(monkeypatch):
    result, session = run_module(monkeypatch, firewall_rule.main, dict(server='web-01', port='70000'), [])
    assert result['failed'] is True and result['msg'].startswith('port must be a port from 1 to 65535')
    result, session = run_module(monkeypatch, firewall.main, dict(server='web-01', rules=[dict(port=80), dict(port=22, type='rich', ip_address='x')]), [])
    assert result['failed'] is True and result['msg'].startswith('rules[1].ip_address must be an IPv4 or IPv6 address')
    session.assert_done()


def test_firewall_adds_removes_and_deploys_once(monkeypatch):
    office_db = body(OFFICE_DB)
    smtp = {'type': 'global', 'port': '25', 'protocol': 'tcp', 'ipAddress': None, 'firewallAction': None}
    result, session = run_module(monkeypatch, firewall.main, dict(server=3, purge=True, rules=[
        dict(port=22), dict(port='25'), dict(type='rich', port=3306, ip_address='198.51.100.0/24', action='accept')]), [
        Exchange('GET', RULES, listing(SSH, HTTP)),
        Exchange('POST', RULES, answer(200, dict(smtp, id=4)), body=smtp),
        Exchange('POST', RULES, answer(200, OFFICE_DB), body=office_db),
        Exchange('DELETE', RULES + '/2', answer(200, HTTP)),
        Exchange('PUT', RULES, DEPLOYED),
    ], diff=True)
    assert result['changed'] is True
    assert result['firewall'] == snake_case_keys(dict(rules=[SSH, dict(smtp, id=4), OFFICE_DB], added=[dict(smtp, id=4), OFFICE_DB],
                                                      removed=[HTTP], deployed=True))
    assert result['diff'] == {'before': {'rules': snake_case_keys([SSH, HTTP])}, 'after': {'rules': result['firewall']['rules']}}
    session.assert_done()


def test_firewall_converged_is_one_request(monkeypatch):
    result, session = run_module(monkeypatch, firewall.main, dict(server=3, purge=True, rules=[dict(port='80'), dict(port=22), dict(port=22)]), [
        Exchange('GET', RULES, listing(SSH, HTTP)),
    ])
    assert result['changed'] is False and result['firewall']['deployed'] is False
    assert result['firewall']['rules'] == snake_case_keys([SSH, HTTP])
    session.assert_done()


def test_firewall_check_mode_and_no_deploy(monkeypatch):
    result, session = run_module(monkeypatch, firewall.main, dict(server=3, rules=[dict(port=443)]), [
        Exchange('GET', RULES, listing(SSH)),
    ], check_mode=True)
    assert result['changed'] is True and result['firewall']['added'][0]['id'] is None
    session.assert_done()
    result, session = run_module(monkeypatch, firewall.main, dict(server=3, deploy=False, rules=[dict(port=443)]), [
        Exchange('GET', RULES, listing(SSH)),
        Exchange('POST', RULES, answer(200, dict(HTTP, id=9, port='443'))),
    ])
    assert result['changed'] is True and result['firewall']['deployed'] is False
    session.assert_done()


def test_firewall_purge_guards_ssh_before_any_write(monkeypatch):
    result, session = run_module(monkeypatch, firewall.main, dict(server=3, purge=True, rules=[dict(port=443)]), [
        Exchange('GET', RULES, listing(SSH, HTTP)),
    ])
    assert result['failed'] is True and 'the rule global tcp/22' in result['msg']
    session.assert_done()


def test_a_422_shows_its_field_messages(monkeypatch):
    invalid = answer(422, {'message': 'The given data was invalid.', 'errors': {'port': ['The port must be between 1 and 65535.']}})
    result, _session = run_module(monkeypatch, firewall_rule.main, dict(server=3, port=80), [
        Exchange('GET', RULES, listing()),
        Exchange('POST', RULES, invalid),
        # A refused create re-reads the list: a run beside this one may have made the rule meanwhile.
        Exchange('GET', RULES, listing()),
    ])
    assert result['failed'] is True
    assert result['field_errors'] == {'port': ['The port must be between 1 and 65535.']}
    assert 'port: The port must be between 1 and 65535.' in result['msg']


def test_rule_info_filters_by_port(monkeypatch):
    result, session = run_module(monkeypatch, firewall_rule_info.main, dict(server=3, port=3306), [
        Exchange('GET', RULES, listing(SSH, OFFICE_DB, dict(HTTP, port='3000-4000'))),
    ])
    assert result['changed'] is False
    assert result['firewall_rules'] == snake_case_keys([OFFICE_DB, dict(HTTP, port='3000-4000')])
    session.assert_done()


def test_check_mode_under_a_predicted_server_reads_no_rules(monkeypatch):
    result, session = run_module(monkeypatch, firewall.main, dict(server='new-web', rules=[dict(port=443)], predicted_parents=['server']),
                                 [], check_mode=True)
    assert result['changed'] is True and result['firewall']['added'][0]['port'] == '443'
    session.assert_done()
