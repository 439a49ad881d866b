#!/usr/bin/env bash
# Runs every test. Installs what the tests need when it is missing (nginx with its echo module,
# Apache httpd, squid, tinyproxy, chromium and tcpdump from Debian; httpyac, har-validator, openapi-typescript and typescript from npm into .tools/), then runs the
# whole solution's tests, then the packet-capture tests on their own (so no other test's CPU use is
# read as FetchAgent's), and prints one closing line "tests: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"

if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
missing=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/sbin/apache2 ] || missing+=(apache2)
[ -f /usr/lib/nginx/modules/ngx_http_echo_module.so ] || missing+=(libnginx-mod-http-echo)
command -v tcpdump >/dev/null 2>&1 || [ -x /usr/bin/tcpdump ] || [ -x /usr/sbin/tcpdump ] || missing+=(tcpdump)
command -v ss >/dev/null 2>&1 || [ -x /usr/bin/ss ] || [ -x /bin/ss ] || missing+=(iproute2) # ss: the TIME_WAIT tests' outside observer
command -v nghttpd >/dev/null 2>&1 || missing+=(nghttp2-server)
# PostgreSQL (issue 17): a throwaway cluster for the store tests and the agents' tests, started below.
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
# Real forward proxies (tests/FetchAgent.Engine.Tests/Navigation/RealProxyTests.cs), run on free ports with their own config.
[ -x /usr/sbin/squid ] || missing+=(squid)
[ -x /usr/bin/tinyproxy ] || missing+=(tinyproxy)
# The real pages of the Chromium comparison (tests/FetchAgent.Tests/Corpus/ChromiumCorpusTests.cs): documentation trees.
[ -f /usr/share/doc/valgrind/html/index.html ] || missing+=(valgrind)
[ -f /usr/share/doc/libxslt1-dev/html/index.html ] || missing+=(libxslt1-dev)
[ -f /usr/share/gtk-doc/html/libtasn1/index.html ] || missing+=(libtasn1-doc)
[ -f /usr/share/doc/python3/python-policy.html ] || missing+=(python3-dev)
[ -f /usr/share/doc/sphinx-doc/html/index.html ] || missing+=(sphinx-doc)
# Read the Docs themed documentation (Lato, Roboto Slab and FontAwesome web fonts): Sphinx's theme and MkDocs's.
[ -f /usr/share/doc/python-wrapt-doc/html/index.html ] || missing+=(python-wrapt-doc)
[ -f /usr/share/doc/python-typer-doc/html/index.html ] || missing+=(python-typer-doc)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm tools, into .tools/: httpyac runs http-requests/*.http (tests/FetchAgent.Tests/Api/HttpFilesTests.cs),
# har-validator checks every HAR the tests produce (tests/FetchAgent.Tests/Har/HarTests.cs).
# openapi-typescript and typescript (tsc) check that a generated client compiles (tests/FetchAgent.Tests/Api/OpenApiClientTests.cs).
if [ ! -x .tools/node_modules/.bin/httpyac ] || [ ! -d .tools/node_modules/har-validator ] \
   || [ ! -x .tools/node_modules/.bin/openapi-typescript ] || [ ! -x .tools/node_modules/.bin/tsc ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "test.sh: installing nodejs and npm" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  fi
  echo "test.sh: installing httpyac, har-validator, openapi-typescript and typescript into .tools/" >&2
  mkdir -p .tools
  (cd .tools && npm install --no-audit --no-fund --silent httpyac@6 har-validator@5 openapi-typescript@7 typescript@5)
fi

# The corpus's Bootstrap templates and the npm packages their CDN links name (tests/FetchAgent.TestServers/Corpus/ChromiumCorpus.cs),
# into a prefix of their own (.tools/corpus) so the tools' package.json is left as it is.
corpus_npm=(startbootstrap-creative@7 startbootstrap-resume@7 startbootstrap-sb-admin-2@4 bootstrap@5 bootstrap-icons@1 @fortawesome/fontawesome-free@6)
if [ ! -d .tools/corpus/node_modules/startbootstrap-sb-admin-2 ] || [ ! -d .tools/corpus/node_modules/bootstrap-icons ] \
   || [ ! -d .tools/corpus/node_modules/@fortawesome/fontawesome-free ]; then
  echo "test.sh: installing the corpus's templates into .tools/corpus" >&2
  mkdir -p .tools/corpus
  npm install --prefix .tools/corpus --no-audit --no-fund --silent "${corpus_npm[@]}"
fi

# A throwaway PostgreSQL cluster on a free port: initdb into a temp folder, run as the postgres user (postgres
# refuses root), trust auth on 127.0.0.1 only. The tests read its connection string from FETCHAGENT_TEST_POSTGRES
# and each makes a database of its own in it; a test that needs it fails, never skips, when it is not set.
source tests/postgres-cluster.sh
postgres_cluster_start

log=$(mktemp)
trap 'rm -f "$log"; postgres_cluster_stop' EXIT
set +e
dotnet test FetchAgent.sln -c Release --filter "Category!=Capture&Category!=Timing" --logger "console;verbosity=minimal" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# tests/FetchAgent.Engine.Tests/Emulation: the emulated network on real timers, alone on the machine (a loaded
# machine wakes timers late, and the figures are within 10 % of the model's).
dotnet test tests/FetchAgent.Engine.Tests -c Release --no-build --filter "Category=Timing" --logger "console;verbosity=minimal" 2>&1 | tee -a "$log"
timing_status=${PIPESTATUS[0]}
[ "$status" -ne 0 ] || status=$timing_status
# tests/FetchAgent.Tests/Capture: tcpdump against FetchAgent's phases, alone on the machine.
dotnet test tests/FetchAgent.Tests -c Release --no-build --filter "Category=Capture" --logger "console;verbosity=minimal" 2>&1 | tee -a "$log"
capture_status=${PIPESTATUS[0]}
[ "$status" -ne 0 ] || status=$capture_status
set -e

# Sum the per-assembly summaries: "Passed!  - Failed: 0, Passed: 42, ..." (minimal)
# or "Total tests: 42 / Passed: 42 / Failed: 0" (normal verbosity).
read -r passed failed < <(awk '
  /(Passed|Failed)! +- +Failed:/ { line = $0; gsub(/[^0-9,]/, "", line); split(line, n, ","); f += n[1]; p += n[2]; next }
  /^ +Passed: [0-9]+$/ { p += $2 }
  /^ +Failed: [0-9]+$/ { f += $2 }
  END { print p+0, f+0 }' "$log")
echo "tests: ${passed} passed, ${failed} failed"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "test.sh: dotnet test exited with $status" >&2
fi
exit "$status"
