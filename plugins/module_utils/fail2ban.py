# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The Fail2Ban blocked-IP list of a server, shared by fail2ban_info and fail2ban_unblock."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress

from ansible_collections.runcloud.cloud.plugins.module_utils.catalogue import path as endpoint
from ansible_collections.runcloud.cloud.plugins.module_utils.client import split_list_body

BLOCKED_PATH = endpoint('fail2ban', 'list')
IP_FORM = 'an IPv4 or IPv6 address without a prefix (203.0.113.9, 2001:db8::1)'


def canonical_ip(value):
    """The comparable form of an address (2001:DB8:0::1 -> 2001:db8::1), or None when it is not one."""
    try:
        return str(ipaddress.ip_address(str(value).strip()))
    except ValueError:
        return None


def invalid_ips(values):
    return [value for value in values if canonical_ip(value) is None]


def blocked_ips(client, path):
    """The blocked addresses as strings. The answer's shape is not documented: a bare array of
    strings is expected, a list envelope or items with an ``ip``/``ipAddress`` field are accepted."""
    data = client.get(path)
    items = split_list_body(data or [])[0]
    addresses = []
    for item in items:
        if isinstance(item, dict):
            item = item.get('ip') or item.get('ipAddress')
        if item:
            addresses.append(str(item))
    return addresses
