# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Ansible's naming for API data: RunCloud answers in camelCase (with some snake_case fields),
Ansible results and host variables are snake_case. Modules and the inventory plugin share this."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

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
