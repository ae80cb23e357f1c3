# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The credentials a module or plugin of the collection uses, registered with ansible-core's secret
masking (2.22 and later), wherever they came from: an option (``no_log`` for modules, ``secret: true``
for the plugins' options registers those already) or an environment variable (only this does). A module
returns what it registered with its result, so the controller masks the values in everything the
callbacks show. Older ansible-core versions have no masking; results never hold credentials anyway."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

try:
    from ansible.module_utils.secrets import register_secrets
except ImportError:  # ansible-core < 2.22
    register_secrets = None


def register_credentials(credentials):
    """Register the non-empty values of ``(api_token, api_key, api_secret)``; nothing before 2.22."""
    if register_secrets is None:
        return
    register_secrets([value for value in credentials if isinstance(value, str) and value.strip()])
