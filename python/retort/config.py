"""``alembic.config.Config`` as env.py sees it: the same ini file read by
Python's own ConfigParser with ``here`` defined, as Alembic reads it."""

import argparse
import configparser
import os
import sys

import _retort


class Config:
    def __init__(
        self,
        file_=None,
        toml_file=None,
        ini_section="alembic",
        output_buffer=None,
        stdout=sys.stdout,
        cmd_opts=None,
        config_args=None,
        attributes=None,
    ):
        self.config_file_name = file_
        self.toml_file_name = toml_file
        self.config_ini_section = ini_section
        self.output_buffer = output_buffer
        self.stdout = stdout
        self.cmd_opts = cmd_opts
        self.config_args = dict(config_args or {})
        self.attributes = dict(attributes or {})
        self._file_config = None

    @property
    def file_config(self):
        if self._file_config is None:
            here = os.path.abspath(os.path.dirname(self.config_file_name)) if self.config_file_name else ""
            self.config_args["here"] = here
            parser = configparser.ConfigParser(self.config_args)
            if self.config_file_name:
                parser.read([self.config_file_name])
            else:
                parser.add_section(self.config_ini_section)
            self._file_config = parser
        return self._file_config

    def print_stdout(self, text, *arg):
        if arg:
            output = str(text) % arg
        else:
            output = str(text)
        _retort.print_stdout(output)

    def get_section(self, name, default=None):
        if not self.file_config.has_section(name):
            return default
        return dict(self.file_config.items(name))

    def set_main_option(self, name, value):
        self.set_section_option(self.config_ini_section, name, value)

    def remove_main_option(self, name):
        self.file_config.remove_option(self.config_ini_section, name)

    def set_section_option(self, section, name, value):
        if not self.file_config.has_section(section):
            self.file_config.add_section(section)
        self.file_config.set(section, name, value)

    def get_section_option(self, section, name, default=None):
        if not self.file_config.has_section(section):
            raise _command_error("No config file %r found, or file has no '[%s]' section" % (self.config_file_name, section))
        if self.file_config.has_option(section, name):
            return self.file_config.get(section, name)
        return default

    def get_main_option(self, name, default=None):
        return self.get_section_option(self.config_ini_section, name, default)

    def get_alembic_option(self, name, default=None):
        """The ini's main section first, then ``[tool.alembic]`` (read in Rust,
        ``%(here)s`` substituted; lists, dicts, ints and booleans as TOML has
        them)."""
        if self.file_config.has_option(self.config_ini_section, name):
            return self.file_config.get(self.config_ini_section, name)
        return _retort.toml_option(name, default)

    def get_alembic_boolean_option(self, name):
        """Alembic's rule: the ini value must be exactly ``true``; a TOML value
        must be a boolean."""
        if self.file_config.has_option(self.config_ini_section, name):
            return self.file_config.get(self.config_ini_section, name) == "true"
        try:
            value = _retort.toml_option(name, False)
        except Exception:  # not a value of any type Alembic reads: not a boolean either
            value = None
        if not isinstance(value, bool):
            raise _command_error("boolean value expected for TOML parameter %r" % (name,))
        return value

    def get_template_directory(self):
        raise _command_error("retort has no template directory of Alembic's")


def _command_error(message):
    from .environment import CommandError

    return CommandError(message)


def _cmd_opts(command):
    opts = argparse.Namespace(
        x=list(command.get("x") or []),
        config=command.get("config_file"),
        name=command.get("ini_section", "alembic"),
        raiseerr=command.get("raiseerr", False),
        quiet=command.get("quiet", False),
        cmd=command.get("name"),
    )
    # The command's own flags (revision's autogenerate, message, ...).
    for key, value in (command.get("cmd_opts") or {}).items():
        setattr(opts, key, value)
    return opts


def from_command(command):
    return Config(
        file_=command.get("config_file"),
        toml_file=command.get("toml_file"),
        ini_section=command.get("ini_section", "alembic"),
        cmd_opts=_cmd_opts(command),
    )
