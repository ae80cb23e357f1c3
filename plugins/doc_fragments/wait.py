# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    # Modules whose writes RunCloud API v3 only acknowledges ("... will begin shortly") and applies later
    # (ResourceModule.wait_for_landing).
    DOCUMENTATION = r'''
options:
  wait:
    description:
      - RunCloud API v3 only acknowledges these writes and applies them afterwards. With V(true) the task
        reads the result until it shows (pauses of 1, 2, 4 ... seconds, at most 10), for at most
        O(wait_timeout) seconds; the write is never sent again. With V(false) the task ends after the
        acknowledgement and reports what it asked for.
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds O(wait) reads at most. When the result has not shown by then the task fails (and
        reports a change); running it again later finds what landed in the meantime.
    type: int
    default: 300
'''
