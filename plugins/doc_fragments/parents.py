# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    # Modules whose resources live on a server (module_utils.module.SERVER).
    SERVER = r'''
options:
  server:
    description:
      - The server, by id or by name. A number is taken as the id; a name costs one search request
        and must match exactly one server.
    type: raw
    required: true
'''

    # Modules whose resources belong to a web application (module_utils.module.WEB_APP).
    WEB_APP = r'''
options:
  server:
    description:
      - The server, by id or by name. A number is taken as the id; a name costs one search request
        and must match exactly one server.
    type: raw
    required: true
  web_app:
    description:
      - The web application, by id or by name. A name costs one search request.
    type: raw
    required: true
'''
