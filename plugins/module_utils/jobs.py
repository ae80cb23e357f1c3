# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What cron jobs and supervisor jobs share: the Linux user they run as, and replacement on any
difference (the API has no update endpoint for either)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.runcloud.cloud.plugins.module_utils.catalogue import path as endpoint
from ansible_collections.runcloud.cloud.plugins.module_utils.module import SERVER, is_id
from ansible_collections.runcloud.cloud.plugins.module_utils.resource import ResourceModule

LINUX_USER = re.compile(r'^[a-z_][a-z0-9_-]{0,31}$')


class JobModule(ResourceModule):
    """A job of a server that runs as ``user``: root, a system user's name, or its id (read once)."""

    parents = (SERVER,)
    identity = 'label'
    on_immutable_change = 'replace'
    required_for_create = ('user', 'command')

    def validate(self):
        user = self.params.get('user')
        if user is None or is_id(user):
            return
        if not isinstance(user, str) or not LINUX_USER.match(user):
            self.fail("user must be root, the name of a system user of the server (lower-case letters, digits, "
                      "'_' and '-', starting with a letter or '_') or a system user id; got %r" % (user,))

    def prepare(self):
        user = self.params.get('user')
        if user is not None and is_id(user) and self.params.get('state') != 'absent' and not self.parents_predicted:
            # The API takes and answers the user's name; an id costs one request to learn it.
            system_user = self.client.get(self.path(endpoint('system_user', 'item'), id=int(user)))
            self.params['user'] = system_user['username']
