# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    # For modules that converge a resource to a declared state.
    DOCUMENTATION = r'''
attributes:
  check_mode:
    description: Can run in C(check_mode) and predict the result without changing anything.
    support: full
  diff_mode:
    description: Returns the resource before and after the change when run with C(--diff).
    support: full
  idempotent:
    description:
      - Running the task again with the same options reports no change and sends no write request.
    support: full
  action:
    description:
      - Runs through the collection's action plugin, which remembers the ids of named parents for the rest
        of the playbook run (O(resolve_cache)) and runs the module on the controller when it can (O(run_on_controller)).
    support: full
  action_group:
    description: Use C(group/runcloud.cloud.runcloud) in C(module_defaults) to set the API options once.
    support: full
    membership:
      - runcloud.cloud.runcloud
'''

    # For read-only modules (the *_info modules).
    INFO_MODULE = r'''
attributes:
  check_mode:
    description: Reads only, so it runs the same in C(check_mode).
    support: full
    details:
      - This action does not modify state.
  diff_mode:
    description: Nothing is changed, so there is nothing to diff.
    support: N/A
    details:
      - This action does not modify state.
  idempotent:
    description: Only reads from the API.
    support: full
  action:
    description:
      - Runs through the collection's action plugin, which remembers the ids of named parents for the rest
        of the playbook run (O(resolve_cache)) and runs the module on the controller when it can (O(run_on_controller)).
    support: full
  action_group:
    description: Use C(group/runcloud.cloud.runcloud) in C(module_defaults) to set the API options once.
    support: full
    membership:
      - runcloud.cloud.runcloud
'''
