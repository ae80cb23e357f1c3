# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one action plugin of the collection, in front of every module.

It is named after the ``server`` module because ansible-test wants each action plugin to share a
module's name (for its documentation); ``meta/runtime.yml`` routes every other module's action here.
The implementation is ``plugins/plugin_utils/action.py``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runcloud.cloud.plugins.plugin_utils.action import ActionModule  # noqa: F401 pylint: disable=unused-import
