# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Writes that only acknowledge: the answer goes out at once, the change lands `delay` seconds later.

RunCloud's v3 answers many writes with "... will begin shortly" or `{}` and does the work afterwards
(runcloud-api-v3 §1.9); a client has to read until the result shows. Pending landings live in memory
only: a reset or a stop cancels them, a restart from --state-file forgets them.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading
import traceback

from sim_core import ApiError

DEFAULT_LAND_DELAY = 1.0


class Landings:
    """Runs effects after a delay under the simulator's lock; `cancel_all` drops the pending ones."""

    def __init__(self, lock, on_landed, delay=DEFAULT_LAND_DELAY):
        self.lock = lock
        self.on_landed = on_landed
        self.delay = delay
        self.landed = 0
        self._generation = 0
        self._timers = set()

    def schedule(self, effects, delay=None):
        """Schedules the effects (callables without arguments), in order, as one landing."""
        if not effects:
            return
        delay = self.delay if delay is None else delay
        if delay <= 0:
            self._land(self._generation, effects, None)
            return
        generation = self._generation
        timer = threading.Timer(delay, lambda: self._land(generation, effects, timer))
        timer.daemon = True
        with self.lock:
            self._timers.add(timer)
        timer.start()

    def _land(self, generation, effects, timer):
        with self.lock:
            self._timers.discard(timer)
            if generation != self._generation:
                return
            for effect in effects:
                try:
                    effect()
                except ApiError:
                    pass  # the target went away in the meantime: the work fails quietly, as on RunCloud
                except Exception:  # pylint: disable=broad-except
                    traceback.print_exc()  # a simulator bug: say so, and keep serving
            self.landed += 1
        self.on_landed()

    def pending(self):
        with self.lock:
            return len(self._timers)

    def cancel_all(self):
        with self.lock:
            self._generation += 1
            timers, self._timers = self._timers, set()
        for timer in timers:
            timer.cancel()
