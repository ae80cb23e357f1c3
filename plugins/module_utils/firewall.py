# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Firewall rules as the firewall and firewall_rule modules see them: validation of the options
before any request, the API body, and the key that tells whether two rules are the same.

A rule has no name in RunCloud and cannot be changed, so a rule *is* its settings: type, port or
port range, protocol, and for rich rules the source address and the action.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re

from ansible_collections.runcloud.cloud.plugins.module_utils.catalogue import path as endpoint

FIREWALL_PATH = endpoint('firewall_rule', 'list')
RULE_PATH = endpoint('firewall_rule', 'item')
DEFAULT_SSH_PORT = 22

RULE_TYPES = ('global', 'rich')
PROTOCOLS = ('tcp', 'udp')
RULE_ACTIONS = ('accept', 'reject')
PORT_FORM = 'a port from 1 to 65535 (22) or a range of them ("8000-8999")'
ADDRESS_FORM = 'an IPv4 or IPv6 address or network in CIDR form (203.0.113.7, 192.168.0.0/24, 2001:db8::/32)'
_PORT_RANGE = re.compile(r'^\s*(\d{1,5})\s*(?:-\s*(\d{1,5})\s*)?$')


class RuleError(ValueError):
    """A rule option with a value the API would refuse; the message names the option and the accepted form."""


def rule_options():
    """The argument spec of one rule (firewall_rule options, firewall ``rules`` suboptions)."""
    return dict(
        type=dict(type='str', default='global', choices=list(RULE_TYPES)),
        port=dict(type='raw', required=True),
        protocol=dict(type='str', default='tcp', choices=list(PROTOCOLS)),
        ip_address=dict(type='str'),
        action=dict(type='str', choices=list(RULE_ACTIONS)),
    )


def port_range(value):
    """(first, last) of a port or a "first-last" range, or None when it is neither."""
    match = _PORT_RANGE.match(str(value))
    if not match:
        return None
    first = int(match.group(1))
    last = int(match.group(2)) if match.group(2) else first
    if not 1 <= first <= last <= 65535:
        return None
    return first, last


def canonical_port(value):
    first, last = port_range(value) or (None, None)
    if first is None:
        return str(value).strip()
    return str(first) if first == last else '%d-%d' % (first, last)


def canonical_address(value):
    """203.0.113.7/32 -> 203.0.113.7, 192.168.0.5/24 -> 192.168.0.0/24; anything else as it is."""
    if value in (None, ''):
        return None
    try:
        network = ipaddress.ip_network(str(value).strip(), strict=False)
    except ValueError:
        return str(value).strip()
    if network.prefixlen == network.max_prefixlen:
        return str(network.network_address)
    return str(network)


def rule_body(options, where='', default_action='accept'):
    """The API body of the rule described by ``options`` (module options or a ``rules`` item).

    ``where`` prefixes option names in messages (``rules[2].``). Raises RuleError.
    """
    rule_type = options.get('type') or 'global'
    port = options.get('port')
    if port is None or port_range(port) is None:
        raise RuleError('%sport must be %s, not %r' % (where, PORT_FORM, port))
    body = {'type': rule_type, 'port': canonical_port(port), 'protocol': options.get('protocol') or 'tcp',
            'ipAddress': None, 'firewallAction': None}
    address = options.get('ip_address')
    action = options.get('action')
    if rule_type == 'global':
        if address or action:
            raise RuleError('%sip_address and %saction apply only to rich rules; set %stype=rich or leave them out'
                            % (where, where, where))
        return body
    if not address:
        raise RuleError('%sip_address is required for a rich rule: %s' % (where, ADDRESS_FORM))
    try:
        ipaddress.ip_network(str(address).strip(), strict=False)
    except ValueError:
        raise RuleError('%sip_address must be %s, not %r' % (where, ADDRESS_FORM, address))
    body['ipAddress'] = canonical_address(address)
    body['firewallAction'] = action or default_action
    return body


def rule_key(rule):
    """What makes two rules (API objects or bodies) the same rule."""
    rich = rule.get('type') == 'rich'
    return (
        rule.get('type'),
        canonical_port(rule.get('port')),
        (rule.get('protocol') or '').lower(),
        canonical_address(rule.get('ipAddress')) if rich else None,
        (rule.get('firewallAction') or '').lower() if rich else None,
    )


def find_rule(client, path, body):
    """The rule of the list at ``path`` that is the same rule as ``body``, or None (one list request)."""
    key = rule_key(body)
    for rule in client.list_all(path):
        if rule_key(rule) == key:
            return rule
    return None


def describe(rule):
    """global tcp/22, rich tcp/3306 from 10.0.0.0/8 accept."""
    text = '%s %s/%s' % (rule.get('type'), rule.get('protocol'), rule.get('port'))
    if rule.get('type') == 'rich':
        text += ' from %s %s' % (rule.get('ipAddress'), rule.get('firewallAction'))
    return text


def covers_port(rule, port):
    """Whether the rule's port or range includes ``port``."""
    covered = port_range(rule.get('port'))
    return covered is not None and covered[0] <= port <= covered[1]


def opens_port(rule, port):
    """Whether removing the rule may close ``port`` (TCP): it covers the port and does not reject."""
    if (rule.get('protocol') or 'tcp').lower() != 'tcp':
        return False
    if rule.get('type') == 'rich' and (rule.get('firewallAction') or '').lower() == 'reject':
        return False
    return covers_port(rule, port)


def check_ssh_port(port):
    if not 1 <= port <= 65535:
        raise RuleError('ssh_port must be a port from 1 to 65535, not %r' % port)


def ssh_lockout_message(rules, ssh_port):
    """The failure message when ``rules`` (about to be removed) include one that opens the SSH port."""
    risky = [rule for rule in rules if opens_port(rule, ssh_port)]
    if not risky:
        return None
    return ('removing %s would close the SSH port %d and may lock you out of the server; '
            'set allow_ssh_port_removal=true if that is intended (or ssh_port if SSH listens elsewhere)'
            % (', '.join('the rule %s' % describe(rule) for rule in risky), ssh_port))
