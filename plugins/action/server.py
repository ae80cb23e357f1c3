# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The collection's one action plugin (plugins/plugin_utils/action.py) in front of the server module.

Every module has a file like this one that names the shared implementation. A redirect of each
module's action in meta/runtime.yml would run the same code, but ansible-lint and antsibull-docs
resolve a task's module through the action routing: they would tell users to write
runcloud.cloud.server instead of runcloud.cloud.service, and document every module as a redirect.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runcloud.cloud.plugins.plugin_utils.action import ActionModule  # noqa: F401 pylint: disable=unused-import
from ansible_collections.runcloud.cloud.plugins.plugin_utils.controller_run import preload

# Imported once in Ansible's main process, the module is there in every task worker it forks.
preload(__name__)
