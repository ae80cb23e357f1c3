# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The collection's one action plugin (plugins/plugin_utils/action.py) in front of the atomic_project_info module."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runcloud.cloud.plugins.plugin_utils.action import ActionModule  # noqa: F401 pylint: disable=unused-import
from ansible_collections.runcloud.cloud.plugins.plugin_utils.controller_run import preload

# Imported once in Ansible's main process, the module is there in every task worker it forks.
preload(__name__)
