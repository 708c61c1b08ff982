from . import test_installed_base
