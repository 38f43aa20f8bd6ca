"""gradcli's command line (Typer + Rich): ``gradcli.cli.app:main``.

A thin layer, one job per module:

- ``app.py``: the one list of commands, and the entry point;
- ``options.py``: the options every command shares (``@command``) and how EXPR is read;
- ``parsing.py``: how the command line is read (minus signs, repeated options);
- ``boundary.py``: where errors, signals and broken pipes become exit statuses (``status.py``);
- ``output.py``: JSON objects and the one writer (ASCII when stdout cannot encode);
  ``render.py``: Rich tables; ``plot.py``: matplotlib figures;
- ``points.py``: POINT/VECTOR/--param; ``*_cmd.py``: the commands.

Importing this package imports nothing heavy.
"""
