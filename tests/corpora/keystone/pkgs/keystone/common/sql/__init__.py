# Stub written for retort's corpus parity tests (tests/corpora_parity.rs): only
# what keystone's migrations use.  The types of keystone.common.sql.core
# (which needs oslo.db): their impl types are what reaches the DDL.
import sqlalchemy as sql
from sqlalchemy import types as sql_types

Text = sql.Text


class JsonBlob(sql_types.TypeDecorator):
    impl = sql.Text
    cache_ok = True


class DateTimeInt(sql_types.TypeDecorator):
    impl = sql.BigInteger
    cache_ok = True
