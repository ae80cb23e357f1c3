# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    # Modules with a write that RunCloud API v3 only acknowledges (module_utils.resource.landing_options).
    DOCUMENTATION = r'''
options:
  wait:
    description:
      - On RunCloud API v3 some writes are only acknowledged (the answer is C({}) or says the work
        "will begin shortly") and land a little later; the module's description says which. With V(true) the task
        reads the result until it shows (pauses of 1, 2, 4 ... seconds, at most 10), for at most
        O(wait_timeout) seconds; the request is never sent again. With V(false) the task ends after the
        answer and reports what it asked for.
      - API v2 answers with the result; this option changes nothing there.
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds O(wait) reads at most, from 0 to 3600. When the result has not shown by then the
        task fails (and reports a change); the request is not sent again, and running the task again later
        finds what it made.
    type: int
    default: 300
'''
