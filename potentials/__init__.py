"""gradcli's built-in named potentials: one TOML file per potential (see gradcli.named).

This folder ships in the wheel as the package ``gradcli.builtin_potentials``; the
``__init__.py`` makes it a regular package, which setuptools' editable installs need
to map it (a namespace package under a mapped parent is not found).
"""
