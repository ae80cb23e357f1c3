# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The typed value model: how a value of each kind of field is read from the API and written to it.

Private to the collection: its names may change at any time. Nothing here imports Ansible, so the
client, the modules, the inventory plugin, the export and the event source share it.

The API references fix the type of most fields but not always their spelling: the v3 examples show
``0/1`` flags, string ports and string ids; Laravel without casts answers every column as a string;
enums and PHP versions have more than one plausible spelling. Each ``ValueType`` therefore has

- one reader, ``read(value)``: the canonical form of every spelling of the type (``"42"`` -> 42,
  ``"0"`` -> False, ``"NGINX"`` -> ``"nginx"``, ``"8.2"`` -> ``"php82rc"``), or the value unchanged
  when it cannot be read as the type (``readable(value)`` then says False: the value is *unknown*);
- one writer, ``write(value)``: the form the reference documents for requests;
- ``same(left, right)``: whether two values are equal as values of the type (None: unknown).

An empty string is null for every type but ``raw``. Which field has which type is written in the
catalogue (``catalogue.py``: each resource's fields, and ``ANSWER_TYPES``, the fields whose name
means one type wherever it appears); the client reads every answer with that table
(``read_answer``), so every consumer sees canonical values.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import math
import re

TRUE_WORDS = frozenset(['1', 'true', 'yes', 'on'])
FALSE_WORDS = frozenset(['0', 'false', 'no', 'off'])
# RunCloud names PHP versions php<major><minor>rc (php74rc, php82rc); people and other APIs write 8.2.
PHP_VERSION_NAME = re.compile(r'^php\d{2,3}rc$')
PHP_VERSION_SPELLINGS = re.compile(r'^\s*(?:php)?[\s-]*(\d)\.?(\d{1,2})(?:\.\d+)?\s*(?:rc)?\s*$', re.IGNORECASE)
# 2019-06-20 18:10:23 (documented), 2019-06-20T18:10:23.000000Z, 2019-06-20T18:10:23+02:00, 2019-06-20
TIME_SPELLINGS = re.compile(r'^\s*(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?)?\s*$',
                            re.IGNORECASE)
TIME_FORMAT = '%Y-%m-%d %H:%M:%S'


class ValueType:
    """A kind of field value. Subclasses implement ``parse`` (canonical form, or ValueError/TypeError)
    and, when the request form differs from the canonical one, ``to_api``."""

    name = 'text'

    def parse(self, value):
        raise NotImplementedError

    def read(self, value):
        """The canonical form of ``value``; the value itself when it cannot be read as this type."""
        if _is_empty(value):
            return None
        try:
            return self.parse(value)
        except (TypeError, ValueError, OverflowError):
            return value

    def readable(self, value):
        """Whether ``value`` (read or not) holds a value of this type (null included)."""
        if _is_empty(value):
            return True
        try:
            self.parse(value)
        except (TypeError, ValueError, OverflowError):
            return False
        return True

    def write(self, value):
        """What a request sends for ``value``: the documented form (None stays None)."""
        value = self.read(value)
        return None if value is None else self.to_api(value)

    def to_api(self, value):
        return value

    def key(self, value):
        """What two canonical values are compared by."""
        return value

    def same(self, left, right):
        """Whether two values are the same value of this type; None when one cannot be read."""
        if not (self.readable(left) and self.readable(right)):
            return None
        left, right = self.read(left), self.read(right)
        if left is None or right is None:
            return left is right
        return self.key(left) == self.key(right)

    def __repr__(self):
        return 'ValueType(%s)' % self.name


class Raw(ValueType):
    """Taken as it is, empty strings included (options whose module compares them itself)."""

    name = 'raw'

    def read(self, value):
        return value

    def readable(self, value):
        return True

    def parse(self, value):
        return value


class Text(ValueType):
    """A string. Numbers read as their text ("80"), so a port or a label answered as a number compares."""

    name = 'text'

    def parse(self, value):
        if isinstance(value, str):
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError('not text')
        return _number_text(value)

    def write(self, value):
        # An empty text is a value of its own in requests ("openBasedir": "" turns open_basedir off).
        if isinstance(value, str) and value.strip() == '':
            return value
        return super(Text, self).write(value)


class Integer(ValueType):
    """A whole number: 80, "80", 80.0 and "80.0" are 80. A boolean is not a number."""

    name = 'integer'

    def parse(self, value):
        if isinstance(value, bool):
            raise TypeError('a boolean is not a number')
        if isinstance(value, int):
            return value
        if isinstance(value, str):
            value = value.strip()
            try:
                return int(value)
            except ValueError:
                value = float(value)
        if isinstance(value, float) and value == int(value):
            return int(value)
        raise ValueError('not a whole number')


class Identifier(Integer):
    """An id: a whole number from 0 (the reference: "IDs are integers"), also when answered as "42"."""

    name = 'id'

    def parse(self, value):
        number = super(Identifier, self).parse(value)
        if number < 0:
            raise ValueError('an id is not negative')
        return number


class Number(ValueType):
    """A measure (memory, disk, load): 0.94, "0.94", 1 and "1" are numbers."""

    name = 'number'

    def parse(self, value):
        if isinstance(value, bool):
            raise TypeError('a boolean is not a number')
        if isinstance(value, (int, float)):
            return value
        if isinstance(value, str):
            text = value.strip()
            try:
                return int(text)
            except ValueError:
                number = float(text)
                if math.isnan(number) or math.isinf(number):
                    raise ValueError('not a finite number')
                return number
        raise TypeError('not a number')


class Boolean(ValueType):
    """true/false, 1/0, "1"/"0", "true"/"false" (any case), "yes"/"no", "on"/"off". Other numbers and
    words are unknown, never true."""

    name = 'boolean'

    def parse(self, value):
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)):
            if value in (0, 1):
                return bool(value)
            raise ValueError('a flag is 0 or 1')
        if isinstance(value, str):
            word = value.strip().lower()
            if word in TRUE_WORDS:
                return True
            if word in FALSE_WORDS:
                return False
        raise ValueError('not a boolean')


class Enumeration(ValueType):
    """One of a set of words, in any case: read as the documented spelling (``choices``) when it is one
    of them, else as the text it is; compared without regard to case."""

    name = 'enum'

    def __init__(self, *choices):
        self.choices = dict((choice.lower(), choice) for choice in choices)

    def parse(self, value):
        if not isinstance(value, str):
            raise TypeError('not a word')
        text = value.strip()
        return self.choices.get(text.lower(), text)

    def key(self, value):
        return value.lower()

    def __repr__(self):
        return 'ValueType(enum: %s)' % ', '.join(sorted(self.choices.values()))


class PhpVersion(ValueType):
    """A PHP version: php82rc (RunCloud's name and the documented form), PHP82RC, 8.2, php8.2, 8.2.10.
    A name of another form (a custom build) is taken as the text it is."""

    name = 'php_version'

    def parse(self, value):
        if isinstance(value, float):
            value = repr(value)
        if not isinstance(value, str):
            raise TypeError('not a PHP version')
        spelled = PHP_VERSION_SPELLINGS.match(value)
        if spelled is None:
            return value.strip()
        return 'php%s%src' % spelled.groups()

    def key(self, value):
        return value.lower()


class Domain(ValueType):
    """A domain name: case and a trailing dot do not matter."""

    name = 'domain'

    def parse(self, value):
        if not isinstance(value, str):
            raise TypeError('not a domain name')
        return value.strip().rstrip('.').lower()


class Time(ValueType):
    """A point in time. Read from "YYYY-MM-DD HH:MM:SS" (documented; no zone, taken as UTC), ISO 8601
    with a fraction and a zone, or a date; canonical (and written) as "YYYY-MM-DD HH:MM:SS" in UTC.
    A human text ("6 seconds ago") is unknown."""

    name = 'time'

    def parse(self, value):
        return self.moment(value).strftime(TIME_FORMAT)

    @staticmethod
    def moment(value):
        """An aware UTC datetime; ValueError/TypeError when the value is not a time."""
        if not isinstance(value, str):
            raise TypeError('not a time')
        spelled = TIME_SPELLINGS.match(value)
        if spelled is None:
            raise ValueError('not a time')
        day, clock, _fraction, zone = spelled.groups()
        clock = clock or '00:00:00'
        if len(clock) == 5:
            clock += ':00'
        moment = datetime.datetime.strptime('%s %s' % (day, clock), TIME_FORMAT)
        offset = datetime.timedelta(0)
        if zone and zone.upper() != 'Z':
            digits = zone.replace(':', '')
            offset = datetime.timedelta(hours=int(digits[1:3]), minutes=int(digits[3:5]))
            offset = -offset if digits[0] == '-' else offset
        return (moment - offset).replace(tzinfo=_UTC)


_UTC = datetime.timezone.utc

RAW = Raw()
TEXT = Text()
INTEGER = Integer()
ID = Identifier()
NUMBER = Number()
BOOLEAN = Boolean()
ENUM = Enumeration()
PHP_VERSION = PhpVersion()
DOMAIN = Domain()
TIME = Time()

# The types by name (a module field's ``kind``); the short names are the ones modules used first.
TYPES = dict((value_type.name, value_type) for value_type in (RAW, TEXT, INTEGER, ID, NUMBER, BOOLEAN, ENUM, PHP_VERSION, DOMAIN, TIME))
TYPES.update(str=TEXT, int=INTEGER, bool=BOOLEAN, php=PHP_VERSION)


def value_type(kind):
    """The ValueType a module field's ``kind`` names (a ValueType passes through)."""
    if isinstance(kind, ValueType):
        return kind
    try:
        return TYPES[kind]
    except KeyError:
        raise ValueError('unknown value kind %r; known: %s' % (kind, ', '.join(sorted(TYPES))))


def is_true(value):
    """Whether a flag reads as true; a flag that cannot be read is unknown, which is not true."""
    return BOOLEAN.read(value) is True


def read_answer(data, types):
    """An API answer with every field named in ``types`` ({API field: ValueType}, the catalogue's
    ``ANSWER_TYPES``) read into its canonical form, at any depth (list items, nested objects, the
    services keyed by name). Values that cannot be read stay as they are, so that whoever compares
    them sees them as unknown. Returns a new structure."""
    if isinstance(data, list):
        return [read_answer(item, types) for item in data]
    if not isinstance(data, dict):
        return data
    typed = {}
    for key, value in data.items():
        if isinstance(value, (dict, list)):
            typed[key] = read_answer(value, types)
            continue
        value_type_of_key = types.get(key) if isinstance(key, str) else None
        typed[key] = value if value_type_of_key is None or value is None else value_type_of_key.read(value)
    return typed


def unwrap(data):
    """A single object answered inside an envelope (``{"data": {...}}``, possibly with ``message``,
    ``meta`` or ``links`` beside it) as the object itself; any other answer as it is. List envelopes
    (``data`` holding a list) are left to the list reader."""
    if isinstance(data, dict) and isinstance(data.get('data'), dict) and set(data) <= ENVELOPE_KEYS:
        return data['data']
    return data


# What a Laravel or Fractal envelope may carry beside ``data``.
ENVELOPE_KEYS = frozenset(['data', 'message', 'meta', 'links', 'status', 'success'])


def error_details(errors):
    """({field: [messages]}, [messages without a field]) of a 422 answer's ``errors``, whatever its
    shape: Laravel's object of lists, an object of strings, a list of messages (or of objects with a
    message), or one string."""
    fields, general = {}, []
    if isinstance(errors, dict):
        for field, messages in errors.items():
            listed = messages if isinstance(messages, list) else [messages]
            texts = [_message_text(message) for message in listed if not _is_empty(message)]
            if texts:
                fields[str(field)] = texts
    elif isinstance(errors, list):
        for message in errors:
            if isinstance(message, dict) and len(message) == 1 and not set(message) & MESSAGE_KEYS \
                    and not isinstance(next(iter(message.values())), dict):
                field, texts = next(iter(message.items()))
                fields.setdefault(str(field), []).extend(_message_text(text) for text in (texts if isinstance(texts, list) else [texts]))
            elif not _is_empty(message):
                general.append(_message_text(message))
    elif not _is_empty(errors):
        general.append(_message_text(errors))
    return fields, general


# The keys under which an object in a list of errors holds its text.
MESSAGE_KEYS = frozenset(['message', 'detail', 'error', 'msg'])


def _message_text(message):
    if isinstance(message, dict):
        for key in sorted(MESSAGE_KEYS):
            if isinstance(message.get(key), str):
                return message[key]
    return message if isinstance(message, str) else str(message)


def _is_empty(value):
    return value is None or (isinstance(value, str) and value.strip() == '')


def _number_text(number):
    if isinstance(number, float) and number == int(number):
        return str(int(number))
    return str(number)
