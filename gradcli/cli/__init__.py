"""gradcli's command line (Typer + Rich): ``gradcli.cli.app:main``.

A thin layer: ``options.py`` holds the common options and the one error
boundary, ``points.py`` parses POINT/VECTOR/--param, ``calculus_cmd.py`` and
``descend_cmd.py`` are the commands, ``render.py`` draws Rich tables (JSON is
in ``options.py``), ``plot.py`` draws matplotlib figures. Importing this
package imports nothing heavy.
"""
