"""A PEP 249 driver whose connections are retort's sqlx connections.

SQLAlchemy's own dialects run on it (see ``retort.dialects``), so engines built
in env.py, ``op.get_bind()``, ``sqlalchemy.inspect(bind)`` and ORM sessions
work with no Python database driver installed.

Parameters are interpolated client-side as literals (``pyformat``), as psycopg2
and PyMySQL do, and the text is sent with the simple query protocol: several
statements in one ``execute()`` work as they do with those drivers.  On SQLite,
values Python's sqlite3 binds natively (None, int, float, str, bytes) are bound
as it binds them, the statement prepared once for all of an ``executemany``'s
sets; anything else is inlined as a literal.
Transactions follow each driver's rules: psycopg2 and PyMySQL are always in a
transaction unless autocommit is on; Python's sqlite3 (legacy mode) opens one
only before INSERT/UPDATE/DELETE/REPLACE.
"""

import datetime
import decimal
import json
import re
import threading
import uuid

import _retort

apilevel = "2.0"
threadsafety = 1
paramstyle = "pyformat"


class Warning(Exception):  # noqa: A001 - PEP 249 name
    pass


class Error(Exception):
    pass


class InterfaceError(Error):
    pass


class DatabaseError(Error):
    def __init__(self, message, code=None, statement=None):
        super().__init__(message)
        self.code = code
        self.statement = statement
        # psycopg2 and PyMySQL expose these; SQLAlchemy and users read them.
        self.pgcode = code
        self.args = (message,) if code is None else (code, message)

    def __str__(self):
        return self.args[-1] if self.args else ""


class DataError(DatabaseError):
    pass


class OperationalError(DatabaseError):
    pass


class IntegrityError(DatabaseError):
    pass


class InternalError(DatabaseError):
    pass


class ProgrammingError(DatabaseError):
    pass


class NotSupportedError(DatabaseError):
    pass


def _error_class(dialect, code, message):
    code = code or ""
    if dialect == "postgresql":
        if code.startswith("23"):
            return IntegrityError
        if code.startswith("42"):
            return ProgrammingError
        if code.startswith("22"):
            return DataError
        if code.startswith("0A"):
            return NotSupportedError
        return OperationalError if code[:2] in ("08", "53", "57", "40", "55", "") else InternalError
    if dialect == "mysql":
        if code in ("1062", "1451", "1452", "1048", "1216", "1217", "1364", "4025"):
            return IntegrityError
        if code in ("1064", "1146", "1054", "1091", "1050", "1060", "1061", "1049", "1142", "1044"):
            return ProgrammingError
        if code in ("1264", "1265", "1366", "1406"):
            return DataError
        return OperationalError
    lowered = message.lower()
    if "constraint failed" in lowered:
        return IntegrityError
    return OperationalError


def _raise(dialect, err):
    code, message, statement = err.args
    raise _error_class(dialect, code, message)(message, code, statement) from None


# ------------------------------------------------------------------ literals


def _pg_string(s):
    return "'" + s.replace("'", "''") + "'"


_MYSQL_ESCAPES = {
    "\\": "\\\\",
    "'": "\\'",
    '"': '\\"',
    "\0": "\\0",
    "\n": "\\n",
    "\r": "\\r",
    "\x1a": "\\Z",
}
_MYSQL_SPECIAL = re.compile(r"[\\'\"\0\n\r\x1a]")


def _mysql_string(s):
    return "'" + _MYSQL_SPECIAL.sub(lambda m: _MYSQL_ESCAPES[m.group()], s) + "'"


def _number(text, dialect):
    """A number's literal: psycopg2 puts a space before a negative one, so
    that ``1-%s`` never becomes the comment ``1--5`` (SQLite reads ``--`` as
    one too; MySQL needs ``-- ``, and PyMySQL adds nothing)."""
    return " " + text if text[0] == "-" and dialect != "mysql" else text


def literal(value, dialect):
    """One parameter as SQL literal text for ``dialect``."""
    kind = type(value)
    if kind is int:  # the common cases first, by exact type
        return _number(str(value), dialect)
    if kind is str and dialect != "mysql" and (dialect != "postgresql" or "\0" not in value):
        return "'" + value.replace("'", "''") + "'"
    if value is None:
        return "NULL"
    if value is True or value is False:
        if dialect == "postgresql":
            return "true" if value else "false"
        return "1" if value else "0"
    if isinstance(value, int):
        return _number(str(int(value)), dialect)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            if dialect == "sqlite":
                # What SQLite stores when Python's sqlite3 binds them.
                return "NULL" if value != value else _number("9e999" if value > 0 else "-9e999", dialect)
            if dialect == "mysql":
                raise ProgrammingError("%r can not be used with MySQL" % value)  # PyMySQL's refusal
            text = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}[repr(value)]
            return "'%s'::float8" % text
        return _number(repr(value), dialect)
    if isinstance(value, decimal.Decimal):
        if dialect == "mysql":  # PyMySQL: plain digits (1E+5 would be a DOUBLE), no specials
            if not value.is_finite():
                raise ProgrammingError("%s can not be used with MySQL" % str(value).lower())
            return format(value, "f")
        return _number(str(value), dialect) if value.is_finite() else "'NaN'::numeric"  # psycopg2's
    quote = _mysql_string if dialect == "mysql" else _pg_string
    if isinstance(value, str):
        if dialect == "postgresql" and "\0" in value:
            raise DataError("A string literal cannot contain NUL (0x00) characters.")
        return quote(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        hexed = bytes(value).hex()
        if dialect == "postgresql":
            return "'\\x%s'::bytea" % hexed
        return "X'%s'" % hexed
    if isinstance(value, (datetime.datetime, datetime.time)):
        if dialect == "postgresql":
            kind = "timestamp" if isinstance(value, datetime.datetime) else "time"
            return "'%s'::%s%s" % (value.isoformat(), kind, "tz" if value.tzinfo is not None else "")
        # PyMySQL writes the fields and drops the time zone.
        return quote(value.replace(tzinfo=None).isoformat(" ") if isinstance(value, datetime.datetime)
                     else value.replace(tzinfo=None).isoformat())
    if isinstance(value, datetime.date):
        return "'%s'::date" % value.isoformat() if dialect == "postgresql" else quote(value.isoformat())
    if isinstance(value, datetime.timedelta):
        if dialect == "postgresql":
            return "'%d days %d.%06d seconds'::interval" % (value.days, value.seconds, value.microseconds)
        total = value.total_seconds()
        sign = "-" if total < 0 else ""
        total = abs(total)
        hours, rest = divmod(total, 3600)
        minutes, seconds = divmod(rest, 60)
        return quote("%s%d:%02d:%09.6f" % (sign, hours, minutes, seconds))
    if isinstance(value, uuid.UUID):
        return "'%s'::uuid" % value if dialect == "postgresql" else quote(str(value))
    if isinstance(value, list):
        if dialect == "postgresql":
            if not value:
                return "'{}'"
            return "ARRAY[%s]" % ", ".join(literal(v, dialect) for v in value)
        return "(%s)" % ", ".join(literal(v, dialect) for v in value)
    if isinstance(value, tuple):
        return "(%s)" % ", ".join(literal(v, dialect) for v in value)
    if isinstance(value, dict):
        if dialect == "mysql":
            raise TypeError("dict can not be used as parameter")
        raise ProgrammingError("can't adapt type 'dict'")
    return quote(str(value))


def _type_name(kind):
    """The name Python's sqlite3 gives a type in its errors (the C ``tp_name``:
    ``module.Name`` for built-in extension types, the bare name otherwise)."""
    if kind.__flags__ & (1 << 9) or kind.__module__ == "builtins":  # Py_TPFLAGS_HEAPTYPE
        return kind.__name__
    return "%s.%s" % (kind.__module__, kind.__name__)


def _sqlite_literal(value, index):
    """Parameter ``index`` as SQLite literal text: what Python's sqlite3 (3.11)
    binds, or its refusal.  The values it binds natively mostly go to
    ``_retort.db_execute_bound`` instead; these are the sets that cannot."""
    kind = type(value)
    # sqlite3's default adapters, looked up by exact type.
    if kind is datetime.datetime:
        value = value.isoformat(" ")
    elif kind is datetime.date:
        value = value.isoformat()
    if value is None:
        return "NULL"
    if isinstance(value, int):
        if not -(2**63) <= value < 2**63:
            raise OverflowError("Python int too large to convert to SQLite INTEGER")
        return _number(str(int(value)), "sqlite")
    if isinstance(value, float):
        return literal(float(value), "sqlite")
    if isinstance(value, str):
        text = value.encode("utf-8")  # lone surrogates raise, as in sqlite3
        if b"\0" in text:  # a literal would end at the NUL
            return "CAST(X'%s' AS TEXT)" % text.hex()
        return "'" + value.replace("'", "''") + "'"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "X'%s'" % bytes(value).hex()
    raise ProgrammingError("Error binding parameter %d: type '%s' is not supported" % (index, _type_name(kind)))


# Quoted strings, identifiers and comments, which hold no parameters; then the
# parameters themselves (qmark, named).
_SQLITE_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|/\*.*?\*/|\?|:\w+", re.S)


def _sqlite_inline(sql, params):
    """``sql`` with Python's sqlite3 parameters (``?`` from a sequence, or
    ``:name`` from a mapping) written in as literals, with its errors."""
    named = isinstance(params, dict)
    spots = [m for m in _SQLITE_TOKENS.finditer(sql) if m.group()[0] in "?:"]
    if not named:
        spots = [m for m in spots if m.group() == "?"]
        if len(spots) != len(params):
            raise ProgrammingError(
                "Incorrect number of bindings supplied. The current statement uses %d, and there are %d supplied."
                % (len(spots), len(params))
            )
    out, last = [], 0
    for index, m in enumerate(spots, 1):
        if named:
            name = m.group()[1:]
            if name not in params:
                raise ProgrammingError("You did not supply a value for binding parameter :%s." % name)
            value = params[name]
        else:
            value = params[index - 1]
        out.append(sql[last : m.start()])
        out.append(_sqlite_literal(value, index))
        last = m.end()
    out.append(sql[last:])
    return "".join(out)


def interpolate(sql, params, dialect):
    if params is None:
        return sql
    if dialect == "sqlite":
        # Python's sqlite3 binds qmark or named parameters; nothing to do without any.
        return _sqlite_inline(sql, params) if len(params) else sql
    if isinstance(params, dict):
        return sql % {k: literal(v, dialect) for k, v in params.items()}
    return sql % tuple(literal(v, dialect) for v in params)


# ----------------------------------------------------------------- results


def _pg_array(text, convert):
    """Parses PostgreSQL's text form of a one-dimensional array ({a,"b c",NULL})."""
    if text in ("{}", ""):
        return []
    if not text.startswith("{"):
        return [convert(p) for p in text.split()]  # int2vector / oidvector
    items, i, n = [], 1, len(text) - 1
    while i < n:
        if text[i] == '"':
            j, buf = i + 1, []
            while text[j] != '"':
                if text[j] == "\\":
                    j += 1
                buf.append(text[j])
                j += 1
            items.append(convert("".join(buf)))
            i = j + 2
        elif text[i] == "{":
            depth, j = 0, i
            while True:
                depth += {"{": 1, "}": -1}.get(text[j], 0)
                if depth == 0:
                    break
                j += 1
            items.append(_pg_array(text[i : j + 1], convert))
            i = j + 2
        else:
            j = text.find(",", i)
            j = n if j == -1 else j
            raw = text[i:j]
            items.append(None if raw == "NULL" else convert(raw))
            i = j + 1
    return items


def _pg_bytea(text):
    if text.startswith("\\x"):
        return bytes.fromhex(text[2:])
    return text.encode("latin-1").decode("unicode_escape").encode("latin-1")


_PG_INTERVAL = re.compile(
    r"^(?:(-?\d+) years? ?)?(?:(-?\d+) mons? ?)?(?:(-?\d+) days? ?)?(?:([+-]?)(\d+):(\d+):(\d+)(?:\.(\d+))?)?$"
)


def _pg_interval(text):
    """psycopg2's reading of an interval (IntervalStyle postgres): a year is
    365 days, a month 30."""
    m = _PG_INTERVAL.match(text)
    if m is None:
        return text
    years, months, days, sign, hours, minutes, seconds, fraction = m.groups()
    total_days = int(years or 0) * 365 + int(months or 0) * 30 + int(days or 0)
    clock = datetime.timedelta(
        hours=int(hours or 0),
        minutes=int(minutes or 0),
        seconds=int(seconds or 0),
        microseconds=int((fraction or "0")[:6].ljust(6, "0")),
    )
    return datetime.timedelta(days=total_days) + (-clock if sign == "-" else clock)


def _pg_timestamp(text):
    if text in ("infinity", "-infinity"):
        return text
    return datetime.datetime.fromisoformat(text)


_PG_SCALARS = {
    "INT2": int,
    "INT4": int,
    "INT8": int,
    "OID": int,
    "XID": int,
    "CID": int,
    "REGPROC": str,
    "FLOAT4": float,
    "FLOAT8": float,
    "NUMERIC": decimal.Decimal,
    "BOOL": lambda t: t == "t",
    "BYTEA": lambda t: memoryview(_pg_bytea(t)),  # psycopg2 gives a buffer
    "DATE": datetime.date.fromisoformat,
    "TIME": datetime.time.fromisoformat,
    "TIMETZ": datetime.time.fromisoformat,
    "INTERVAL": _pg_interval,
    "JSON": json.loads,
    "JSONB": json.loads,
    "TIMESTAMP": _pg_timestamp,
    "TIMESTAMPTZ": _pg_timestamp,
    "UUID": uuid.UUID,
    "INT2VECTOR": lambda t: [int(p) for p in t.split()],
    "OIDVECTOR": lambda t: [int(p) for p in t.split()],
}


def _pg_converter(type_name):
    name = type_name.upper()
    # An array type: sqlx names it `T[]`, PostgreSQL's catalog `_T`.
    element = name[:-2] if name.endswith("[]") else name[1:] if name.startswith("_") else None
    if element is not None:
        inner = _PG_SCALARS.get(element, str)
        return lambda t: _pg_array(t, inner)
    return _PG_SCALARS.get(name)


def _mysql_time(text):
    sign = -1 if text.startswith("-") else 1
    h, m, s = text.lstrip("-").split(":")
    return sign * datetime.timedelta(hours=int(h), minutes=int(m), seconds=float(s))


def _mysql_datetime(text):
    if text.startswith("0000-00-00"):
        return None
    return datetime.datetime.fromisoformat(text)


_MYSQL_SCALARS = {
    "BOOLEAN": int,  # sqlx's name for TINYINT(1)
    "TINYINT": int,
    "SMALLINT": int,
    "MEDIUMINT": int,
    "INT": int,
    "INTEGER": int,
    "BIGINT": int,
    "YEAR": int,
    "TINYINT UNSIGNED": int,
    "SMALLINT UNSIGNED": int,
    "MEDIUMINT UNSIGNED": int,
    "INT UNSIGNED": int,
    "BIGINT UNSIGNED": int,
    "FLOAT": float,
    "DOUBLE": float,
    "DECIMAL": decimal.Decimal,
    "DATE": lambda t: None if t.startswith("0000") else datetime.date.fromisoformat(t),
    "DATETIME": _mysql_datetime,
    "TIMESTAMP": _mysql_datetime,
    "TIME": _mysql_time,
}
_MYSQL_BINARY = {"BLOB", "TINYBLOB", "MEDIUMBLOB", "LONGBLOB", "BINARY", "VARBINARY", "BIT", "GEOMETRY"}


def _from_text(convert):
    """A converter of a text-protocol value (bytes) to its Python value."""
    if convert is None:
        return lambda t: t.decode()
    return lambda t: convert(t.decode())


def _converters(dialect, description):
    out = []
    for _name, type_name in description:
        if dialect == "postgresql":
            out.append(_from_text(_pg_converter(type_name)))
        elif dialect == "mysql":
            name = type_name.upper()
            out.append(bytes if name in _MYSQL_BINARY else _from_text(_MYSQL_SCALARS.get(name)))
        else:
            out.append(None)
    return out


# ------------------------------------------------------------- connection

# executemany(): statements sent per round trip, up to about this much text
# (PyMySQL's own multi-row INSERT limit; under every server's packet limit).
_PAGE_CHARS = 1024000

_SQLITE_DML = re.compile(r"\s*(?:--[^\n]*\n\s*|/\*.*?\*/\s*)*(INSERT|UPDATE|DELETE|REPLACE)\b", re.I | re.S)


class Connection:
    def __init__(self, url, check_same_thread=False):
        # Python's sqlite3 refuses use from any thread but the creating one
        # unless check_same_thread=False (SQLAlchemy 2.0 passes False for a
        # file database, 1.4 leaves sqlite3's True).
        self._owner = threading.get_ident() if check_same_thread else None
        try:
            self._handle, self.dialect, self.is_mariadb, self.server_version = _retort.db_connect(url)
        except _retort.DbError as e:
            _raise("", e)
        self._autocommit = False
        self._in_tx = False
        self.closed = False
        if self.dialect == "mysql":
            self._run("SET autocommit=0")

    # psycopg2 / pysqlite spell it as an attribute, PyMySQL as a method.
    @property
    def autocommit(self):
        return self._autocommit

    @autocommit.setter
    def autocommit(self, value):
        value = bool(value)
        if value == self._autocommit:
            return
        if self.dialect == "postgresql" and self._in_tx:
            raise ProgrammingError("set_session cannot be used inside a transaction")
        if self.dialect == "mysql":
            self._run("SET autocommit=%d" % value)
        elif self._in_tx:
            self._run("COMMIT")
        self._in_tx = False
        self._autocommit = value

    # Python's sqlite3 spelling: None means autocommit.
    @property
    def isolation_level(self):
        return None if self._autocommit else ""

    @isolation_level.setter
    def isolation_level(self, value):
        self.autocommit = value is None

    def create_function(self, *args, **kw):
        # SQLAlchemy's SQLite dialect registers regexp()/floor() helpers;
        # Python callables cannot be called from sqlx's connection.
        pass

    def get_autocommit(self):
        return self._autocommit

    def _check_thread(self):
        if self._owner is not None and self._owner != threading.get_ident():
            raise ProgrammingError(
                "SQLite objects created in a thread can only be used in that same thread. "
                "The object was created in thread id %d and this is thread id %d."
                % (self._owner, threading.get_ident())
            )

    def _run(self, sql):
        self._check_thread()
        try:
            return _retort.db_execute(self._handle, sql)
        except _retort.DbError as e:
            _raise(self.dialect, e)

    def _run_bound(self, sql, param_sets):
        """SQLite: ``sql`` run once per parameter set with the values bound
        natively, as Python's sqlite3 binds them (one prepare for all sets).
        None, with nothing run, for values or text it does not take."""
        self._check_thread()
        try:
            return _retort.db_execute_bound(self._handle, sql, param_sets)
        except _retort.DbError as e:
            _raise(self.dialect, e)

    def _before(self, sql):
        if self._autocommit or self._in_tx:
            return
        if self.dialect == "postgresql":
            self._run("BEGIN")
            self._in_tx = True
        elif self.dialect == "mysql":
            self._in_tx = True  # the server is in autocommit=0 mode
        elif _SQLITE_DML.match(sql):
            self._run("BEGIN")
            self._in_tx = True

    def cursor(self, *args, **kw):
        self._check_thread()
        if self.closed:
            raise InterfaceError("connection already closed")
        return Cursor(self)

    def commit(self):
        if self._in_tx:
            self._in_tx = False
            self._run("COMMIT")

    def rollback(self):
        if self._in_tx:
            self._in_tx = False
            self._run("ROLLBACK")

    def close(self):
        if not self.closed:
            self.closed = True
            try:
                _retort.db_close(self._handle)
            except _retort.DbError:
                pass

    # PyMySQL API used by SQLAlchemy's MySQL dialect.
    def ping(self, reconnect=False):
        self._run("SELECT 1")

    def character_set_name(self):
        return "utf8mb4"


def _check_text(conn, operation):
    if conn.dialect == "sqlite" and "\0" in operation:
        raise ProgrammingError("the query contains a null character")  # sqlite3's refusal


class Cursor:
    arraysize = 1

    def __init__(self, connection):
        self.connection = connection
        self.description = None
        self.rowcount = -1
        self.lastrowid = None
        self._rows = []
        self._pos = 0

    def execute(self, operation, parameters=None):
        conn = self.connection
        _check_text(conn, operation)
        result = None
        if conn.dialect == "sqlite" and parameters and not isinstance(parameters, dict):
            conn._before(operation)
            result = conn._run_bound(operation, (parameters,))
        if result is None:
            sql = interpolate(operation, parameters, conn.dialect)
            conn._before(sql)
            result = conn._run(sql)
        description, rows, rowcount, lastrowid = result
        self.lastrowid = lastrowid
        self._pos = 0
        if description is None:
            self.description = None
            self._rows = []
            self.rowcount = rowcount
            return self
        self.description = [(name, type_name, None, None, None, None, None) for name, type_name in description]
        converters = _converters(conn.dialect, description)
        if any(converters):
            rows = [
                tuple(v if v is None or c is None else c(v) for v, c in zip(row, converters)) for row in rows
            ]
        else:
            rows = [tuple(r) for r in rows]
        self._rows = rows
        self.rowcount = len(rows)
        return self

    def executemany(self, operation, seq_of_parameters):
        """The statement once per parameter set, as the Python drivers run
        it, but sent in pages of several statements per round trip (one
        ``execute`` of text holding many statements runs them in order and
        stops at the first error).  The rowcount is the total."""
        conn = self.connection
        _check_text(conn, operation)
        if conn.dialect == "sqlite":
            sets = seq_of_parameters if isinstance(seq_of_parameters, (list, tuple)) else list(seq_of_parameters)
            result = None
            if sets:
                conn._before(operation)
                result = conn._run_bound(operation, sets)
            if result is not None:
                self._finish_many(max(result[2], 0))
                return self
            seq_of_parameters = sets
        # PostgreSQL runs a multi-statement query as one implicit
        # transaction: with autocommit on, each statement must stand alone.
        limit = 0 if conn._autocommit and conn.dialect == "postgresql" else _PAGE_CHARS
        total = 0
        page, size = [], 0
        for params in seq_of_parameters:
            sql = interpolate(operation, params, conn.dialect)
            page.append(sql)
            size += len(sql)
            if size >= limit:
                total += self._run_page(page)
                page, size = [], 0
        if page:
            total += self._run_page(page)
        self._finish_many(total)
        return self

    def _finish_many(self, rowcount):
        self.description = None
        self._rows = []
        self._pos = 0
        self.lastrowid = None
        self.rowcount = rowcount

    def _run_page(self, statements):
        conn = self.connection
        conn._before(statements[0])
        # A statement's own trailing semicolon would make an empty one; the
        # separator on its own line also ends a trailing -- comment.
        text = "\n;\n".join(s.rstrip().rstrip(";") for s in statements)
        _description, _rows, rowcount, _lastrowid = conn._run(text)
        return max(rowcount, 0)

    def fetchone(self):
        if self._pos >= len(self._rows):
            return None
        row = self._rows[self._pos]
        self._pos += 1
        return row

    def fetchmany(self, size=None):
        size = size or self.arraysize
        rows = self._rows[self._pos : self._pos + size]
        self._pos += len(rows)
        return rows

    def fetchall(self):
        rows = self._rows[self._pos :]
        self._pos = len(self._rows)
        return rows

    def __iter__(self):
        while True:
            row = self.fetchone()
            if row is None:
                return
            yield row

    def close(self):
        self._rows = []

    def setinputsizes(self, *a):
        pass

    def setoutputsize(self, *a):
        pass


# PEP 249 constructors and type objects (SQLAlchemy binds LargeBinary with Binary).
Binary = bytes
Date = datetime.date
Time = datetime.time
Timestamp = datetime.datetime


class _TypeObject:
    def __init__(self, *names):
        self.names = {n.upper() for n in names}

    def __eq__(self, other):
        return isinstance(other, str) and other.upper() in self.names

    def __hash__(self):
        return hash(frozenset(self.names))


STRING = _TypeObject("TEXT", "VARCHAR", "CHAR", "BPCHAR", "NAME")
BINARY = _TypeObject("BYTEA", "BLOB", "BINARY", "VARBINARY")
NUMBER = _TypeObject("INT2", "INT4", "INT8", "INTEGER", "INT", "BIGINT", "NUMERIC", "DECIMAL", "FLOAT4", "FLOAT8", "REAL")
DATETIME = _TypeObject("TIMESTAMP", "TIMESTAMPTZ", "DATETIME", "DATE", "TIME")
ROWID = _TypeObject("OID")


def connect(url, check_same_thread=False):
    return Connection(url, check_same_thread)


def _sqlite_version_info():
    conn = connect("sqlite://")
    try:
        cur = conn.cursor()
        cur.execute("SELECT sqlite_version()")
        text = cur.fetchone()[0]
    finally:
        conn.close()
    return tuple(int(p) for p in text.split("."))


def __getattr__(name):
    """``sqlite_version_info`` / ``sqlite_version`` as Python's sqlite3 has
    them (SQLAlchemy's SQLite dialect reads them), asked of sqlx's SQLite
    on first use only: runs on other databases never open it."""
    if name not in ("sqlite_version_info", "sqlite_version"):
        raise AttributeError("module %r has no attribute %r" % (__name__, name))
    info = _sqlite_version_info()
    globals()["sqlite_version_info"] = info
    globals()["sqlite_version"] = ".".join(map(str, info))
    return globals()[name]
