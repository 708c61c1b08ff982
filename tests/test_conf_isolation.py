"""End-to-end: two checkouts of the suite share one AFTERSALES_HOME (the
virtualenv, the database password and the user's odoo.conf). The first one is
set up with setup/install, which writes odoo.conf for it; then each runs
setup/test, one after the other. odoo.conf stays byte for byte what the first
checkout's setup/install wrote, and each run's Odoo loaded its own checkout's
addons (a config of the run's own).

The checkouts are copies of this one's setup/ and addons/ (the working tree,
so what is tested is what is about to be committed), in a temporary
AFTERSALES_HOME that links the real virtualenvs and copies the database
password (so the PostgreSQL role is left as it is).
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# One small test class: the run installs aftersales_ticket and its dependencies.
TEST_TAGS = "/aftersales_ticket:TestBadInput"
ADDONS_PATHS = re.compile(r"INFO \S+ odoo: addons paths: .*")


def real_home():
    return Path(os.environ.get("AFTERSALES_HOME") or Path.home() / ".local/share/aftersales-suite")


@pytest.fixture
def shared_home(tmp_path):
    """An AFTERSALES_HOME for two clones: the real virtualenvs linked, the
    database password copied, no odoo.conf yet."""
    home = tmp_path / "home"
    home.mkdir()
    real = real_home()
    password = real / "db_password"
    if not password.exists():
        pytest.fail(f"{password} is missing: run setup/install first")
    shutil.copy2(password, home / "db_password")
    if (real / "odoo_src").exists() and not os.environ.get("ODOO_SRC"):
        shutil.copy2(real / "odoo_src", home / "odoo_src")
    for venv in list(real.glob("venv-py*")) + list(real.glob("lint-venv-*")):
        (home / venv.name).symlink_to(venv.resolve())
    return home


def make_clone(root):
    root.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for part in ("setup", "addons"):
        shutil.copytree(REPO / part, root / part, ignore=ignore, symlinks=True)
    return root


def clean_env(home):
    """The environment of a user's shell: none of the outer run's settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"ODOO_CONF", "AFTERSALES_USER_CONF", "DB_NAME", "HTTP_PORT", "AFTERSALES_E2E_DB"}
        and not k.startswith("AFTERSALES_")
    }
    env["AFTERSALES_HOME"] = str(home)
    return env


def run(cmd, env, log):
    proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
    log.write_text(proc.stdout)
    return proc


def test_two_clones_test_without_rewriting_the_first_odoo_conf(shared_home, tmp_path):
    first, second = make_clone(tmp_path / "first"), make_clone(tmp_path / "second")
    env = clean_env(shared_home)
    conf = shared_home / "odoo.conf"

    install = run([str(first / "setup/install"), "--no-db"], env, tmp_path / "install.log")
    assert install.returncode == 0, install.stdout[-3000:]
    written = conf.read_bytes()
    odoo_src = os.environ.get("ODOO_SRC") or (shared_home / "odoo_src").read_text().strip()
    assert f"addons_path = {odoo_src}/addons,{first}/addons\n".encode() in written

    for n, clone in enumerate((first, second)):
        cmd = [str(clone / "setup/test"), "--no-lint", "--no-e2e", "--addons", "aftersales_ticket"]
        proc = run([*cmd, "--test-tags", TEST_TAGS], env, tmp_path / f"test{n}.log")
        assert proc.returncode == 0, proc.stdout[-3000:]
        assert re.search(r"^[1-9]\d* passed, 0 failed$", proc.stdout, re.M), proc.stdout[-3000:]
        paths = ADDONS_PATHS.search(proc.stdout)
        assert paths and f"'{clone}/addons'" in paths[0], "Odoo did not load this clone's addons"
        other = second if clone == first else first
        assert f"'{other}/addons'" not in paths[0]
        assert conf.read_bytes() == written, f"setup/test from {clone.name} rewrote {conf}"
        # The run wrote a config of its own, and removed it when done.
        own = re.search(r"Writing (\S+/odoo\.conf)$", proc.stdout, re.M)
        assert own and Path(own[1]) != conf and not Path(own[1]).exists()
