# shellcheck shell=bash
# Shared settings and helpers for setup/install, setup/run and setup/test.
# Every setting can be overridden from the environment; see README.md.

set -euo pipefail

REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ADDONS_DIR="$REPO_DIR/addons"

# State that outlives a clone of the repository: the virtualenv, the remembered
# Odoo source location, the database password and the Odoo config file.
AFTERSALES_HOME="${AFTERSALES_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/aftersales-suite}"
ODOO_SRC_FILE="$AFTERSALES_HOME/odoo_src"
ODOO_CONF="${ODOO_CONF:-$AFTERSALES_HOME/odoo.conf}"
ODOO_CLONE_DIR="${ODOO_CLONE_DIR:-$AFTERSALES_HOME/odoo-19.0}"
ODOO_GIT_URL="${ODOO_GIT_URL:-https://github.com/odoo/odoo.git}"

DB_NAME="${DB_NAME:-aftersales}"
DB_HOST="${DB_HOST:-127.0.0.1}"
DB_PORT="${DB_PORT:-5432}"
DB_USER="${DB_USER:-aftersales}"
HTTP_PORT="${HTTP_PORT:-8069}"
HTTP_INTERFACE="${HTTP_INTERFACE:-127.0.0.1}"
WORKERS="${WORKERS:-0}"
PYTHON="${PYTHON:-python3}"

log() { printf '[aftersales] %s\n' "$*" >&2; }
die() { printf '[aftersales] ERROR: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }

# --- Odoo source -----------------------------------------------------------

is_odoo19_tree() {
    local src="$1"
    [ -f "$src/odoo-bin" ] && [ -f "$src/odoo/release.py" ] && [ -f "$src/requirements.txt" ] \
        && grep -qE '^version_info = \(19, 0,' "$src/odoo/release.py"
}

# Prints the Odoo 19.0 source tree to use, remembering it for later runs.
# Order: $ODOO_SRC, the remembered location, a clone of the official 19.0
# branch when the network allows it; otherwise stops and names ODOO_SRC.
find_odoo_src() {
    local src=""
    if [ -n "${ODOO_SRC:-}" ]; then
        is_odoo19_tree "$ODOO_SRC" || die "ODOO_SRC=$ODOO_SRC is not an Odoo 19.0 source tree (odoo-bin, odoo/release.py with version 19.0 and requirements.txt expected)."
        src="$(cd "$ODOO_SRC" && pwd)"
    elif [ -f "$ODOO_SRC_FILE" ] && is_odoo19_tree "$(cat "$ODOO_SRC_FILE")"; then
        src="$(cat "$ODOO_SRC_FILE")"
    elif is_odoo19_tree "$ODOO_CLONE_DIR"; then
        src="$ODOO_CLONE_DIR"
    else
        command -v git >/dev/null || die "No Odoo 19.0 source found and git is missing. Set ODOO_SRC=/path/to/odoo (an Odoo 19.0 source tree)."
        log "No Odoo source given: cloning Odoo's official 19.0 branch into $ODOO_CLONE_DIR"
        mkdir -p "$(dirname "$ODOO_CLONE_DIR")"
        if ! timeout "${ODOO_CLONE_TIMEOUT:-1800}" env GIT_TERMINAL_PROMPT=0 \
                git -c http.lowSpeedLimit=1000 -c http.lowSpeedTime=20 \
                clone --depth 1 --branch 19.0 "$ODOO_GIT_URL" "$ODOO_CLONE_DIR.part" >&2; then
            rm -rf "$ODOO_CLONE_DIR.part"
            die "No Odoo 19.0 source tree available: ODOO_SRC is not set, none was remembered, and cloning $ODOO_GIT_URL failed (offline?). Set ODOO_SRC=/path/to/odoo-19.0 and run again."
        fi
        mv "$ODOO_CLONE_DIR.part" "$ODOO_CLONE_DIR"
        src="$ODOO_CLONE_DIR"
    fi
    mkdir -p "$AFTERSALES_HOME"
    [ "$(cat "$ODOO_SRC_FILE" 2>/dev/null)" = "$src" ] || printf '%s\n' "$src" > "$ODOO_SRC_FILE"
    printf '%s\n' "$src"
}

# --- Virtualenv ------------------------------------------------------------

# One virtualenv per Python version and requirement set, shared by every clone.
venv_dir() {
    local src="$1" pyver key
    pyver="$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
    key="$(cat "$src/requirements.txt" "$REPO_DIR/setup/requirements-test.txt" | sha256sum | cut -c1-12)"
    printf '%s/venv-py%s-%s\n' "$AFTERSALES_HOME" "$pyver" "$key"
}

# The lint tools live apart: their pins clash with Odoo's.
lint_venv_dir() {
    local key
    key="$(sha256sum < "$REPO_DIR/setup/requirements-lint.txt" | cut -c1-12)"
    printf '%s/lint-venv-%s\n' "$AFTERSALES_HOME" "$key"
}

# Creates a virtualenv from requirement files once; a marker says it is complete.
make_venv() {
    local venv="$1"; shift
    [ -f "$venv/.complete" ] && return 0
    log "Creating virtualenv $venv (a few minutes the first time)"
    rm -rf "$venv"
    "$PYTHON" -m venv "$venv"
    local pip_log="$venv/pip-install.log" args=() f
    for f in "$@"; do args+=(-r "$f"); done
    if ! { "$venv/bin/pip" install --upgrade pip wheel "setuptools<81" \
            && "$venv/bin/pip" install "${args[@]}"; } > "$pip_log" 2>&1; then
        grep -vE "^WARNING: Location" "$pip_log" | tail -n 25 >&2
        die "pip install into $venv failed (full log: $pip_log)."
    fi
    touch "$venv/.complete"
}

# --- PostgreSQL ------------------------------------------------------------

pg_ready() { pg_isready -q -h "$DB_HOST" -p "$DB_PORT" 2>/dev/null; }

# Starts the local cluster when it is down (as root, with Debian's tools).
ensure_postgres() {
    pg_ready && return 0
    if is_root && command -v pg_lsclusters >/dev/null; then
        if [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
            local ver
            ver="$(ls /usr/lib/postgresql | sort -V | tail -n1)"
            log "Creating PostgreSQL $ver cluster 'main'"
            pg_createcluster "$ver" main --port "$DB_PORT" >&2
        fi
        local ver name
        while read -r ver name _; do
            log "Starting PostgreSQL cluster $ver/$name"
            pg_ctlcluster "$ver" "$name" start >&2 || true
        done < <(pg_lsclusters -h)
    fi
    local i
    for i in $(seq 1 30); do pg_ready && return 0; sleep 1; done
    die "PostgreSQL is not accepting connections on $DB_HOST:$DB_PORT. Start it (e.g. 'pg_ctlcluster 15 main start') or set DB_HOST/DB_PORT."
}

# Runs psql as the PostgreSQL superuser (only used to create our role).
psql_super() {
    if is_root; then
        su postgres -c "psql -v ON_ERROR_STOP=1 -X -q -p $DB_PORT $(printf '%q ' "$@")"
    else
        psql -v ON_ERROR_STOP=1 -X -q -h "$DB_HOST" -p "$DB_PORT" "$@"
    fi
}

db_password() {
    local f="$AFTERSALES_HOME/db_password"
    if [ ! -s "$f" ]; then
        mkdir -p "$AFTERSALES_HOME"
        (umask 077; "$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(24))' > "$f")
    fi
    cat "$f"
}

# Creates the non-superuser role Odoo connects with (Odoo refuses 'postgres').
ensure_db_role() {
    [ "$DB_USER" != postgres ] || die "DB_USER=postgres: Odoo refuses to connect as the PostgreSQL superuser; choose another role name."
    local pw
    pw="$(db_password)"
    if PGPASSWORD="$pw" psql -X -q -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -c 'select 1' >/dev/null 2>&1; then
        return 0
    fi
    log "Creating PostgreSQL role $DB_USER (CREATEDB, not superuser)"
    psql_super -d postgres -c "DO \$\$BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
            CREATE ROLE \"$DB_USER\" LOGIN CREATEDB NOSUPERUSER PASSWORD '$pw';
        ELSE
            ALTER ROLE \"$DB_USER\" LOGIN CREATEDB NOSUPERUSER PASSWORD '$pw';
        END IF; END\$\$;" \
        || die "Could not create the PostgreSQL role $DB_USER. Create it yourself (CREATEDB, with a password) and put the password in $AFTERSALES_HOME/db_password."
}

# Addons of this repository, comma separated.
our_addons() {
    local m names=()
    for m in "$ADDONS_DIR"/*/__manifest__.py; do
        [ -f "$m" ] || continue
        m="${m%/__manifest__.py}"
        names+=("${m##*/}")
    done
    local IFS=,
    printf '%s\n' "${names[*]}"
}

# --- Odoo config -------------------------------------------------------------

# Writes the Odoo config of this clone (Odoo source, our addons, database
# settings) to $1 when its content differs; the file is private (umask 077).
write_odoo_conf() {
    local dest="$1" src="$2" tmp
    tmp="$(mktemp)"
    cat > "$tmp" <<CONF
[options]
addons_path = $src/addons,$ADDONS_DIR
db_host = $DB_HOST
db_port = $DB_PORT
db_user = $DB_USER
db_password = $(db_password)
http_port = $HTTP_PORT
http_interface = $HTTP_INTERFACE
data_dir = $AFTERSALES_HOME/data
CONF
    if ! cmp -s "$tmp" "$dest"; then
        log "Writing $dest"
        mkdir -p "$(dirname "$dest")"
        (umask 077; cp "$tmp" "$dest")
    fi
    rm -f "$tmp"
}

# --- Demo logins ---------------------------------------------------------------

# Prints the demo logins of setup/demo_logins.tsv (password = login) whose addon
# is in addons/, with the URL of each role's main screen under base URL $1.
print_demo_logins() {
    local base="$1" login role path menu _ addon
    log "Demo logins (password = login):"
    printf '[aftersales]   %-17s %-38s %s\n' admin administrator "$base/odoo" >&2
    while IFS=$'\t' read -r login role path menu _; do
        case "$login" in ''|'#'*) continue ;; esac
        addon="${path#/odoo/action-}"; addon="${addon%%.*}"
        [ "$path" = "${path#/odoo/action-}" ] || [ -d "$ADDONS_DIR/$addon" ] || continue
        printf '[aftersales]   %-17s %-38s %s\n' "$login" "$role" "$base$path" >&2
    done < "$REPO_DIR/setup/demo_logins.tsv"
}
