# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Ansible's naming for API data: RunCloud answers in camelCase (with some snake_case fields),
Ansible results and host variables are snake_case. Modules and the inventory plugin share this."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

# Not ansible-core's camel_dict_to_snake_dict: it gives the same names for every field of the API
# reference and the simulator, but not for every shape the API may add (its answers are not
# fully known), and results must not change with them: it joins pluralised acronyms of three or
# more letters (targetGroupARNs -> target_group_arns, here target_group_ar_ns, just as both make
# ssl_i_ds of sslIDs), adds an underscore after punctuation (_Links -> __links, Content-Type ->
# content-_type), and fails on keys that are not strings and on a list at the top (the result of
# every *_info module). tests/unit/plugins/module_utils/test_naming.py pins these names.
_ACRONYM_BOUNDARY = re.compile(r'([A-Z]+)([A-Z][a-z])')
_WORD_BOUNDARY = re.compile(r'([a-z0-9])([A-Z])')


def snake_case(name):
    """``ipAddress`` -> ``ip_address``, ``phpCLIVersion`` -> ``php_cli_version``; snake_case stays."""
    name = _ACRONYM_BOUNDARY.sub(r'\1_\2', name)
    name = _WORD_BOUNDARY.sub(r'\1_\2', name)
    return name.lower()


def snake_case_keys(value):
    """A copy of API data with every dictionary key in snake_case, at any depth."""
    if isinstance(value, dict):
        return dict((snake_case(str(key)), snake_case_keys(item)) for key, item in value.items())
    if isinstance(value, list):
        return [snake_case_keys(item) for item in value]
    return value
